import { expect } from 'vitest';
import { UnpublishedEventError } from '@bot/gateway/redis';

/** The publish's rejection, which the test requires to be an {@link UnpublishedEventError}. */
export async function unpublished(publishing: Promise<boolean>): Promise<UnpublishedEventError> {
  const error: unknown = await publishing.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UnpublishedEventError);
  return error as UnpublishedEventError;
}

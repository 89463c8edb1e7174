import { expectTypeOf, test } from 'vitest';
import { ThreadClientError, type ClientError, type EventHandler } from '@bot/client';

test("error() of the main client narrows a ClientError to ThreadClientError on 'threadClient'", () => {
  const hooks: EventHandler = {
    error(error: ClientError) {
      if (error.kind === 'threadClient') {
        expectTypeOf(error).toEqualTypeOf<ThreadClientError>();
        expectTypeOf(error.thread).toEqualTypeOf<number>();
        expectTypeOf(error.shardId).toEqualTypeOf<number | undefined>();
        expectTypeOf(error.reportedKind).toEqualTypeOf<string>();
      }
    },
  };
  void hooks;
});

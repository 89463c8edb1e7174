import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, PlatformCode, platformCodeOf, type ClientError } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/*
 * A reply that fails inside a handler reaches error() as kind 'handler', the refusal its cause; the
 * documented switch (platformCodeOf(error)) in error() must still see the platform's code.
 */
describe("a handler's refused reply in error()", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('arrives as a HandlerError whose platformCodeOf is the refusal code', async () => {
    const errors: ClientError[] = [];
    harness = await startHarness([
      {
        groupMessageCreate: async (_ctx, message) => void (await message.reply('too late')),
        error: (error) => void errors.push(error),
      },
    ]);
    harness.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 400,
      code: PlatformCode.ReplyExpired,
      message: 'msg expired',
      times: 1,
    });
    harness.emulator.simulate.groupAtMessage({ content: 'hello' });
    await expect.poll(() => errors.length).toBe(1);

    const [error] = errors;
    expect(error?.kind).toBe('handler');
    expect(error?.cause).toBeInstanceOf(ApiError);
    expect(platformCodeOf(error)).toBe(PlatformCode.ReplyExpired);
  });
});

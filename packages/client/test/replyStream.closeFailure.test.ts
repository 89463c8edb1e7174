import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@bot/http';
import { ReplyStreamError, type C2CMessage, type Context } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';

describe('a streamed reply whose closing frame fails', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  // The user may still see the reply "generating": the error says so instead of dropping it.
  it("a refused closing frame is named on the stream's error", async () => {
    const outcomes: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('first');
          await expect.poll(() => stream.index, { timeout: 5_000 }).toBe(1);
          harness!.emulator.faults.failRoute(STREAM_ROUTE, { status: 500 });
          await stream.abort('the user left');
          outcomes.push(await stream.end().catch((error: unknown) => error));
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => outcomes.length, { timeout: 8_000 }).toBe(1);

    const error = outcomes[0] as ReplyStreamError;
    expect(error).toBeInstanceOf(ReplyStreamError);
    expect(error.failure).toBe('aborted');
    expect(error.cause).toBe('the user left');
    expect(error.closeError).toBeInstanceOf(ApiError);
    expect((error.closeError as ApiError).status).toBe(500);
  });

  it('a stream closed for its user has no closeError', async () => {
    const outcomes: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('first');
          await expect.poll(() => stream.index, { timeout: 5_000 }).toBe(1);
          await stream.abort('the user left');
          outcomes.push(await stream.end().catch((error: unknown) => error));
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => outcomes.length, { timeout: 8_000 }).toBe(1);
    expect(outcomes[0]).toMatchObject({ failure: 'aborted', closeError: undefined });
  });
});

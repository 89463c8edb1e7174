import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  DUPLICATE_MSG_SEQ_CODE,
  ReplyAlreadySentError,
  ReplySequencer,
  type C2CMessage,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

// 'refuseTaken' refuses a number the platform says is used only when the number cannot be this
// sequencer's own: after its record of a message expired, the numbers it starts again from were
// its own, and are skipped. And its refusal shows the caller's line as any reply failure does.

const refusal = (): ApiError =>
  new ApiError({
    status: 400,
    code: DUPLICATE_MSG_SEQ_CODE,
    errCode: undefined,
    message: 'msg_seq used',
    traceId: undefined,
    method: 'POST',
    route: '/v2/users/{openid}/messages',
  });

describe('reply numbering refuseTaken', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await harness?.stop();
    harness = undefined;
  });

  it('skips its own numbers when it replies again after its record of the message expired', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'Date'] });
    const used = new Set<number>();
    // A platform that takes the late reply (replyWindows 'ignore') and remembers the numbers.
    const send = (seq: number): Promise<number> => {
      if (used.has(seq)) return Promise.reject(refusal());
      used.add(seq);
      return Promise.resolve(seq);
    };
    const replies = new ReplySequencer(undefined, undefined, undefined, 'refuseTaken');
    await replies.send('m1', send);
    vi.advanceTimersByTime(60 * 60_000);
    await expect(replies.send('m1', send)).resolves.toBe(2);
  });

  it("refuses with the line of the caller's code, a reply returned unawaited after an await", async () => {
    let settle!: (outcome: unknown) => void;
    const failed = new Promise<unknown>((resolve) => (settle = resolve));
    async function answerLater(message: C2CMessage): Promise<unknown> {
      await delay(1);
      return message.reply('hi');
    }
    harness = await startHarness([
      {
        c2cMessageCreate: (_ctx, message) =>
          void answerLater(message as C2CMessage).then(() => settle(new Error('sent')), settle),
      },
    ]);
    harness.emulator.faults.failRoute('POST /v2/users/{openid}/messages', {
      status: 400,
      code: DUPLICATE_MSG_SEQ_CODE,
      message: 'taken',
    });
    harness.emulator.simulate.c2cMessage({ content: 'x' });
    const error = (await failed) as Error;
    expect(error).toBeInstanceOf(ReplyAlreadySentError);
    const stack = error.stack ?? '';
    expect(stack.slice(stack.lastIndexOf('\n') + 1)).toMatch(
      /answerLater .*replySequencer\.ownExpired\.test\.ts/,
    );
  });
});

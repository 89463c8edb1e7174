import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, DuplicateSendError } from '@bot/http';
import { ReplyStreamError, type C2CMessage, type Context, type ReplyStreamResult } from '@bot/client';
import type { EmulatorRecord } from '@bot/testing';
import { startHarness, type Harness } from './support/harness.js';

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';

interface Frame {
  input_state: number;
  content_raw: string;
  index: number;
}

function framesOf(harness: Harness): { frame: Frame; status: number }[] {
  return harness.emulator.recorder
    .filter((r) => r.kind === 'rest' && r.route === STREAM_ROUTE)
    .map((r) => {
      const rest = r as Extract<EmulatorRecord, { kind: 'rest' }>;
      return { frame: rest.body as Frame, status: rest.status };
    });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('condition not met in 5 s');
    await pause(10);
  }
}

/** Pieces of an answer, as a model would yield them. */
async function* tokens(pieces: string[]): AsyncGenerator<string> {
  for (const piece of pieces) {
    await pause(20);
    yield piece;
  }
}

describe('streamed replies when an answer is lost or the text starts blank', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('a first frame the platform applied but answered 500 is not re-sent: one frame on the wire, the 500 as cause, the reply still counted', async () => {
    const outcomes: unknown[] = [];
    const used: number[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('hello');
          outcomes.push(await stream.end().catch((error: unknown) => error));
          used.push(message.replyWindow.used);
        },
      },
    ]);
    harness.emulator.faults.failRoute(STREAM_ROUTE, { status: 500, afterHandling: true });
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);

    const error = outcomes[0] as ReplyStreamError;
    expect(error).toBeInstanceOf(ReplyStreamError);
    expect(error.failure).toBe('send');
    expect(error.cause).toBeInstanceOf(ApiError);
    expect(error.cause).not.toBeInstanceOf(DuplicateSendError);
    expect((error.cause as ApiError).status).toBe(500);
    expect(framesOf(harness).map((f) => [f.frame.index, f.status])).toEqual([[0, 500]]);
    expect(used).toEqual([1]);
  });

  it('a later frame the platform applied but answered 500 counts as landed: the closing frame takes the next index and the stream is finished', async () => {
    const outcomes: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('first');
          await until(() => stream.index === 1);
          harness!.emulator.faults.failRoute(STREAM_ROUTE, { status: 500, afterHandling: true });
          stream.write(' second');
          // The frame carrying ' second' (not the last) is the one whose answer is lost.
          await until(() => stream.state !== 'open');
          outcomes.push(await stream.end().catch((error: unknown) => error));
        },
      },
    ]);
    const event = harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => outcomes.length, { timeout: 8000 }).toBe(1);

    expect(outcomes[0]).toMatchObject({ kind: 'replyStream', failure: 'send' });
    const frames = framesOf(harness);
    expect(frames.filter((f) => f.status === 500)).toHaveLength(1);
    const last = frames.at(-1)!;
    expect(last).toMatchObject({ status: 200, frame: { index: 2, input_state: 10 } });
    expect(last.frame.content_raw).toBe('first second');
    const shown = harness.emulator.world.messages
      .inConversation('c2c', event.d.author.user_openid)
      .filter((m) => m.fromBot)
      .map((m) => m.content);
    expect(shown).toEqual(['first second']);
  });

  it('a model that starts with a blank line streams: no frame goes out while the text is blank', async () => {
    const results: ReplyStreamResult[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          results.push(
            await message.replyStreamFrom(tokens(['\n', ' ', 'Hello', ' there']), { intervalMs: 300 }),
          );
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(1);

    const frames = framesOf(harness);
    expect(frames.every((f) => f.status === 200)).toBe(true);
    expect(frames.every((f) => f.frame.content_raw.trim() !== '')).toBe(true);
    expect(frames.at(-1)?.frame).toMatchObject({ input_state: 10, content_raw: '\n Hello there' });
    expect(results[0]).toMatchObject({ text: '\n Hello there', streamed: true });
  });

  it('Client.shutdown() closes a stream its handler left open: the user sees a finished reply with the text so far', async () => {
    harness = await startHarness([
      {
        c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          message.replyStream({ intervalMs: 300 }).write('partial answer');
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    const emulator = harness.emulator;
    await expect.poll(() => framesOf(harness!).length, { timeout: 5000 }).toBe(1);
    await harness.client.shutdown({ invalidateSessions: true });
    const frames = framesOf({ emulator } as Harness);
    expect(frames.map((f) => [f.frame.index, f.frame.input_state, f.status])).toEqual([
      [0, 1, 200],
      [1, 10, 200],
    ]);
    expect(frames.at(-1)?.frame.content_raw).toBe('partial answer');
  });
});

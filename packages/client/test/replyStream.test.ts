import { afterEach, describe, expect, it } from 'vitest';
import {
  ReplyStreamError,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type ReplyStreamResult,
} from '@bot/client';
import type { EmulatorRecord } from '@bot/testing';
import { startHarness, type Harness } from './support/harness.js';

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';

interface Frame {
  input_state: number;
  content_raw: string;
  index: number;
  msg_id: string;
  msg_seq: number;
  stream_msg_id?: string;
}

/** Pieces of an answer, as a model would yield them. */
async function* tokens(pieces: string[], failAfter?: number): AsyncGenerator<string> {
  for (const [at, piece] of pieces.entries()) {
    if (at === failAfter) throw new Error('model connection lost');
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield piece;
  }
}

function framesOf(harness: Harness): { frame: Frame; status: number; response: unknown }[] {
  return harness.emulator.recorder
    .filter((r) => r.kind === 'rest' && r.route === STREAM_ROUTE)
    .map((r) => {
      const rest = r as Extract<EmulatorRecord, { kind: 'rest' }>;
      return { frame: rest.body as Frame, status: rest.status, response: rest.response };
    });
}

/** What every accepted stream must look like on the wire, however its frames were coalesced. */
function expectWellFormedStream(frames: Frame[], replyTo: string, text: string): void {
  expect(frames.map((f) => f.index)).toEqual(frames.map((_, at) => at));
  expect(frames.map((f) => f.input_state)).toEqual([...frames.slice(1).map(() => 1), 10]);
  expect(new Set(frames.map((f) => f.msg_seq)).size).toBe(1);
  expect(frames.every((f) => f.msg_id === replyTo)).toBe(true);
  expect(frames[0]?.stream_msg_id).toBeUndefined();
  for (const [at, frame] of frames.entries()) {
    if (at > 0) expect(frame.content_raw.startsWith(frames[at - 1]!.content_raw)).toBe(true);
  }
  expect(frames.at(-1)?.content_raw).toBe(text);
}

describe('streamed replies through the emulator', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('streams an async generator to a C2C user as one growing message: frames 0…n, one msg_seq, the stream id from the first answer, done last', async () => {
    const pieces = ['The ', 'answer ', 'is ', 'forty', '-two', '.'];
    const results: ReplyStreamResult[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          results.push(await message.replyStreamFrom(tokens(pieces), { intervalMs: 300 }));
        },
      },
    ]);
    const event = harness.emulator.simulate.c2cMessage({ content: 'what is the answer?' });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(1);

    const frames = framesOf(harness);
    expect(frames.every((f) => f.status === 200)).toBe(true);
    expectWellFormedStream(
      frames.map((f) => f.frame),
      event.d.id,
      pieces.join(''),
    );
    const streamId = (frames[0]!.response as { id: string }).id;
    expect(frames.slice(1).every((f) => f.frame.stream_msg_id === streamId)).toBe(true);
    expect(results[0]).toEqual({
      text: pieces.join(''),
      frames: frames.length,
      streamId,
      streamed: true,
    });
    const shown = harness.emulator.world.messages.find(streamId, 'c2c', event.d.author.user_openid);
    expect(shown?.content).toBe(pieces.join(''));
  });

  it('coalesces many small writes into few frames: 200 writes in one burst cost at most 2 frames', async () => {
    const results: ReplyStreamResult[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          for (let i = 0; i < 200; i++) stream.write(`${i} `);
          results.push(await stream.end());
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'count' });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(1);
    const frames = framesOf(harness).map((f) => f.frame);
    expect(frames.length).toBeLessThanOrEqual(2);
    expect(frames.at(-1)).toMatchObject({ input_state: 10 });
    expect(results[0]!.text.split(' ').filter(Boolean)).toHaveLength(200);
  });

  it('a throwing source closes the stream with the text so far and rejects with ReplyStreamError "source"', async () => {
    const outcomes: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          outcomes.push(
            await message
              .replyStreamFrom(tokens(['partial ', 'answer ', 'never'], 2), { intervalMs: 300 })
              .catch((error: unknown) => error),
          );
        },
      },
    ]);
    const event = harness.emulator.simulate.c2cMessage({ content: 'go' });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);

    const error = outcomes[0] as ReplyStreamError;
    expect(error).toBeInstanceOf(ReplyStreamError);
    expect(error).toMatchObject({ kind: 'replyStream', failure: 'source' });
    expect((error.cause as Error).message).toBe('model connection lost');
    const frames = framesOf(harness);
    expect(frames.every((f) => f.status === 200)).toBe(true);
    expectWellFormedStream(
      frames.map((f) => f.frame),
      event.d.id,
      'partial answer ',
    );
  });

  it('pipes a web ReadableStream through writable()', async () => {
    const done: string[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          await ReadableStream.from(tokens(['piped ', 'text'])).pipeTo(stream.writable());
          done.push(stream.state);
        },
      },
    ]);
    const event = harness.emulator.simulate.c2cMessage({ content: 'pipe' });
    await expect.poll(() => done, { timeout: 5000 }).toEqual(['done']);
    expectWellFormedStream(
      framesOf(harness).map((f) => f.frame),
      event.d.id,
      'piped text',
    );
  });

  it('a group message, which has no streaming, gets one message with the whole text on end()', async () => {
    const results: ReplyStreamResult[] = [];
    const bot: EventHandler = {
      async groupMessageCreate(_ctx: Context, message: GroupMessage) {
        results.push(await message.replyStreamFrom(tokens(['one ', 'message ', 'only'])));
      },
    };
    harness = await startHarness([bot]);
    const event = harness.emulator.simulate.groupAtMessage({ content: 'stream please' });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(1);

    expect(results[0]).toEqual({ text: 'one message only', frames: 1, streamId: undefined, streamed: false });
    expect(framesOf(harness)).toEqual([]);
    const sent = harness.emulator.world.messages
      .inConversation('group', event.d.group_openid)
      .filter((m) => m.fromBot)
      .map((m) => m.content);
    expect(sent).toEqual(['one message only']);
  });

  it('writing after end() throws ReplyStreamError "closed"; abort() after end() changes nothing', async () => {
    const seen: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('hello');
          const ended = stream.end();
          try {
            stream.write('late');
          } catch (error) {
            seen.push(error);
          }
          seen.push(await ended);
          await stream.abort('too late');
          seen.push(stream.state);
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'x' });
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(3);
    expect(seen[0]).toMatchObject({ kind: 'replyStream', failure: 'closed' });
    expect(seen[1]).toMatchObject({ text: 'hello', streamed: true });
    expect(seen[2]).toBe('done');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deferred } from '@bot/core';
import type { EmulatorRecord } from '@bot/testing';
import {
  pipeToReplyStream,
  ReplyStream,
  ReplyWindow,
  type C2CMessage,
  type Context,
  type ReplyStreamSink,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';
import { recordingSink } from './support/recordingSink.js';

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';

/**
 * A model whose connection stalls after its first token: the next token never comes (until
 * `release`, which the test opens at its end so nothing is left pending).
 */
function stallingSource(release: Deferred<void>): { tokens: AsyncGenerator<string>; stopped: () => boolean } {
  let stopped = false;
  async function* tokens(): AsyncGenerator<string> {
    try {
      yield 'thinking';
      await release.promise;
      yield ' (too late)';
    } finally {
      stopped = true;
    }
  }
  return { tokens: tokens(), stopped: () => stopped };
}

/**
 * A stream fed by a source that stops yielding is aborted by its idle timeout (or by a shutdown),
 * which closes it for the user. `replyStreamFrom` must then settle with that failure: before, it
 * went on waiting for the stalled source's next token, so the handler awaiting it never returned.
 */
describe('replyStreamFrom with a source that stalls', () => {
  const releases: Array<Deferred<void>> = [];
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    for (const release of releases.splice(0)) release.resolve();
    await harness?.stop();
    harness = undefined;
  });

  it('rejects with the idle failure once the idle timeout closed the stream, without waiting for the source', async () => {
    vi.useFakeTimers();
    const release = new Deferred<void>();
    releases.push(release);
    const sink = recordingSink('s');
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', {
      intervalMs: 300,
      idleTimeoutMs: 5_000,
    });
    const source = stallingSource(release);
    let outcome: unknown;
    void pipeToReplyStream(stream, source.tokens).then(
      (result) => (outcome = { result }),
      (error: unknown) => (outcome = error),
    );

    await vi.advanceTimersByTimeAsync(5_000 + 300);

    expect(stream.state).toBe('aborted');
    expect(sink.frames.at(-1)).toEqual({ text: 'thinking', done: true });
    expect(outcome).toMatchObject({ kind: 'replyStream', failure: 'idle' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects once abort() stopped the stream, and the source is stopped once it next yields', async () => {
    const release = new Deferred<void>();
    releases.push(release);
    const stream = new ReplyStream(recordingSink('s'), new ReplyWindow('c2c', 'm'), 'enforce', {
      intervalMs: 300,
    });
    const source = stallingSource(release);
    const piped = pipeToReplyStream(stream, source.tokens);
    await vi.waitFor(() => expect(stream.text).toBe('thinking'));

    await stream.abort(new Error('user left'));

    await expect(piped).rejects.toMatchObject({ kind: 'replyStream', failure: 'aborted' });
    release.resolve();
    await vi.waitFor(() => expect(source.stopped()).toBe(true));
  });

  it('a C2C handler streaming from a stalled model returns once the idle timeout closed the reply (emulator)', async () => {
    const release = new Deferred<void>();
    releases.push(release);
    const settled = new Deferred<unknown>();
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const source = stallingSource(release);
          await message
            .replyStreamFrom(source.tokens, { intervalMs: 300, idleTimeoutMs: 1_000 })
            .then(settled.resolve.bind(settled), settled.resolve.bind(settled));
        },
      },
    ]);
    const event = harness.emulator.simulate.c2cMessage({ content: 'hello?' });

    const outcome = await Promise.race([
      settled.promise,
      new Promise((resolve) => setTimeout(() => resolve('still waiting for the source'), 5_000)),
    ]);

    expect(outcome).toMatchObject({ kind: 'replyStream', failure: 'idle' });
    const frames = harness.emulator.recorder
      .filter((record) => record.kind === 'rest' && record.route === STREAM_ROUTE)
      .map((record) => (record as Extract<EmulatorRecord, { kind: 'rest' }>).body as Record<string, unknown>);
    expect(frames.at(-1)).toMatchObject({ msg_id: event.d.id, content_raw: 'thinking', input_state: 10 });
  });
});

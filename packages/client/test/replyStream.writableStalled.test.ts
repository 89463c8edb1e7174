import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplyStream, ReplyWindow, type ReplyStreamSink } from '@bot/client';
import { recordingSink } from './support/recordingSink.js';

/**
 * A model's token stream that stalls after its first token: nothing more is enqueued, and its
 * `cancel` (where the model's request would be stopped) is recorded.
 */
function stallingReadable(): { readable: ReadableStream<string>; cancelled: unknown[] } {
  const cancelled: unknown[] = [];
  const readable = new ReadableStream<string>({
    start(controller) {
      controller.enqueue('thinking');
    },
    cancel(reason) {
      cancelled.push(reason);
    },
  });
  return { readable, cancelled };
}

/*
 * `readable.pipeTo(stream.writable())` over a source that stalls: the idle timeout (or a shutdown,
 * or abort()) closes the reply for the user, and the pipe must end with it. Before, the
 * WritableStream was never told, so pipeTo kept waiting for the stalled source and the handler
 * awaiting it never returned, and the model's request was never cancelled.
 */
describe('ReplyStream.writable() over a source that stalls', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the idle timeout errors the WritableStream: pipeTo rejects with "idle" and the source is cancelled', async () => {
    vi.useFakeTimers();
    const sink = recordingSink('s1');
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm1'), 'enforce', {
      intervalMs: 300,
      idleTimeoutMs: 5_000,
    });
    const { readable, cancelled } = stallingReadable();
    let outcome: unknown = 'pending';
    void readable.pipeTo(stream.writable()).then(
      () => (outcome = 'resolved'),
      (error: unknown) => (outcome = error),
    );

    await vi.advanceTimersByTimeAsync(5_000 + 300);

    expect(stream.state).toBe('aborted');
    expect(sink.frames.at(-1)).toEqual({ text: 'thinking', done: true });
    expect(outcome).toMatchObject({ kind: 'replyStream', failure: 'idle' });
    expect(cancelled).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abort() of the stream ends the pipe as well', async () => {
    const sink = recordingSink('s1');
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm1'), 'enforce', { intervalMs: 300 });
    const { readable, cancelled } = stallingReadable();
    const piped = readable.pipeTo(stream.writable()).catch((error: unknown) => error);
    await vi.waitFor(() => expect(stream.text).toBe('thinking'));

    await stream.abort(new Error('user left'));

    await expect(piped).resolves.toMatchObject({ kind: 'replyStream', failure: 'aborted' });
    expect(cancelled).toHaveLength(1);
  });

  it('a stream ended through the writable settles normally, its pipe resolved', async () => {
    const sink = recordingSink('s1');
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm1'), 'enforce', { intervalMs: 300 });
    const readable = new ReadableStream<string>({
      start(controller) {
        controller.enqueue('done');
        controller.close();
      },
    });

    await readable.pipeTo(stream.writable());

    await expect(stream.end()).resolves.toMatchObject({ text: 'done', streamed: true });
  });
});

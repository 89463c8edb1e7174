import { describe, expect, it, vi } from 'vitest';
import { Deferred } from '@bot/core';
import { OpenReplyStreams, ReplyStream, ReplyWindow, type ReplyStreamSink } from '@bot/client';

interface SentFrame {
  text: string;
  done: boolean;
}

/**
 * A C2C-like sink: the first frame lands, the second fails (its answer lost), and the closing
 * frame is answered only once `closing` is opened, as a slow request would be.
 */
function failingThenSlowSink(closing: Deferred<void>): ReplyStreamSink & {
  frames: SentFrame[];
  closeStarted: Deferred<void>;
} {
  const frames: SentFrame[] = [];
  const closeStarted = new Deferred<void>();
  let attempts = 0;
  return {
    streaming: true,
    streamId: 's',
    frames,
    closeStarted,
    get index() {
      return frames.length;
    },
    async frame(text: string, done: boolean) {
      attempts += 1;
      if (attempts === 2) throw new Error('connection reset');
      if (done) {
        closeStarted.resolve();
        await closing.promise;
      }
      frames.push({ text, done });
    },
  };
}

/**
 * A stream already closing itself (a frame failed, or its idle timeout fired) is still one of the
 * client's open streams. `abort()` on it, as `Client.shutdown()` calls it through
 * `OpenReplyStreams`, must wait for that closing frame: before, it returned at once, so a shutdown
 * went on to release the REST client while the closing frame was still to be sent, and the user
 * was left with a reply "generating" for good.
 */
describe('abort() of a stream that is already closing itself', () => {
  it('waits for the closing frame under way, so a shutdown does not release REST before the user sees the reply finished', async () => {
    const closing = new Deferred<void>();
    const sink = failingThenSlowSink(closing);
    const open = new OpenReplyStreams();
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', { intervalMs: 300 }, open);
    stream.write('a');
    await vi.waitFor(() => expect(sink.frames).toHaveLength(1));
    stream.write('b');
    await vi.waitFor(() => expect(stream.state).toBe('failed'));

    let closed = false;
    const shutdown = open.close().then(() => (closed = true));
    await sink.closeStarted.promise;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);

    closing.resolve();
    await shutdown;
    expect(sink.frames).toEqual([
      { text: 'a', done: false },
      { text: 'ab', done: true },
    ]);
    expect(open.size).toBe(0);
    await expect(stream.end()).rejects.toMatchObject({ kind: 'replyStream', failure: 'send' });
  });

  it('a second abort() settles with the first, after the closing frame', async () => {
    const closing = new Deferred<void>();
    const frames: SentFrame[] = [];
    const sink: ReplyStreamSink = {
      streaming: true,
      streamId: 's',
      get index() {
        return frames.length;
      },
      async frame(text, done) {
        if (done) await closing.promise;
        frames.push({ text, done });
      },
    };
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', { intervalMs: 300 });
    stream.write('hello');
    await vi.waitFor(() => expect(frames).toHaveLength(1));

    const order: string[] = [];
    const first = stream.abort(new Error('user left')).then(() => order.push('first'));
    const second = stream.abort(new Error('shutdown')).then(() => order.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(order).toEqual([]);

    closing.resolve();
    await Promise.all([first, second]);
    expect(frames.at(-1)).toEqual({ text: 'hello', done: true });
    expect(order).toHaveLength(2);
  });
});

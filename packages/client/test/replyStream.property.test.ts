import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ReplyStream,
  ReplyStreamError,
  ReplyWindow,
  ReplyWindowClosedError,
  type ReplyStreamSink,
} from '@bot/client';

interface SentFrame {
  at: number;
  text: string;
  done: boolean;
}

/** A streaming sink that records frames; `failAt` makes that frame (0-based) throw. */
function recordingSink(failAt?: number): ReplyStreamSink & { frames: SentFrame[] } {
  const frames: SentFrame[] = [];
  let attempts = 0;
  return {
    streaming: true,
    streamId: undefined,
    frames,
    get index() {
      return frames.length;
    },
    async frame(text: string, done: boolean) {
      if (attempts++ === failAt) throw new Error('platform said no');
      frames.push({ at: Date.now(), text, done });
    },
  };
}

const op = fc.oneof(
  fc.record({ write: fc.string({ minLength: 1, maxLength: 6 }) }),
  fc.record({ wait: fc.integer({ min: 0, max: 900 }) }),
);

describe('ReplyStream pacing (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('for any writes and pauses: frames keep the interval, none is blank, each carries the whole text so far, the last is done with everything', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 25 }),
        fc.integer({ min: 300, max: 800 }),
        async (ops, interval) => {
          vi.useFakeTimers();
          const sink = recordingSink();
          const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', {
            intervalMs: interval,
          });
          let written = '';
          for (const step of ops) {
            if ('write' in step) {
              stream.write(step.write);
              written += step.write;
            } else await vi.advanceTimersByTimeAsync(step.wait);
          }
          const ended = stream.end();
          await vi.advanceTimersByTimeAsync(interval);
          const result = await ended;

          const { frames } = sink;
          // A blank text is never sent: the platform refuses an empty message.
          if (written.trim() === '') {
            expect(result).toMatchObject({ text: '', frames: 0 });
            expect(frames).toEqual([]);
            return;
          }
          expect(result).toMatchObject({ text: written, frames: frames.length });
          expect(frames.every((frame) => frame.text.trim() !== '')).toBe(true);
          for (let at = 1; at < frames.length; at++) {
            expect(frames[at]!.at - frames[at - 1]!.at).toBeGreaterThanOrEqual(interval);
            expect(frames[at]!.text.startsWith(frames[at - 1]!.text)).toBe(true);
          }
          expect(frames.map((frame) => frame.done)).toEqual([...frames.slice(1).map(() => false), true]);
          expect(frames.at(-1)!.text).toBe(written);
          expect(vi.getTimerCount()).toBe(0);
          vi.useRealTimers();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a refused frame fails the stream: write() and end() report it with the cause, and the shown stream is closed once', async () => {
    vi.useFakeTimers();
    const sink = recordingSink(1);
    const window = new ReplyWindow('c2c', 'm');
    const stream = new ReplyStream(sink, window, 'enforce', { intervalMs: 300 });
    stream.write('first');
    await vi.advanceTimersByTimeAsync(0);
    stream.write(' second');
    await vi.advanceTimersByTimeAsync(300);
    // The closing frame waits out the interval too.
    await vi.advanceTimersByTimeAsync(300);

    expect(stream.state).toBe('failed');
    expect(() => stream.write('more')).toThrow(ReplyStreamError);
    const error = await stream.end().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'replyStream', failure: 'send' });
    expect((error as Error).cause).toEqual(new Error('platform said no'));
    expect(sink.frames.map((frame) => [frame.text, frame.done])).toEqual([
      ['first', false],
      ['first second', true],
    ]);
    expect(window.used).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abort() during the wait between frames clears the timer and closes the stream with the text written', async () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', { intervalMs: 500 });
    stream.write('a');
    await vi.advanceTimersByTimeAsync(0);
    stream.write('b');
    await vi.advanceTimersByTimeAsync(100);
    const aborted = stream.abort(new Error('user left'));
    await vi.advanceTimersByTimeAsync(500);
    await aborted;

    expect(stream.state).toBe('aborted');
    expect(sink.frames.map((frame) => [frame.text, frame.done])).toEqual([
      ['a', false],
      ['ab', true],
    ]);
    await expect(stream.end()).rejects.toMatchObject({ failure: 'aborted' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a stream opened in time whose first text comes after the window sends nothing and fails with the ReplyWindowClosedError itself', async () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const window = new ReplyWindow('c2c', 'm');
    const stream = new ReplyStream(sink, window, 'enforce', {
      intervalMs: 300,
      idleTimeoutMs: 2 * 60 * 60_000,
    });
    // Both clocks pass the window's end: it is judged on both.
    vi.advanceTimersByTime(window.timeLeft());
    stream.write('too late');
    const error = await stream.end().catch((caught: unknown) => caught);

    // The window's own error, so `switch (error.kind)` finds it.
    expect(error).toBeInstanceOf(ReplyWindowClosedError);
    expect(error).toMatchObject({ kind: 'replyWindowClosed', reason: 'expired' });
    expect(() => stream.write('more')).toThrow(ReplyWindowClosedError);
    expect(sink.frames).toEqual([]);
    expect(window.used).toBe(0);
  });

  it('refuses text past maxLength without ending the stream', async () => {
    const sink = recordingSink();
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', { maxLength: 5 });
    stream.write('12345');
    expect(() => stream.write('6')).toThrow(expect.objectContaining({ failure: 'tooLong' }));
    expect(stream.state).toBe('open');
    await expect(stream.end()).resolves.toMatchObject({ text: '12345' });
  });

  it('refuses an interval below the platform floor', () => {
    expect(
      () => new ReplyStream(recordingSink(), new ReplyWindow('c2c', 'm'), 'enforce', { intervalMs: 100 }),
    ).toThrow(/intervalMs/);
  });
});

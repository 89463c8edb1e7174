import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplyStream, ReplyWindow, type ReplyStreamSink } from '@bot/client';

const HOUR_MS = 3_600_000;
const INTERVAL_MS = 500;

/** A streaming sink that records each frame's text and whether it closed the stream. */
function framesSink(): ReplyStreamSink & { frames: Array<[string, boolean]> } {
  const frames: Array<[string, boolean]> = [];
  return {
    streaming: true,
    streamId: undefined,
    frames,
    get index() {
      return frames.length;
    },
    frame(text: string, done: boolean) {
      frames.push([text, done]);
      return Promise.resolve();
    },
  };
}

/**
 * A stream that has sent its first frame, `a`; then the wall clock jumps an hour ahead, and `b` is
 * written for the next frame.
 */
async function streamAcrossAStep() {
  const sink = framesSink();
  const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', { intervalMs: INTERVAL_MS });
  stream.write('a');
  await vi.advanceTimersByTimeAsync(0);
  vi.setSystemTime(Date.now() + HOUR_MS);
  stream.write('b');
  return { sink, stream };
}

describe('ReplyStream: a wall clock stepped forward does not shorten the interval between frames', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the next frame still waits the whole interval after the last one', async () => {
    vi.useFakeTimers();
    const { sink, stream } = await streamAcrossAStep();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(sink.frames).toEqual([['a', false]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.frames).toEqual([
      ['a', false],
      ['ab', false],
    ]);
    const ended = stream.end();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    await ended;
  });

  it("an aborted stream's closing frame still keeps the interval", async () => {
    vi.useFakeTimers();
    const { sink, stream } = await streamAcrossAStep();
    const aborted = stream.abort(new Error('user left'));
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(sink.frames).toEqual([['a', false]]);
    await vi.advanceTimersByTimeAsync(1);
    await aborted;
    expect(sink.frames).toEqual([
      ['a', false],
      ['ab', true],
    ]);
  });
});

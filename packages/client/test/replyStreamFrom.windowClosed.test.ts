import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  pipeToReplyStream,
  ReplyStream,
  ReplyStreamError,
  ReplyWindow,
  ReplyWindowClosedError,
  type ReplyStreamSink,
} from '@bot/client';

/** A streaming sink that records the frames it is given. */
function recordingSink(): ReplyStreamSink & { frames: string[] } {
  const frames: string[] = [];
  return {
    streaming: true,
    streamId: undefined,
    frames,
    get index() {
      return frames.length;
    },
    async frame(text: string) {
      frames.push(text);
    },
  };
}

describe('replyStreamFrom when the reply window closes while the source is still yielding', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects with the ReplyWindowClosedError itself, not a ReplyStreamError blaming the source', async () => {
    vi.useFakeTimers();
    const window = new ReplyWindow('c2c', 'm1');
    const sink = recordingSink();
    const stream = new ReplyStream(sink, window, 'enforce', {
      intervalMs: 300,
      idleTimeoutMs: 2 * 60 * 60_000,
    });
    let stopped = false;
    // A model that answers slowly: its first token comes after the 60-minute window has passed.
    async function* tokens(): AsyncGenerator<string> {
      try {
        // Both clocks pass the window's end: it is judged on both.
        vi.advanceTimersByTime(window.timeLeft());
        yield 'too';
        yield ' late';
        yield ' for this message';
      } finally {
        stopped = true;
      }
    }

    const error = await pipeToReplyStream(stream, tokens()).catch((caught: unknown) => caught);

    // What README and docs/protocol.md §15.2 promise: `switch (error.kind)` finds replyWindowClosed.
    expect(error).toBeInstanceOf(ReplyWindowClosedError);
    expect(error).not.toBeInstanceOf(ReplyStreamError);
    expect(error).toMatchObject({ kind: 'replyWindowClosed', reason: 'expired' });
    expect(sink.frames).toEqual([]);
    expect(window.used).toBe(0);
    expect(stopped).toBe(true);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { OneMessageSink, ReplyStream, ReplyWindow } from '@bot/client';

describe('ReplyStream.write cost', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads only the piece written, never the text written before it (one-char writes stay linear)', async () => {
    const sink = new OneMessageSink(async () => undefined);
    const stream = new ReplyStream(sink, new ReplyWindow('group', 'm'), 'ignore', { maxLength: 100_000 });
    const reads = vi.spyOn(String.prototype, 'charCodeAt');
    for (let i = 0; i < 2_000; i++) stream.write('a');
    // Reading the accumulated text flattens it on every write: quadratic over many small writes.
    const longest = Math.max(0, ...reads.mock.contexts.map((text) => String(text).length));
    reads.mockRestore();
    expect(longest).toBeLessThanOrEqual(1);
    expect(stream.text).toHaveLength(2_000);
    await stream.abort();
  });

  it('still counts a surrogate pair split across writes, and one across the same write, once', async () => {
    const sink = new OneMessageSink(async () => undefined);
    const stream = new ReplyStream(sink, new ReplyWindow('group', 'm'), 'ignore', { maxLength: 3 });
    stream.write('\uD83D');
    stream.write('\uDE00');
    stream.write('\u{1F600}');
    stream.write('\uD83D');
    // The pair's low half completes the third character; a lone low half after a full pair is one more.
    stream.write('\uDE00');
    expect(() => stream.write('\uDE00')).toThrow(/3 characters/);
    expect(() => stream.write('x')).toThrow(/3 characters/);
    stream.write('');
    await stream.abort();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplyStream, ReplyWindow, ValidationError, type ReplyStreamSink } from '@bot/client';
import { recordingSink } from './support/recordingSink.js';

/*
 * A `WritableStream` whose write throws is errored for good: `pipeTo` rejects, and nothing can
 * write to it, close it or abort it any more. So writable() must not leave the reply behind it
 * open, "generating" for the user until the idle timeout (60 s by default) closes it.
 */
describe('ReplyStream.writable() when a chunk is refused', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    { name: 'a chunk past maxLength', chunk: 'x'.repeat(50), failure: { failure: 'tooLong' } },
    { name: 'a chunk that is not a string', chunk: 42, failure: ValidationError },
  ])(
    '$name: pipeTo rejects with why, and the reply is closed with the text so far at once',
    async ({ chunk, failure }) => {
      vi.useFakeTimers();
      const sink = recordingSink('s1');
      const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm1'), 'enforce', {
        intervalMs: 300,
        maxLength: 20,
      });
      const source = new ReadableStream<unknown>({
        start(controller) {
          controller.enqueue('hello ');
          controller.enqueue(chunk);
          controller.enqueue('never read');
        },
      });

      const piped = source
        .pipeTo(stream.writable() as WritableStream<unknown>)
        .catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(1_000);
      const error = await piped;

      if (typeof failure === 'function') expect(error).toBeInstanceOf(failure);
      else expect(error).toMatchObject(failure);
      // Well before the 60-second idle timeout: the user sees the text so far, finished.
      expect(stream.state).toBe('aborted');
      expect(sink.frames.at(-1)).toEqual({ text: 'hello ', done: true });
      expect(vi.getTimerCount()).toBe(0);
    },
  );
});

describe('ReplyStream.writable() written to after end()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('errors the WritableStream with the closed error and leaves the ending reply to finish as end() said', async () => {
    vi.useFakeTimers();
    const sink = recordingSink('s1');
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm1'), 'enforce', { intervalMs: 300 });
    const writer = stream.writable().getWriter();
    await writer.write('hello');
    const ended = stream.end(' world');
    const late = await writer.write('!').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);

    expect(late).toMatchObject({ failure: 'closed' });
    await expect(ended).resolves.toMatchObject({ text: 'hello world' });
    expect(sink.frames.at(-1)).toEqual({ text: 'hello world', done: true });
  });
});

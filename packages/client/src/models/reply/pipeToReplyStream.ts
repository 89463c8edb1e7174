import type { ReplyStream } from './ReplyStream.js';
import type { ReplyStreamResult } from './replyStreamOptions.js';
import { leftWith, ReplyStreamError } from './ReplyStreamError.js';
import { ReplyWindowClosedError } from './ReplyWindowClosedError.js';
import { messageOf } from '@bot/core';

/** What {@link nextPiece} gives when the stream stopped before the source yielded. */
const STREAM_STOPPED = Symbol('streamStopped');

/**
 * Streams every piece of `source` into `stream`, then ends it. The source sets the pace; frames
 * are coalesced by the stream. When the source throws, the stream is aborted (a C2C user keeps the
 * text received so far; a group or guild gets nothing) and the promise rejects with a {@link ReplyStreamError} `'source'` whose
 * `cause` is what the source threw. When the stream fails or is aborted (its idle timeout, the
 * client's shutdown, `abort()`), the promise rejects with the stream's error once the stream is
 * closed, without waiting for the source's next piece, which may never come; the source is
 * stopped (its `return()` runs) when it next yields. The stream's error is a
 * {@link ReplyStreamError}, or the `ReplyWindowClosedError` itself when the reply window was found
 * closed (docs/protocol.md §15.2).
 *
 * @param stream - an open stream
 * @param source - pieces of text, e.g. tokens from a model
 */
export async function pipeToReplyStream(
  stream: ReplyStream,
  source: AsyncIterable<string> | Iterable<string>,
): Promise<ReplyStreamResult> {
  let pieces: AsyncIterator<string> | undefined;
  try {
    pieces = iteratorOf(source);
    for (;;) {
      const next = await nextPiece(pieces, stream.signal);
      if (next === STREAM_STOPPED) {
        // The source is inside an await: return() takes effect (runs its cleanup) when it yields.
        pieces.return?.().catch(() => undefined);
        // Settles once the stream has closed what its user sees, with the stream's own error.
        return await stream.end();
      }
      if (next.done === true) break;
      try {
        stream.write(next.value);
      } catch (error) {
        // The source has just yielded: stop it, as `for await` would, before reporting.
        await pieces.return?.().catch(() => undefined);
        throw error;
      }
    }
  } catch (error) {
    // The stream's own failure, thrown back by write() or end(): not the source's doing.
    if (error instanceof ReplyStreamError || error instanceof ReplyWindowClosedError) {
      await stream.abort(error);
      throw error;
    }
    await stream.abort(error);
    throw new ReplyStreamError(
      'source',
      `the text source of a streamed reply threw after ${stream.text.length} character(s): ` +
        `${messageOf(error)}; the reply was stopped: ${leftWith(stream.streamed, stream.index > 0)}`,
      error,
    );
  }
  return stream.end();
}

/** The source as an async iterator; a sync one's pieces are awaited, as `for await` does. */
function iteratorOf(source: AsyncIterable<string> | Iterable<string>): AsyncIterator<string> {
  const asyncSource = source as Partial<AsyncIterable<string>>;
  const openAsync = asyncSource[Symbol.asyncIterator];
  if (typeof openAsync === 'function') return openAsync.call(asyncSource);
  return (async function* syncPieces() {
    yield* source as Iterable<string>;
  })();
}

/**
 * The source's next piece, or {@link STREAM_STOPPED} as soon as `signal` says the stream stopped,
 * whichever comes first. The listener is removed either way, so a long stream adds none up.
 */
function nextPiece(
  pieces: AsyncIterator<string>,
  signal: AbortSignal,
): Promise<IteratorResult<string> | typeof STREAM_STOPPED> {
  if (signal.aborted) return Promise.resolve(STREAM_STOPPED);
  return new Promise((resolve, reject) => {
    const stopped = (): void => resolve(STREAM_STOPPED);
    signal.addEventListener('abort', stopped, { once: true });
    pieces.next().then(
      (result) => {
        signal.removeEventListener('abort', stopped);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stopped);
        reject(error);
      },
    );
  });
}

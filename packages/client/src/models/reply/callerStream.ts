import { callSiteOf, requestsFrom } from '@bot/http';
import { pipeToReplyStream } from './pipeToReplyStream.js';
import type { ReplyStream } from './ReplyStream.js';
import type { ReplyStreamResult } from './replyStreamOptions.js';

// A stream sends its frames in later turns, from its own loop: it keeps the call site it was built
// under (ReplyStream's constructor), and a model's stream methods build it under their caller's.

/** A model's public stream method, as found on its prototype (the function on the stack). */
type StreamEntry = (...args: never[]) => unknown;

/**
 * Builds a stream with `open` under the call site of the caller's code that called `entry`, so
 * the stream's failures show that line (or, inside another such method, that method's caller).
 *
 * @param entry - the model's `replyStream`, which calls this synchronously
 * @param open - builds the stream
 * @returns the stream `open` built
 */
export function openCallerStream(entry: StreamEntry, open: () => ReplyStream): ReplyStream {
  return requestsFrom(callSiteOf(entry), open);
}

/**
 * Opens a stream as {@link openCallerStream} does, then streams every piece of `source` into it
 * and ends it ({@link pipeToReplyStream}).
 *
 * @param entry - the model's `replyStreamFrom`, which calls this synchronously
 * @param open - opens the stream (the model's `replyStream`)
 * @param source - pieces of text
 * @returns what the stream sent
 */
export async function pipeCallerStream(
  entry: StreamEntry,
  open: () => ReplyStream,
  source: AsyncIterable<string> | Iterable<string>,
): Promise<ReplyStreamResult> {
  return pipeToReplyStream(openCallerStream(entry, open), source);
}

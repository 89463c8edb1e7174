import type { ReplyStream } from './ReplyStream.js';
import type { ReplyStreamResult } from './replyStreamOptions.js';
import { ReplyStreamError } from './ReplyStreamError.js';
import { ReplyWindowClosedError } from './ReplyWindowClosedError.js';
import { messageOf } from '@bot/core';

/**
 * Streams every piece of `source` into `stream`, then ends it. The source sets the pace; frames
 * are coalesced by the stream. When the source throws, the stream is aborted (the user keeps the
 * text received so far) and the promise rejects with a {@link ReplyStreamError} `'source'` whose
 * `cause` is what the source threw. When the stream fails, the source is stopped (its `return()`
 * runs) and the stream's error is rethrown: a {@link ReplyStreamError}, or the
 * `ReplyWindowClosedError` itself when the reply window was found closed (docs/protocol.md §15.2).
 *
 * @param stream - an open stream
 * @param source - pieces of text, e.g. tokens from a model
 */
export async function pipeToReplyStream(
  stream: ReplyStream,
  source: AsyncIterable<string> | Iterable<string>,
): Promise<ReplyStreamResult> {
  try {
    for await (const piece of source) stream.write(piece);
  } catch (error) {
    // The stream's own failure, thrown back by write(): not the source's doing.
    if (error instanceof ReplyStreamError || error instanceof ReplyWindowClosedError) {
      await stream.abort(error);
      throw error;
    }
    await stream.abort(error);
    throw new ReplyStreamError(
      'source',
      `the text source of a streamed reply threw after ${stream.text.length} character(s): ` +
        `${messageOf(error)}; the reply was closed with the text received so far`,
      error,
    );
  }
  return stream.end();
}

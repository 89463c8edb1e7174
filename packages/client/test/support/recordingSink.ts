import type { ReplyStreamSink } from '@bot/client';

/** A frame a {@link recordingSink} was given. */
export interface SentFrame {
  text: string;
  done: boolean;
}

/**
 * A streaming sink that records the frames it is given, in order, and accepts each at once.
 *
 * @param streamId - the stream id it reports (none, as before a first frame's answer, by default)
 */
export function recordingSink(streamId?: string): ReplyStreamSink & { frames: SentFrame[] } {
  const frames: SentFrame[] = [];
  return {
    streaming: true,
    streamId,
    frames,
    get index() {
      return frames.length;
    },
    async frame(text: string, done: boolean) {
      frames.push({ text, done });
    },
  };
}

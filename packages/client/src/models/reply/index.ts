export { ReplyWindow, certainlyNotSent, type ArrivalStamps } from './ReplyWindow.js';
export { replyWindowOpenedAt, REPLY_CLOCK_SKEW_MS } from './replyWindowOpening.js';
export { ReplyWindowClosedError, type ReplyWindowClosedReason } from './ReplyWindowClosedError.js';
export {
  REPLY_RULES,
  type ReplyOptions,
  type ReplyRule,
  type ReplyScene,
  type ReplyWindowPolicy,
} from './replyRules.js';
export { ReplyStream } from './ReplyStream.js';
export {
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_STREAM_INTERVAL_MS,
  DEFAULT_STREAM_MAX_LENGTH,
  MIN_STREAM_INTERVAL_MS,
  type ReplyStreamOptions,
  type ReplyStreamResult,
  type ReplyStreamState,
} from './replyStreamOptions.js';
export { OpenReplyStreams, MAX_OPEN_REPLY_STREAMS, type AbortableStream } from './OpenReplyStreams.js';
export { ReplyStreamError, type ReplyStreamFailure } from './ReplyStreamError.js';
export { OneMessageSink, type ReplyStreamSink } from './ReplyStreamSink.js';
export { C2CStreamSink } from './C2CStreamSink.js';
export { pipeToReplyStream } from './pipeToReplyStream.js';

export { ReplyWindow } from './ReplyWindow.js';
export { ReplyWindowClosedError, type ReplyWindowClosedReason } from './ReplyWindowClosedError.js';
export {
  REPLY_RULES,
  type ReplyOptions,
  type ReplyRule,
  type ReplyScene,
  type ReplyWindowPolicy,
} from './replyRules.js';
export {
  ReplyStream,
  DEFAULT_STREAM_INTERVAL_MS,
  DEFAULT_STREAM_MAX_LENGTH,
  MIN_STREAM_INTERVAL_MS,
  type ReplyStreamOptions,
  type ReplyStreamResult,
  type ReplyStreamState,
} from './ReplyStream.js';
export { ReplyStreamError, type ReplyStreamFailure } from './ReplyStreamError.js';
export { OneMessageSink, type ReplyStreamSink } from './ReplyStreamSink.js';
export { C2CStreamSink } from './C2CStreamSink.js';
export { pipeToReplyStream } from './pipeToReplyStream.js';

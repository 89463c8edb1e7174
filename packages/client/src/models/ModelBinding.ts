import type { BotApi } from '@bot/http';
import type { OpenReplyStreams } from './reply/OpenReplyStreams.js';
import type { ReplyWindowPolicy } from './reply/replyRules.js';
import type { ReplySequencer } from './ReplySequencer.js';

/** What a model needs to act: the API that received it and the client's reply numbering. */
export interface ModelBinding {
  /** The API models call to reply, acknowledge or fetch more. */
  readonly api: BotApi;
  /** Shared `msg_seq` numbering of replies per inbound message. */
  readonly replies: ReplySequencer;
  /** Whether replies check their message's reply window first (`'enforce'` when absent). */
  readonly replyWindow?: ReplyWindowPolicy;
  /** The client's open streamed replies, closed by `Client.shutdown()`. */
  readonly streams?: OpenReplyStreams;
}

export { Platform, ENV } from './platform.js';
export {
  runClient,
  runMain,
  untilShardsReady,
  untilShutdownSignal,
  type RunClientOptions,
} from './lifecycle.js';
export {
  Conversation,
  NoReplyError,
  REPLY_TIMEOUT_MS,
  describeReply,
  exchange,
  transcriptLine,
} from './conversation.js';
export { collectReplies, type BotReply, type CollectOptions } from './replies.js';
export {
  c2cScene,
  groupScene,
  guildScene,
  type GuildSceneOptions,
  type Scene,
  type SceneKind,
  type SentMessage,
} from './scenes.js';

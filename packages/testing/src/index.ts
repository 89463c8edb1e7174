export { Emulator } from './Emulator.js';
export { PLATFORM_IDENTIFY_WINDOW_MS, type EmulatorOptions, type Pacing } from './EmulatorOptions.js';
export { EmulatorError } from './EmulatorError.js';
export { CONTROL_PREFIX, type EmulatorInfo } from './control/ControlApi.js';
export type { EventRouting, PublishedEvent } from './dispatch/routing.js';
export type { Faults } from './faults/Faults.js';
export type { RouteFailure } from './faults/RouteFaults.js';
export type { SessionStartLimitOptions } from './gateway/IdentifyLimiter.js';
export { GATEWAY_PATH } from './gateway/GatewayServer.js';
export { TOKEN_PATH } from './auth/tokenEndpoint.js';
export { CloseCode } from './protocol/closeCodes.js';
export { ALL_INTENTS, DEFAULT_GRANTED_INTENTS, Intent } from './protocol/intents.js';
export { OpCode, type GatewayPayload } from './protocol/opcodes.js';
export type * from './protocol/wire.js';
export { Recorder, type WaitOptions } from './recorder/Recorder.js';
export type * from './recorder/records.js';
export { ErrorCode } from './rest/errorCodes.js';
export {
  ChunkedUploads,
  PART_PATH,
  type ChunkedUploadChanges,
  type ChunkedUploadSettings,
  type CompletionFailure,
  type PartFailure,
} from './uploads/ChunkedUploads.js';
export type { UploadQuotaSnapshot } from './uploads/UploadQuota.js';
export type { PartRequestRecord } from './uploads/partEndpoint.js';
export type { PendingAudit } from './rest/rules/AuditQueue.js';
export type { RichContentGrants, RichContentGrantSet } from './rest/rules/RichContentGrants.js';
export type { Simulator } from './simulate/Simulator.js';
export type { DirectMessageOptions, GuildMessageOptions } from './simulate/guildMessages.js';
export type { MemberChangeOptions, MemberUpdateOptions } from './simulate/guildMembers.js';
export type { ReactionOptions } from './simulate/messageReactions.js';
export type { VoiceOptions } from './simulate/voiceChannels.js';
export type {
  GuildCreateOptions,
  GuildDeleteOptions,
  GuildUpdateOptions,
} from './simulate/guildLifecycle.js';
export type { MessageDeleteOptions } from './simulate/messageDelete.js';
export type {
  C2CMessageOptions,
  GroupActionOptions,
  GroupMessageOptions,
  InteractionOptions,
  UserActionOptions,
} from './simulate/openEvents.js';
export { SEED } from './state/seed.js';
export type { World, WorldDefaults } from './state/World.js';
export { MAX_EMULATOR_SHARDS, shardForGuild } from './util/ids.js';
export { signingKey, signHex, validationAnswer, verifyHex } from './webhook/signing.js';
export type { ValidationResult, WebhookPusher } from './webhook/WebhookPusher.js';

export { MessageParams } from './MessageParams.js';
export { OpenMessageParams, MEDIA_PLACEHOLDER_CONTENT } from './OpenMessageParams.js';
export type { GuildMessageInput, OpenMessageInput } from './prepare.js';

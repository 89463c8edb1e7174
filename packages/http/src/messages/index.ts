export { MessageParams } from './MessageParams.js';
export { OpenMessageParams, MEDIA_PLACEHOLDER_CONTENT } from './OpenMessageParams.js';
export type { GuildMessageInput, OpenMessageInput } from './prepare.js';
export { richFallbackOf, type RichFallbackOptions, type RichFallbackReport } from './richContentFallback.js';
export { renderPlainText, stripMarkdown } from './renderPlainText.js';
export { FileImageTooLargeError } from './FileImageTooLargeError.js';
export { MAX_GUILD_FORM_BYTES } from './fileImageSize.js';
export { MAX_MESSAGE_BODY_BYTES } from './messageBodySize.js';

import type { FileAttachment } from '../rest/RequestOptions.js';
import type { GuildMessageBody, OpenMessageBody } from '@bot/core';
import { MessageParams } from './MessageParams.js';
import { OpenMessageParams, withMediaContent } from './OpenMessageParams.js';
import { validateGuildMessage, validateOpenMessage } from './validateMessage.js';

/** What the guild channel and DM send methods accept: a builder or a plain wire body. */
export type GuildMessageInput = MessageParams | GuildMessageBody;

/** What the group and C2C send methods accept: a builder or a plain wire body. */
export type OpenMessageInput = OpenMessageParams | OpenMessageBody;

/** A guild message ready for the wire: the JSON fields and the local image, if any. */
export interface PreparedGuildMessage {
  /** JSON fields (form fields when there is a file). */
  body: GuildMessageBody;
  /** The `file_image` part. */
  fileImage: FileAttachment | undefined;
}

/**
 * Turns a guild message input into its wire form and validates it.
 *
 * @param input - builder or plain body
 * @param field - the caller's name for it, used in errors
 * @throws {@link ValidationError} when the message cannot be sent as is
 */
export function prepareGuildMessage(input: GuildMessageInput, field: string): PreparedGuildMessage {
  const prepared: PreparedGuildMessage =
    input instanceof MessageParams
      ? { body: input.toBody(), fileImage: input.fileImage }
      : { body: input, fileImage: undefined };
  validateGuildMessage(prepared.body, prepared.fileImage, field);
  return prepared;
}

/**
 * Turns a group or C2C message input into its wire form (a media message without content gets
 * the single space the platform needs) and validates it.
 *
 * @param input - builder or plain body
 * @param field - the caller's name for it, used in errors
 * @throws {@link ValidationError} when the message cannot be sent as is
 */
export function prepareOpenMessage(input: OpenMessageInput, field: string): OpenMessageBody {
  const body = input instanceof OpenMessageParams ? input.toBody() : input;
  validateOpenMessage(body, field);
  return withMediaContent(body);
}

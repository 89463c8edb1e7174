import {
  type CustomKeyboard,
  type GuildMessageBody,
  isNonBlank,
  type OpenMessageBody,
  OpenMessageType,
  optionalId,
  requireExactlyOne,
  requireId,
  requireInteger,
  requireObject,
  requireOneOf,
  ValidationError,
} from '@bot/core';
import type { FileAttachment } from '../rest/RequestOptions.js';
import type { FileImageTooLargeError } from './FileImageTooLargeError.js';
import { checkKeyboardLimits } from '../keyboard/keyboardRules.js';
import { checkGuildExclusions, checkOpenExclusions } from './exclusions.js';
import { checkFileImageSize } from './fileImageSize.js';

/** `msg_type` of a C2C typing notice, which shares the message route but is no message. */
export const INPUT_NOTIFY_MSG_TYPE = 6;

const OPEN_MESSAGE_TYPES = Object.values(OpenMessageType);

/**
 * Checks a guild channel or DM message before it is sent: it must carry something the platform
 * can show, each part must be well formed, and a local image must leave the multipart body within
 * `MAX_GUILD_FORM_BYTES` (a JSON body is held to `MAX_MESSAGE_BODY_BYTES` once encoded).
 *
 * @param body - the JSON fields
 * @param fileImage - the local image, when there is one
 * @param field - the caller's name for the message (`params`)
 * @throws {@link ValidationError} naming the offending field
 * @throws {@link FileImageTooLargeError} for a local image too large to send
 */
export function validateGuildMessage(
  body: GuildMessageBody,
  fileImage: FileAttachment | undefined,
  field: string,
): void {
  requireObject(body, field);
  if ('file_image' in body) {
    throw new ValidationError(
      `${field}.file_image`,
      'must be sent as a file part: use MessageParams.fileImage()',
    );
  }
  optionalString(body.content, `${field}.content`);
  const hasPayload =
    isNonBlank(body.content) ||
    body.embed !== undefined ||
    body.ark !== undefined ||
    body.markdown !== undefined ||
    body.image !== undefined ||
    fileImage !== undefined;
  if (!hasPayload) {
    throw new ValidationError(
      field,
      'has nothing to send: set content, embed, ark, markdown, image or a file image',
    );
  }
  if (body.image !== undefined) requireId(body.image, `${field}.image`);
  if (body.embed !== undefined) requireObject(body.embed, `${field}.embed`);
  if (body.ark !== undefined) validateArk(body.ark, `${field}.ark`);
  if (body.markdown !== undefined) validateMarkdown(body.markdown, `${field}.markdown`);
  if (body.keyboard !== undefined) validateKeyboard(body.keyboard, `${field}.keyboard`);
  if (fileImage !== undefined) validateFile(fileImage, `${field}.fileImage`);
  checkGuildExclusions(body, fileImage !== undefined, field);
  validateReplyFields(body, field);
  // Last, so a malformed message is told what is wrong with it before how large it is.
  if (fileImage !== undefined) checkFileImageSize(body, fileImage, `${field}.fileImage`);
}

/**
 * Checks a group or C2C message before it is sent: `msg_type` must be known and the field it names
 * must be present and well formed (the body is held to `MAX_MESSAGE_BODY_BYTES` once encoded).
 *
 * @param body - the JSON fields
 * @param field - the caller's name for the message (`params`)
 * @throws {@link ValidationError} naming the offending field
 */
export function validateOpenMessage(body: OpenMessageBody, field: string): void {
  requireObject(body, field);
  // A typing notice shares the route but is no message: point to the method that builds it.
  if ((body.msg_type as number) === INPUT_NOTIFY_MSG_TYPE)
    throw new ValidationError(`${field}.msg_type`, 'is 6, a typing notice: send it with api.c2c.sendTyping');
  const type = requireOneOf(body.msg_type, `${field}.msg_type`, OPEN_MESSAGE_TYPES);
  switch (type) {
    case OpenMessageType.Text:
      if (!isNonBlank(body.content))
        throw new ValidationError(`${field}.content`, 'must not be empty for a text message');
      break;
    case OpenMessageType.Markdown:
      if (body.markdown === undefined)
        throw requiredFor(`${field}.markdown`, 'a markdown message (msg_type 2)');
      break;
    case OpenMessageType.Ark:
      if (body.ark === undefined) throw requiredFor(`${field}.ark`, 'an ark message (msg_type 3)');
      break;
    case OpenMessageType.Embed:
      if (body.embed === undefined) throw requiredFor(`${field}.embed`, 'an embed message (msg_type 4)');
      break;
    case OpenMessageType.Media:
      if (body.media === undefined) throw requiredFor(`${field}.media`, 'a media message (msg_type 7)');
      requireObject(body.media, `${field}.media`);
      requireId(body.media.file_info, `${field}.media.file_info`);
      break;
  }
  if (body.markdown !== undefined) validateMarkdown(body.markdown, `${field}.markdown`);
  if (body.ark !== undefined) validateArk(body.ark, `${field}.ark`);
  if (body.embed !== undefined) requireObject(body.embed, `${field}.embed`);
  checkOpenExclusions(body, type, field);
  validateOpenReplyFields(body, field);
}

/**
 * Checks the fields of a group or C2C message that do not depend on its kind: text, buttons and
 * the reply fields (`msg_id`, `event_id`, `msg_seq`, `message_reference`).
 *
 * @param fields - the fields
 * @param field - the caller's name for them (`params`)
 * @throws {@link ValidationError} naming the offending field
 */
export function validateOpenReplyFields(fields: Partial<OpenMessageBody>, field: string): void {
  requireObject(fields, field);
  optionalString(fields.content, `${field}.content`);
  if (fields.keyboard !== undefined) validateKeyboard(fields.keyboard, `${field}.keyboard`);
  if (fields.msg_seq !== undefined)
    requireInteger(fields.msg_seq, `${field}.msg_seq`, 1, Number.MAX_SAFE_INTEGER);
  validateReplyFields(fields, field);
}

/**
 * Checks a markdown object: raw `content`, or a template, never both.
 *
 * @param markdown - the markdown
 * @param field - its name in the error
 * @throws {@link ValidationError} naming the field
 */
export function validateMarkdown(markdown: unknown, field: string): void {
  const object = requireObject(markdown, field);
  const hasContent = isNonBlank(object['content']);
  const hasTemplate = object['custom_template_id'] !== undefined || object['template_id'] !== undefined;
  if (!hasContent && !hasTemplate) {
    throw new ValidationError(field, 'must set content or a template (custom_template_id or template_id)');
  }
  if (hasContent && hasTemplate) throw new ValidationError(field, 'must not set both content and a template');
  if (object['params'] !== undefined && !Array.isArray(object['params'])) {
    throw new ValidationError(`${field}.params`, 'must be an array');
  }
  if (object['params'] !== undefined && !hasTemplate) {
    throw new ValidationError(`${field}.params`, 'fill a template: set custom_template_id, or drop params');
  }
}

/**
 * Checks a keyboard: a template `id` or inline `content`, exactly one; inline content within the
 * platform's limits (see `checkKeyboardLimits`).
 *
 * @param keyboard - the keyboard
 * @param field - its name in the error
 * @throws {@link ValidationError} naming the field
 */
export function validateKeyboard(keyboard: unknown, field: string): void {
  const object = requireObject(keyboard, field);
  requireExactlyOne(['id', object['id']], ['content', object['content']], field);
  if (object['id'] !== undefined) requireId(object['id'], `${field}.id`);
  if (object['content'] !== undefined) {
    const content = requireObject(object['content'], `${field}.content`);
    checkKeyboardLimits(content as unknown as CustomKeyboard, `${field}.content`);
  }
}

function validateArk(ark: unknown, field: string): void {
  const object = requireObject(ark, field);
  requireInteger(object['template_id'], `${field}.template_id`, 1, Number.MAX_SAFE_INTEGER);
  if (!Array.isArray(object['kv'])) throw new ValidationError(`${field}.kv`, 'must be an array');
}

/** The shape of a file, as its refusals say it. */
const FILE_SHAPE = 'an object { name, data, contentType? }';

function validateFile(file: FileAttachment, field: string): void {
  // Bytes alone are an object too: say the shape expected rather than that a name is missing.
  if (isBytes(file) || isOtherBytes(file))
    throw new ValidationError(
      field,
      `must be ${FILE_SHAPE}, not the bytes alone: pass MessageParams.fileImage({ name: 'image.png', data })`,
    );
  requireObject(file, field);
  requireId(file.name, `${field}.name`);
  if (!isBytes(file.data)) {
    throw new ValidationError(`${field}.data`, 'must be a Uint8Array or a Blob');
  }
  // No image, as an empty group or C2C file is none (refused before upload too); the emulator
  // refuses the empty part.
  if ((file.data instanceof Blob ? file.data.size : file.data.byteLength) === 0)
    throw new ValidationError(
      `${field}.data`,
      'is empty (0 bytes): check that the image was read whole, or send it by URL with MessageParams.image(url)',
    );
  optionalString(file.contentType, `${field}.contentType`);
  if (file.contentType === '')
    throw new ValidationError(
      `${field}.contentType`,
      "must be a MIME type such as 'image/png', or left out (then it is sent as application/octet-stream)",
    );
}

/** A Uint8Array (a Buffer is one) or a Blob: what a file's `data` holds. */
function isBytes(value: unknown): value is Uint8Array | Blob {
  return value instanceof Uint8Array || value instanceof Blob;
}

/** Bytes a file's `data` does not take, which a caller may still pass as the file itself. */
function isOtherBytes(value: unknown): boolean {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function validateReplyFields(body: GuildMessageBody | Partial<OpenMessageBody>, field: string): void {
  optionalId(body.msg_id, `${field}.msg_id`);
  optionalId(body.event_id, `${field}.event_id`);
  if (body.message_reference !== undefined) {
    const reference = requireObject(body.message_reference, `${field}.message_reference`);
    requireId(reference['message_id'], `${field}.message_reference.message_id`);
  }
}

function optionalString(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'string') throw new ValidationError(field, 'must be a string');
}

function requiredFor(field: string, what: string): ValidationError {
  return new ValidationError(field, `is required for ${what}`);
}

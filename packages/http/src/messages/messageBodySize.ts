import { ValidationError } from '@bot/core';
import { formatBytes } from '../media/mediaLimits.js';
import { MAX_GUILD_FORM_BYTES } from './fileImageSize.js';

/**
 * The largest JSON body of a message send, in bytes (10 MiB): the framework's own bound, which
 * cannot be changed. The platform documents no length for a message's text or its other fields
 * (docs/protocol.md §10); this is the bound the emulator puts on every REST body (`maxBodyBytes`),
 * which the framework keeps to, as it does for a guild message with a local image
 * ({@link MAX_GUILD_FORM_BYTES}, docs/protocol.md §8.10).
 */
export const MAX_MESSAGE_BODY_BYTES = MAX_GUILD_FORM_BYTES;

/** Requests whose JSON body is a message, with the caller's name for it (see {@link markMessageRequest}). */
const messageRequests = new WeakMap<object, string>();

/**
 * Says that `request` sends a message as its JSON body: once encoded, the body must stay within
 * {@link MAX_MESSAGE_BODY_BYTES} (see {@link checkMessageBodyBytes}).
 *
 * @param request - the request options handed to the REST client
 * @param field - the caller's name for the message (`params`), for the error
 */
export function markMessageRequest(request: object, field: string): void {
  messageRequests.set(request, field);
}

/**
 * Refuses a message whose JSON body, as encoded for the wire, is larger than
 * {@link MAX_MESSAGE_BODY_BYTES}: such a body came back as a bare 413. The encoded text is
 * measured, so fields added after the message was checked (a wakeup's `is_wakeup`, a media
 * message's placeholder `content`) count, and the body is not encoded twice.
 *
 * @param request - the request's options; only one marked by {@link markMessageRequest} is checked
 * @param json - the body as encoded
 * @param body - the body before encoding, to name its largest field
 * @throws {@link ValidationError} naming the largest field, the body's size, the bound and what to do
 */
export function checkMessageBodyBytes(request: object, json: string, body: unknown): void {
  // A UTF-16 code unit takes at most 3 bytes of UTF-8: a short text needs no count.
  if (json.length * 3 <= MAX_MESSAGE_BODY_BYTES) return;
  const field = messageRequests.get(request);
  if (field === undefined) return;
  const bytes = Buffer.byteLength(json);
  if (bytes <= MAX_MESSAGE_BODY_BYTES) return;
  throw new ValidationError(
    `${field}.${largestField(body)}`,
    `would make a request body of ${bytes} bytes, over the framework's bound of ` +
      `${formatBytes(MAX_MESSAGE_BODY_BYTES)} (${MAX_MESSAGE_BODY_BYTES} bytes) on a message ` +
      '(the platform documents none): split the text into several messages, or send a long text ' +
      'as a file (a media upload in groups and C2C)',
  );
}

/** The field whose JSON is the longest; the body was encoded whole, so each field can be. */
function largestField(body: unknown): string {
  let largest = '';
  let largestLength = -1;
  for (const [name, value] of Object.entries(body as object)) {
    const length = JSON.stringify(value)?.length ?? 0;
    if (length > largestLength) [largest, largestLength] = [name, length];
  }
  return largest;
}

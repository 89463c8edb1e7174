import { ValidationError } from '@bot/core';
import { formatBytes } from '../media/mediaLimits.js';
import { MAX_GUILD_FORM_BYTES } from './fileImageSize.js';

/**
 * The largest JSON body of a message send, in bytes (10 MiB). The platform documents no length for
 * a message's text or its other fields (docs/protocol.md §8.4); this is the bound the emulator puts
 * on every REST body (`maxBodyBytes`), which the framework keeps to, as it does for a guild message
 * with a local image ({@link MAX_GUILD_FORM_BYTES}, docs/protocol.md §8.10).
 */
export const MAX_MESSAGE_BODY_BYTES = MAX_GUILD_FORM_BYTES;

/**
 * Refuses a message whose JSON body would be larger than {@link MAX_MESSAGE_BODY_BYTES}, before it
 * is sent: such a body came back as a bare 413.
 *
 * @param body - the message's JSON fields, as the REST client writes them
 * @param field - the caller's name for the message (`params`)
 * @throws {@link ValidationError} naming the largest field, the body's size, the bound and what to do
 */
export function checkMessageBodySize(body: object, field: string): void {
  const json = JSON.stringify(body);
  // A UTF-16 code unit takes at most 3 bytes of UTF-8: a short text needs no count.
  if (json.length * 3 <= MAX_MESSAGE_BODY_BYTES) return;
  const bytes = Buffer.byteLength(json);
  if (bytes <= MAX_MESSAGE_BODY_BYTES) return;
  throw new ValidationError(
    `${field}.${largestField(body)}`,
    `would make a request body of ${bytes} bytes, over the ${formatBytes(MAX_MESSAGE_BODY_BYTES)} ` +
      `(${MAX_MESSAGE_BODY_BYTES} bytes) a message may carry: split the text into several messages, ` +
      'or send a long text as a file (a media upload in groups and C2C)',
  );
}

function largestField(body: object): string {
  let largest = '';
  let largestLength = -1;
  for (const [name, value] of Object.entries(body)) {
    const length = JSON.stringify(value)?.length ?? 0;
    if (length > largestLength) [largest, largestLength] = [name, length];
  }
  return largest;
}

import type { GuildMessageBody } from '@bot/core';
import type { FileAttachment } from '../rest/RequestOptions.js';
import { FileImageTooLargeError } from './FileImageTooLargeError.js';

/**
 * The largest multipart body of a guild channel or DM message with a local image, in bytes
 * (10 MiB). The platform's pages give no size for `file_image`; this is the bound the emulator
 * puts on a REST body, which the framework keeps to (docs/protocol.md §8.10).
 */
export const MAX_GUILD_FORM_BYTES = 10 * 1024 * 1024;

// Per part: the boundary line (about 36 bytes), `Content-Disposition: form-data; name="…"`,
// a file's `; filename="…"` and `Content-Type:` header, and the CRLFs between them.
const PART_FRAMING_BYTES = 160;
// The closing boundary line.
const CLOSING_BYTES = 64;

const encoder = new TextEncoder();
const utf8 = (text: string): number => encoder.encode(text).length;
// A line break goes out as CRLF, so each CR or LF may take one byte more.
const textBytes = (text: string): number => utf8(text) + (text.match(/[\r\n]/g)?.length ?? 0);
// A quote or line break in a name goes out percent-encoded: three bytes for one.
const nameBytes = (name: string): number => 3 * utf8(name);

/**
 * The size a guild message's multipart body would have, estimated from above: the image, every
 * field as the REST client writes it (objects as JSON), and each part's framing.
 *
 * @param body - the message's JSON fields
 * @param file - the `file_image` part
 */
export function guildFormBytes(body: GuildMessageBody, file: FileAttachment): number {
  let bytes = CLOSING_BYTES;
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    bytes += PART_FRAMING_BYTES + nameBytes(name) + textBytes(text);
  }
  const blobType = file.data instanceof Blob ? file.data.type : '';
  return (
    bytes +
    PART_FRAMING_BYTES +
    nameBytes('file_image') +
    nameBytes(file.name) +
    utf8(file.contentType ?? '') +
    utf8(blobType) +
    imageBytes(file)
  );
}

/**
 * Refuses a local image that would make the message's body larger than
 * {@link MAX_GUILD_FORM_BYTES}, before anything is sent.
 *
 * @param body - the message's JSON fields
 * @param file - the `file_image` part, already checked for shape
 * @param field - its name in the error (`params.fileImage`)
 * @throws {@link FileImageTooLargeError} saying the limit and what to do instead
 */
export function checkFileImageSize(body: GuildMessageBody, file: FileAttachment, field: string): void {
  let bodyBytes: number;
  try {
    bodyBytes = guildFormBytes(body, file);
  } catch {
    // A field JSON cannot write (circular, a BigInt): encoding the form refuses it on `body`.
    return;
  }
  if (bodyBytes <= MAX_GUILD_FORM_BYTES) return;
  const size = imageBytes(file);
  const room = Math.max(0, MAX_GUILD_FORM_BYTES - (bodyBytes - size));
  throw new FileImageTooLargeError(field, size, bodyBytes, MAX_GUILD_FORM_BYTES, room);
}

function imageBytes(file: FileAttachment): number {
  return file.data instanceof Blob ? file.data.size : file.data.byteLength;
}

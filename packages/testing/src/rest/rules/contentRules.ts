import type { JsonObject } from '../../util/guards.js';
import { ErrorCode } from '../errorCodes.js';
import { invalidField, RestError } from '../RestError.js';

/** Message types of group/C2C sends. */
export const MsgType = { Text: 0, Markdown: 2, Ark: 3, Embed: 4, Media: 7 } as const;

const MSG_TYPES: ReadonlySet<number> = new Set(Object.values(MsgType));

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function emptyMessage(detail: string): RestError {
  return new RestError(400, ErrorCode.EmptyMessage, `cannot send an empty message: ${detail}`);
}

/**
 * A guild channel or DM send must carry something to show: content, embed, ark, markdown, an
 * image URL or an uploaded `file_image`.
 */
export function checkGuildContent(body: JsonObject, hasFileImage: boolean): void {
  const shown =
    hasText(body['content']) ||
    present(body['embed']) ||
    present(body['ark']) ||
    present(body['markdown']) ||
    hasText(body['image']) ||
    hasFileImage;
  if (!shown) throw emptyMessage('set content, embed, ark, markdown, image or file_image');
}

/**
 * A group/C2C send must match its `msg_type` (absent means text): text needs content, markdown needs markdown, ark
 * needs ark, embed needs embed, and media needs `media.file_info` plus a non-empty content.
 * Returns the validated msg_type.
 */
export function checkOpenContent(body: JsonObject): number {
  // The docs mark msg_type required, but clients in production (qq-official-bot) send text
  // without it and the platform treats that as text, so absence reads as 0.
  const raw = body['msg_type'] ?? MsgType.Text;
  const msgType = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof msgType !== 'number' || !MSG_TYPES.has(msgType)) {
    throw invalidField('msg_type', 'must be one of 0, 2, 3, 4, 7');
  }
  switch (msgType) {
    case MsgType.Text:
      if (!hasText(body['content'])) throw emptyMessage('msg_type 0 needs a non-empty content');
      break;
    case MsgType.Markdown:
      if (!present(body['markdown'])) throw emptyMessage('msg_type 2 needs markdown');
      break;
    case MsgType.Ark:
      if (!present(body['ark'])) throw emptyMessage('msg_type 3 needs ark');
      break;
    case MsgType.Embed:
      if (!present(body['embed'])) throw emptyMessage('msg_type 4 needs embed');
      break;
    case MsgType.Media:
      // The platform rejects an empty content even for media (a single space is enough).
      if (typeof body['content'] !== 'string' || body['content'] === '')
        throw emptyMessage('msg_type 7 needs a content (a space works)');
      break;
  }
  return msgType;
}

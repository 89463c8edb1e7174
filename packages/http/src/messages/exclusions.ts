import {
  type GuildMessageBody,
  isNonBlank,
  type OpenMessageBody,
  OpenMessageType,
  ValidationError,
} from '@bot/core';

// What a send body may not combine, checked before the request (docs/protocol.md §12): the
// platform refuses these with codes of its own (50037, 50057, …) after a round trip.

/** The payload field each group/C2C `msg_type` sends; any other payload field does not belong. */
const OPEN_PAYLOADS = {
  [OpenMessageType.Text]: undefined,
  [OpenMessageType.Markdown]: 'markdown',
  [OpenMessageType.Ark]: 'ark',
  [OpenMessageType.Embed]: 'embed',
  [OpenMessageType.Media]: 'media',
} as const satisfies Record<OpenMessageType, keyof OpenMessageBody | undefined>;

const OPEN_PAYLOAD_FIELDS = ['markdown', 'ark', 'embed', 'media'] as const;
const TYPE_NAMES: Record<OpenMessageType, string> = {
  [OpenMessageType.Text]: 'text',
  [OpenMessageType.Markdown]: 'markdown',
  [OpenMessageType.Ark]: 'ark',
  [OpenMessageType.Embed]: 'embed',
  [OpenMessageType.Media]: 'media',
};

/**
 * A group or C2C body carries the payload of its `msg_type` only, and buttons only on a markdown
 * message (`msg_type` 2).
 *
 * @param body - the body, its `msg_type` already checked
 * @param type - its `msg_type`
 * @param field - the caller's name for it
 * @throws {@link ValidationError} naming the field that does not belong
 */
export function checkOpenExclusions(body: OpenMessageBody, type: OpenMessageType, field: string): void {
  const own = OPEN_PAYLOADS[type];
  for (const payload of OPEN_PAYLOAD_FIELDS) {
    if (payload !== own && body[payload] !== undefined) {
      throw new ValidationError(
        `${field}.${payload}`,
        `does not belong in a ${TYPE_NAMES[type]} message (msg_type ${type}): use msg_type ${TYPE_OF[payload]} or drop it`,
      );
    }
  }
  if (body.keyboard !== undefined && type !== OpenMessageType.Markdown) {
    throw new ValidationError(
      `${field}.keyboard`,
      `rides on markdown messages only (msg_type 2), not on a ${TYPE_NAMES[type]} message`,
    );
  }
}

/**
 * A guild channel or DM body with markdown carries nothing else to show but buttons (the platform
 * refuses it with code 50037), and buttons need markdown.
 *
 * @param body - the JSON fields
 * @param hasFileImage - whether a local image goes with it
 * @param field - the caller's name for it
 * @throws {@link ValidationError} naming the field that does not belong
 */
export function checkGuildExclusions(body: GuildMessageBody, hasFileImage: boolean, field: string): void {
  if (body.markdown !== undefined) {
    const others: [string, boolean][] = [
      ['content', isNonBlank(body.content)],
      ['embed', body.embed !== undefined],
      ['ark', body.ark !== undefined],
      ['image', body.image !== undefined],
      ['fileImage', hasFileImage],
    ];
    const extra = others.find(([, present]) => present);
    if (extra !== undefined) {
      throw new ValidationError(
        `${field}.${extra[0]}`,
        'cannot go with markdown: a markdown message carries only markdown and a keyboard (code 50037); send it separately',
      );
    }
  } else if (body.keyboard !== undefined) {
    throw new ValidationError(
      `${field}.keyboard`,
      'rides on markdown messages only: add markdown, or drop the keyboard',
    );
  }
}

/** The `msg_type` whose payload a field is. */
const TYPE_OF: Record<(typeof OPEN_PAYLOAD_FIELDS)[number], OpenMessageType> = {
  markdown: OpenMessageType.Markdown,
  ark: OpenMessageType.Ark,
  embed: OpenMessageType.Embed,
  media: OpenMessageType.Media,
};

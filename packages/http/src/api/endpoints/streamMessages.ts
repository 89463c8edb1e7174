import {
  optionalId,
  requireId,
  requireInteger,
  requireObject,
  requireOneOf,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

/**
 * `input_state` of a stream frame (docs/protocol.md §15.1): `1` while the text is still growing,
 * `10` on the frame that finishes the stream.
 */
export const StreamInputState = {
  /** More frames follow. */
  Generating: 1,
  /** The last frame: the stream is closed after it. */
  Done: 10,
} as const;

/** A value of {@link StreamInputState}. */
export type StreamInputState = (typeof StreamInputState)[keyof typeof StreamInputState];

/** Content types a stream frame may declare; the official SDK only sends `markdown` (§15.1). */
export const STREAM_CONTENT_TYPES = ['markdown', 'text'] as const;

/** One frame of a C2C stream reply (`POST /v2/users/{openid}/stream_messages`, §15.1). */
export interface StreamMessageBody {
  /** Always `replace`: `content_raw` is the whole text so far, not the new piece. */
  input_mode: 'replace';
  /** {@link StreamInputState}: generating, or done on the last frame. */
  input_state: StreamInputState;
  /** `markdown` (the official SDK's choice) or `text`. */
  content_type: (typeof STREAM_CONTENT_TYPES)[number];
  /** The whole text so far. */
  content_raw: string;
  /** The inbound message replied to; one of `msg_id` and `event_id` is required. */
  msg_id?: string | undefined;
  /** The inbound event replied to. */
  event_id?: string | undefined;
  /** One number for every frame of the stream (the reply's `msg_seq`). */
  msg_seq: number;
  /** Position of the frame in the stream: 0, 1, 2, … */
  index: number;
  /** The stream's id, from the first frame's answer; absent on the first frame only. */
  stream_msg_id?: string | undefined;
}

/** The answer to a stream frame: `id` is the stream's id, to send as `stream_msg_id` next. */
export interface StreamMessageResult {
  id: string;
  timestamp: string | number;
}

/** The C2C streaming endpoint (§15.1). */
export const streamMessageEndpoints = {
  send: endpoint('POST', Routes.userStreamMessages, {
    fields: { openid: 'openid' },
    request: streamFrameBody,
    // A frame carries the whole text so far (`content_raw`): held to the message body bound.
    messageField: 'body',
  }).returns<StreamMessageResult>(),
};

function streamFrameBody(body: StreamMessageBody): RequestParts {
  validateStreamFrame(body, 'body');
  return { body };
}

/**
 * Checks one stream frame before it is sent: the fixed `input_mode`, a known state and content
 * type, the text, a reply anchor, and the numbering (the first frame, index 0, has no stream id;
 * every later one has).
 *
 * @param body - the frame
 * @param field - the caller's name for it
 * @throws `ValidationError` naming the first wrong field
 */
export function validateStreamFrame(body: StreamMessageBody, field: string): void {
  requireObject(body, field);
  requireOneOf(body.input_mode, `${field}.input_mode`, ['replace']);
  requireOneOf(body.input_state, `${field}.input_state`, Object.values(StreamInputState));
  requireOneOf(body.content_type, `${field}.content_type`, STREAM_CONTENT_TYPES);
  if (typeof body.content_raw !== 'string')
    throw new ValidationError(`${field}.content_raw`, 'must be a string (the whole text so far)');
  const msgId = optionalId(body.msg_id, `${field}.msg_id`);
  const eventId = optionalId(body.event_id, `${field}.event_id`);
  if (msgId === undefined && eventId === undefined)
    throw new ValidationError(field, 'must name what it replies to: set msg_id or event_id');
  requireInteger(body.msg_seq, `${field}.msg_seq`, 0);
  const index = requireInteger(body.index, `${field}.index`, 0);
  if (index > 0) requireId(body.stream_msg_id, `${field}.stream_msg_id`);
  else if (body.stream_msg_id !== undefined)
    throw new ValidationError(`${field}.stream_msg_id`, 'must be absent on the first frame (index 0)');
}

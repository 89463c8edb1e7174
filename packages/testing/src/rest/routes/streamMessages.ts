import { emulatorNow } from '../../util/emulatorClock.js';
import { isoTimestamp } from '../../util/time.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalString } from '../fields.js';
import { requireC2CUser } from '../lookups.js';
import type { RestDeps, RouteModule } from '../RestDeps.js';
import { invalidField, RestError } from '../RestError.js';
import { ok, type RestRequest, type RestResult } from '../Router.js';
import { replyError } from '../rules/replyErrors.js';
import { StreamLedger, type StreamViolation } from '../rules/StreamLedger.js';

const GENERATING = 1;
const DONE = 10;
const CONTENT_TYPES: ReadonlySet<string> = new Set(['markdown', 'text']);

/**
 * C2C streamed replies (`POST /v2/users/{openid}/stream_messages`, docs/protocol.md §15.1). The
 * first frame (index 0, no `stream_msg_id`) is a reply like any other: window, 5 replies, `msg_seq`.
 * Later frames continue it in order, at least 300 ms apart, each carrying the whole text (which
 * only grows); `input_state: 10` finishes it. The stream is one bot message whose content follows
 * the frames.
 */
export const streamMessageRoutes: RouteModule = (router, deps) => {
  const streams = new StreamLedger();
  router.add('POST /v2/users/{openid}/stream_messages', (request) => {
    const user = requireC2CUser(deps.world, request.params['openid'] ?? '');
    return streamFrame(deps, streams, user.userOpenid, request);
  });
};

function streamFrame(
  deps: RestDeps,
  streams: StreamLedger,
  target: string,
  request: RestRequest,
): RestResult {
  const body = bodyObject(request.body);
  if (body['input_mode'] !== 'replace') throw invalidField('input_mode', 'must be "replace"');
  const state = optionalInteger(body, 'input_state');
  if (state !== GENERATING && state !== DONE)
    throw invalidField('input_state', 'must be 1 (generating) or 10 (done)');
  const contentType = optionalString(body, 'content_type');
  if (contentType === undefined || !CONTENT_TYPES.has(contentType))
    throw invalidField('content_type', 'must be "markdown" or "text"');
  const content = optionalString(body, 'content_raw') ?? '';
  if (content.trim() === '') throw new RestError(400, ErrorCode.EmptyMessage, 'content_raw is empty');
  const index = optionalInteger(body, 'index');
  if (index === undefined || index < 0) throw invalidField('index', 'must be an integer ≥ 0');
  const msgSeq = optionalInteger(body, 'msg_seq');
  const msgId = optionalString(body, 'msg_id');
  const eventId = optionalString(body, 'event_id');
  const streamId = optionalString(body, 'stream_msg_id');
  const done = state === DONE;
  // The message's date on the wall clock; the frame interval, a duration, on the steady one.
  const now = Date.now();
  const steady = emulatorNow();

  if (!streamId) {
    if (index !== 0) throw invalidField('index', 'must be 0 on a first frame (one without stream_msg_id)');
    const violation = deps.replies.authorize({ scene: 'c2c', target, msgId, eventId, msgSeq });
    if (violation) throw replyError(violation, 'c2c');
    const id = deps.ids.openMessageId();
    streams.open(id, target, msgId || eventId || '', content, done, steady);
    deps.world.messages.add({ id, scene: 'c2c', target, fromBot: true, createdAt: now, content });
    return ok({ id, timestamp: isoTimestamp(now) });
  }

  const record = streams.get(streamId);
  const violation = streams.check({ streamId, target, replyTo: msgId || eventId || '', index }, steady);
  if (violation || !record)
    throw streamError(violation ?? 'unknown-stream', record?.nextIndex, streams.minIntervalMs);
  if (!content.startsWith(record.content))
    throw invalidField(
      'content_raw',
      'must start with the text already sent: input_mode "replace" only grows',
    );
  streams.advance(record, content, done, steady);
  const message = deps.world.messages.find(streamId, 'c2c', target);
  if (message) message.content = content;
  return ok({ id: streamId, timestamp: isoTimestamp(now) });
}

function streamError(
  violation: StreamViolation,
  nextIndex: number | undefined,
  minIntervalMs: number,
): RestError {
  switch (violation) {
    case 'unknown-stream':
      return invalidField('stream_msg_id', 'does not name a stream of this bot');
    case 'other-conversation':
      return invalidField('stream_msg_id', 'belongs to another conversation or reply (msg_id/event_id)');
    case 'closed':
      return invalidField('stream_msg_id', 'names a finished stream: input_state 10 closed it');
    case 'index-order':
      return invalidField('index', `must be ${nextIndex ?? 1}: frames are numbered without gaps`);
    case 'too-fast':
      return new RestError(
        429,
        ErrorCode.MessageRateLimited,
        `msg limit exceed: frames of one stream must be at least ${minIntervalMs} ms apart`,
      );
  }
}

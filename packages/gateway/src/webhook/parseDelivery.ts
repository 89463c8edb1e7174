import { isSequence, Opcode, type CallbackValidationData } from '@bot/core';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import { isUnixSeconds } from './signatureHeaders.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/** What a webhook body turned out to be. */
export type Delivery =
  | { kind: 'validation'; data: CallbackValidationData }
  | { kind: 'dispatch'; payload: DispatchPayload }
  | { kind: 'other'; op: number };

/** Longest event id kept; the platform's are well under 100 characters. */
export const MAX_EVENT_ID_LENGTH = 512;
/** Longest event name accepted; the platform's are UPPER_SNAKE words well under 64 characters. */
export const MAX_EVENT_NAME_LENGTH = 128;
/** Validation tokens may not contain braces: a signed answer can then never double as a signature over a JSON delivery. */
const PLAIN_TOKEN = /^[\x21-\x7a\x7c\x7e]{1,256}$/;

/**
 * Reads a webhook body into a delivery, checking every field the receiver or its listeners rely
 * on: a JSON object with a non-negative integer `op`; for a URL validation (op 13) a `d` with
 * `plain_token` and `event_ts`; for a dispatch (op 0) an event name `t`, an `id` (a string, or
 * an integer the platform wrote as a number: kept as its decimal string, so distinct ids stay
 * distinct) and a sequence `s` when present. `d` is passed on as it is: the event's model checks it.
 *
 * @param body - the raw body
 * @throws {@link WebhookRefusedError} `malformedDelivery` naming the first field that is wrong
 */
export function parseDelivery(body: Buffer): Delivery {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw malformed('body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed('body is not a JSON object');
  const payload = value as Record<string, unknown>;
  const { op } = payload;
  if (!Number.isSafeInteger(op) || (op as number) < 0)
    throw malformed(`\`op\` must be a non-negative integer (got ${describe(op)})`);
  if (op === Opcode.CallbackValidation) return { kind: 'validation', data: validationData(payload['d']) };
  if (op !== Opcode.Dispatch) return { kind: 'other', op: op as number };
  const { t, id, s } = payload;
  if (typeof t !== 'string' || t.length === 0 || t.length > MAX_EVENT_NAME_LENGTH)
    throw malformed(
      `\`t\` must be an event name of 1 to ${MAX_EVENT_NAME_LENGTH} characters (got ${describe(t)})`,
    );
  if (id !== undefined) payload['id'] = eventId(id);
  if (s === null) delete payload['s'];
  else if (s !== undefined && !isSequence(s))
    throw malformed(`\`s\` must be a non-negative integer (got ${describe(s)})`);
  return { kind: 'dispatch', payload: payload as unknown as DispatchPayload };
}

/**
 * An event id as the client's dedupe needs it: a non-empty string. JSON numbers that are safe
 * integers become their decimal string; anything else (booleans, objects, fractions, integers
 * too large to have survived parsing) could merge distinct events or break a listener.
 */
function eventId(id: unknown): string {
  if (typeof id === 'string' && id.length > 0 && id.length <= MAX_EVENT_ID_LENGTH) return id;
  if (Number.isSafeInteger(id)) return String(id);
  throw malformed(
    `\`id\` must be a string of 1 to ${MAX_EVENT_ID_LENGTH} characters or a safe integer (got ${describe(id)})`,
  );
}

function validationData(d: unknown): CallbackValidationData {
  if (typeof d !== 'object' || d === null)
    throw malformed('validation request without a `d` object holding plain_token and event_ts');
  const { plain_token: token, event_ts: eventTs } = d as Record<string, unknown>;
  if (typeof token !== 'string' || !PLAIN_TOKEN.test(token))
    throw malformed(
      'validation request without a usable `d.plain_token` (1 to 256 printable characters, no braces)',
    );
  if (typeof eventTs !== 'string' || !isUnixSeconds(eventTs))
    throw malformed('validation request without a usable `d.event_ts` (unix seconds as a string)');
  return { plain_token: token, event_ts: eventTs };
}

function malformed(detail: string): WebhookRefusedError {
  return new WebhookRefusedError('malformedDelivery', detail);
}

/** A value's type and, for short scalars, the value itself; never the content of a long string. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length <= 32
      ? `the string ${JSON.stringify(value)}`
      : `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

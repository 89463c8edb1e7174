import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import { describeWireValue, messageOf, platformText } from '@bot/core';

/** One stream entry as read back: its id and field/value list. */
export interface StreamEntry {
  /** Stream entry id (`<ms>-<n>`), used to acknowledge it. */
  id: string;
  /** Alternating field names and values. */
  fields: string[];
  /**
   * The entry was deleted from the stream while still pending (a lossy trim, an `XDEL`): a read
   * of pending entries gives its id without fields. There is nothing to handle.
   */
  trimmed?: true;
}

/** A dispatch as carried by the stream. */
export interface StreamedDispatch {
  payload: DispatchPayload;
  /** The shard that received it; `undefined` for webhook deliveries. */
  shardId: number | undefined;
  /** The shard count of the bot when that shard received it, if the entry says. */
  shardCount: number | undefined;
}

/** Field/value list of the entry for a dispatch: `shard` and `shards` (empty for none) and `payload` (JSON). */
export function encodeDispatch(
  payload: DispatchPayload,
  shardId: number | undefined,
  shardCount: number | undefined,
): string[] {
  return [
    'shard',
    shardId === undefined ? '' : String(shardId),
    'shards',
    shardCount === undefined ? '' : String(shardCount),
    'payload',
    JSON.stringify(payload),
  ];
}

/** Bytes of an entry's field names and values, as the stream holds them. */
export function entryBytes(fields: readonly string[]): number {
  let bytes = 0;
  for (const field of fields) bytes += Buffer.byteLength(field);
  return bytes;
}

/** Characters of the JSON parser's reason a malformed payload's message keeps. */
const REASON_CHARS = 200;

/**
 * Reads a dispatch back from its entry's fields. Entries written before the `shards` field
 * existed read with no shard count.
 *
 * @throws Error naming what is wrong with a malformed entry
 */
export function decodeDispatch(entry: StreamEntry): StreamedDispatch {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < entry.fields.length; i += 2)
    values.set(entry.fields[i] ?? '', entry.fields[i + 1] ?? '');
  const raw = values.get('payload');
  if (raw === undefined) throw new Error(`stream entry ${entry.id} has no payload field`);
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch (error) {
    // The parser's reason quotes the payload, which any writer to the stream may have filled.
    const why = platformText(messageOf(error), REASON_CHARS);
    throw new Error(`stream entry ${entry.id} has a payload that is not JSON (${why})`);
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    (payload as { op?: unknown }).op !== 0 ||
    typeof (payload as { t?: unknown }).t !== 'string'
  ) {
    throw new Error(`stream entry ${entry.id} does not hold a dispatch`);
  }
  return {
    payload: payload as DispatchPayload,
    shardId: optionalCount(entry, values, 'shard', 0),
    shardCount: optionalCount(entry, values, 'shards', 1),
  };
}

/** An integer field of at least `min`, or `undefined` when absent or empty. */
function optionalCount(
  entry: StreamEntry,
  values: ReadonlyMap<string, string>,
  field: string,
  min: number,
): number | undefined {
  const raw = values.get(field) ?? '';
  if (raw === '') return undefined;
  const value = Number(raw);
  // Any writer to the stream may have stored anything here: the message describes it, bounded and escaped.
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(
      `stream entry ${entry.id} has ${field} ${describeWireValue(raw)}, not an integer of at least ${min}`,
    );
  return value;
}

/** Reads `[id, [field, value, …]]`; an entry trimmed from the stream comes as `[id, null]` (no fields). */
function toEntry(value: unknown): StreamEntry | undefined {
  if (!Array.isArray(value) || typeof value[0] !== 'string') return undefined;
  const fields: unknown = value[1];
  return Array.isArray(fields)
    ? { id: value[0], fields: fields.map(String) }
    : { id: value[0], fields: [], trimmed: true };
}

/** Entries of an XREADGROUP reply (`null` when the block timed out). */
export function entriesOfRead(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: StreamEntry[] = [];
  for (const stream of reply) {
    const list: unknown = Array.isArray(stream) ? stream[1] : undefined;
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const entry = toEntry(item);
      if (entry !== undefined) entries.push(entry);
    }
  }
  return entries;
}

/** An XAUTOCLAIM reply: next cursor, claimed entries, and ids whose entries were trimmed away. */
export function entriesOfClaim(reply: unknown): {
  cursor: string;
  entries: StreamEntry[];
  missing: string[];
} {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string')
    return { cursor: '0-0', entries: [], missing: [] };
  const list: unknown[] = Array.isArray(reply[1]) ? reply[1] : [];
  const entries: StreamEntry[] = [];
  const missing: string[] = Array.isArray(reply[2]) ? reply[2].map(String) : [];
  for (const item of list) {
    const entry = toEntry(item);
    if (entry !== undefined) entries.push(entry);
  }
  return { cursor: reply[0], entries, missing };
}

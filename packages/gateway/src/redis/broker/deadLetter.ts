import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import type { UnpublishedReason } from './UnpublishedEventError.js';

/** What the dead-letter stream records of an event that could not be published. */
export interface DeadLetter {
  /** `refused` or `oversized`. */
  reason: Extract<UnpublishedReason, 'refused' | 'oversized'>;
  /** What was wrong: the server's refusal, or the entry's size against the bound. */
  error: string;
  /** The dispatch. */
  payload: DispatchPayload;
  /** The entry it would have been (`shard`, `shards`, `payload`; see `encodeDispatch`). */
  entry: readonly string[];
  /** Size of that entry in bytes. */
  bytes: number;
}

/**
 * Field/value list of a dead letter: `reason`, `error`, `bytes`, the event's `type`, `id` and `seq`
 * (empty when it has none), then the entry's own fields — without `payload` when `withPayload` is
 * false (an entry too large for the stream is too large for its dead letter).
 */
export function encodeDeadLetter(letter: DeadLetter, withPayload: boolean): string[] {
  const fields = [
    'reason',
    letter.reason,
    'error',
    letter.error,
    'bytes',
    String(letter.bytes),
    'type',
    letter.payload.t,
    'id',
    letter.payload.id ?? '',
    'seq',
    typeof letter.payload.s === 'number' ? String(letter.payload.s) : '',
  ];
  for (let i = 0; i + 1 < letter.entry.length; i += 2) {
    const name = letter.entry[i] ?? '';
    if (withPayload || name !== 'payload') fields.push(name, letter.entry[i + 1] ?? '');
  }
  return fields;
}

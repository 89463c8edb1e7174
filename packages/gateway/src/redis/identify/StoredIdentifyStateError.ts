import { GatewayError } from '../../errors/GatewayError.js';
import { describeWireValue } from '@bot/core';
import { STORED_FIELDS, type StoredFieldRule, type StoredIdentifyField } from './storedFields.js';

/**
 * Where the identify queue met a stored value it cannot use: taking a turn (`turn`), recording
 * the send of an Identify frame (`send`), leaving the line (`leave`), giving back a turn granted to
 * a wait aborted meanwhile (`giveBack`), or reading the budget in `remaining()` (`read`).
 */
export type StoredStateUse = 'turn' | 'send' | 'leave' | 'giveBack' | 'read';

/** What became of the operation that met the value, as the message says it. */
const OUTCOME: Record<StoredStateUse, string> = {
  turn: 'no turn was taken with it',
  send: "the send of the Identify frame was not recorded with it: the bucket stays closed a window plus the margin from the turn's grant",
  leave: "the shard's lease was given up, but its place in line stays until it comes first and is dropped",
  giveBack:
    "the turn granted was not given back: its session start stays spent and its bucket closed until the turn's window ends",
  read: 'the budget was not read from it',
};

/**
 * The identify queue's shared state in Redis held a value its scripts cannot use in one of the
 * fields they compute with (`field`): the bucket count `maxConcurrency` (not an integer from 1 to
 * `MAX_IDENTIFY_CONCURRENCY`), the window `windowMs`, the budget's `total`, `remaining` (also
 * above the total), `resetAt` and `periodMs`, or the ticket counter. A shard met it taking a turn,
 * recording a send, leaving the line or giving back a turn, or `remaining()` met it reading the
 * budget (no `shardId` then): written by hand, or by a process of an older version, after this
 * queue had set the state up. Nothing was written with it, so no shard identified out of turn and
 * no session start was counted or given back (a turn given back stays spent). The queue sets the
 * state up again on its next try, replacing the value with its own (a remaining count at most the
 * total, the ticket counter the highest place taken in a line).
 */
export class StoredIdentifyStateError extends GatewayError {
  /**
   * @param key - the state hash holding the value
   * @param stored - the value found (`''` when the field is missing)
   * @param ownCount - the queue's own max_concurrency, which it puts in `maxConcurrency`
   * @param shardId - the shard whose turn, send, leaving or given-back turn met it; `undefined`
   *   for `remaining()`
   * @param field - the field of the hash holding the value
   * @param replacement - what the queue puts in another field on its next try, when known ahead
   * @param use - where it was met (by default a turn, or a read of the budget without `shardId`)
   */
  public constructor(
    public readonly key: string,
    public readonly stored: string,
    public readonly ownCount: number,
    shardId: number | undefined,
    public readonly field: StoredIdentifyField = 'maxConcurrency',
    replacement: number | undefined = field === 'maxConcurrency' ? ownCount : undefined,
    use: StoredStateUse = shardId === undefined ? 'read' : 'turn',
  ) {
    const rule: StoredFieldRule = STORED_FIELDS[field];
    const own = rule.replacedWith ?? (replacement === undefined ? 'its own value' : `its own ${replacement}`);
    super(
      `the identify state ${key} holds ${field} ${describeWireValue(stored)}, not ${rule.text} ` +
        `(written by hand or by an older version of the bot); ${OUTCOME[use]}. The queue ` +
        `sets the state up again on its next try, putting ${own} there; to set a value yourself run ` +
        `HSET ${key} ${field} ${rule.fix}, and if it comes back, stop the process writing it`,
      shardId,
    );
  }
}

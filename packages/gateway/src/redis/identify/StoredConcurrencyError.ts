import { GatewayError } from '../../errors/GatewayError.js';
import { MAX_IDENTIFY_CONCURRENCY } from '../../identify/IdentifyQueue.js';
import { describeWireValue } from '../../protocol/wireText.js';

/**
 * The identify queue's shared state in Redis held a `maxConcurrency` that is no bucket count (not
 * an integer from 1 to `MAX_IDENTIFY_CONCURRENCY`) when a shard came to take a turn, record a send
 * or leave the line: written by hand, or by a process of an older version, after this queue had
 * set the state up. The script refused to use it, so no shard identified out of turn. The queue
 * sets the state up again on its next try, replacing the value with its own count.
 */
export class StoredConcurrencyError extends GatewayError {
  /**
   * @param key - the state hash holding the value
   * @param stored - the value found (`''` when the field is missing)
   * @param ownCount - the count the queue puts there on its next try
   * @param shardId - the shard whose turn, send or leaving met it
   */
  public constructor(
    public readonly key: string,
    public readonly stored: string,
    public readonly ownCount: number,
    shardId: number,
  ) {
    super(
      `the identify state ${key} holds maxConcurrency ${describeWireValue(stored)}, not an integer ` +
        `from 1 to ${MAX_IDENTIFY_CONCURRENCY} (written by hand or by an older version of the bot); ` +
        `no turn was taken with it. The queue sets the state up again on its next try, putting its ` +
        `own ${ownCount} there; to set the platform's value yourself run ` +
        `HSET ${key} maxConcurrency <max_concurrency of GET /gateway/bot>, and if it comes back, ` +
        'stop the process writing it',
      shardId,
    );
  }
}

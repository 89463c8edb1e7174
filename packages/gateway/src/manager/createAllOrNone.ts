import { messageOf, ValidationError } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { ShardHandle } from './ShardHandle.js';

/** The `start*` call whose shards are created, for the error when one cannot be. */
export interface CreationOf {
  /** The call as written, e.g. `startShards(4)`. */
  call: string;
  /** The strategy's name. */
  strategy: string;
  /** How long each close of a shard created before the failure may take. */
  graceMs: number;
}

/**
 * Creates the shard of every id, in order, or none: when the strategy throws for one, the shards
 * already created (none started, so nothing of the call connects) are closed and the call fails.
 * Synchronous when every shard is created, so their ids go from claimed to running in one step.
 *
 * @param ids - the ids to create
 * @param create - creates one shard, not started (the strategy, wired to the manager)
 * @param of - the call, for the error
 * @returns the shards, or the call's rejection:
 *   - {@link ValidationError} as the strategy threw it: a shard option the user got wrong
 *   - {@link GatewayError} for anything else, naming the shard, with the strategy's error as `cause`
 */
export function createAllOrNone(
  ids: readonly number[],
  create: (id: number) => ShardHandle,
  of: CreationOf,
): ShardHandle[] | Promise<never> {
  const created: ShardHandle[] = [];
  for (const id of ids) {
    try {
      created.push(create(id));
    } catch (cause) {
      return closeAndFail(created, id, cause, of);
    }
  }
  return created;
}

async function closeAndFail(
  created: ShardHandle[],
  id: number,
  cause: unknown,
  of: CreationOf,
): Promise<never> {
  await Promise.allSettled(
    created.map((shard) => {
      shard.removeAllListeners(); // it never ran: the manager reports nothing of it
      return shard.close({ invalidateSession: false, graceMs: of.graceMs });
    }),
  );
  if (cause instanceof ValidationError) throw cause;
  throw new GatewayError(
    `${of.call} could not create this shard: ${of.strategy} threw ${JSON.stringify(messageOf(cause))}; ` +
      `${closedText(created)} and none of the call connected: fix the strategy and call it again`,
    id,
    { cause },
  );
}

function closedText(created: readonly ShardHandle[]): string {
  if (created.length === 0) return 'no other shard of it had been created';
  const ids = created.map((shard) => shard.id).join(', ');
  return created.length === 1
    ? `shard ${ids} it had created was closed`
    : `shards ${ids} it had created were closed`;
}

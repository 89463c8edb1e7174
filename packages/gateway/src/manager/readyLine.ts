import type { BotLogger } from '@bot/core';
import type { ShardState } from '../shard/ShardState.js';
import type { ShardHandle } from './ShardHandle.js';

/**
 * Logs, at info, when a shard of a `start*` call is ready: whether it resumed its stored session
 * or started a new one (which spends one of the day's session starts), and how far the call is.
 * An operator reads there what a restart cost. Then tells `onLogged`, once.
 *
 * @param shard - the shard just created for the call
 * @param log - the manager's logger
 * @param progress - counts this shard as ready and gives the call's count (`1/4 of startShards(4)`);
 *   called once
 * @param onLogged - called once the line is logged
 */
export function logReadyLine(
  shard: ShardHandle,
  log: BotLogger,
  progress: () => string,
  onLogged: () => void,
): void {
  let how: string | undefined;
  const onState = (state: ShardState, previous: ShardState): void => {
    if (state === 'ready') how ??= previous === 'resuming' ? 'session resumed' : 'new session';
  };
  shard.on('state', onState);
  shard
    .start()
    .then(
      () => {
        log.info(`shard ${shard.id} ready${how === undefined ? '' : `, ${how}`} (${progress()})`);
        onLogged();
      },
      () => undefined, // a fatal start fails the call's group, which reports it
    )
    .finally(() => shard.off('state', onState));
}

import type { GatewayBotInfo } from '@bot/core';
import type { SessionStore } from '../session/SessionStore.js';
import { StartClashError } from '../errors/StartClashError.js';
import { startMisuse, type StartCall } from './StartCall.js';

/**
 * Refuses a `start*` call that clashes with the shards of the manager: an id already running (or
 * being started) here, or a shard count other than the running shards'.
 *
 * @param call - the call as written, for the error
 * @param ids - the ids it would start
 * @param total - the shard count it would run
 * @param taken - whether an id is running or being started here
 * @param running - the shard count of the shards running here, `undefined` when none run
 * @throws {@link StartClashError} naming the argument as the caller wrote it, what clashed and what to do instead
 */
export function checkAgainstRunning(
  call: StartCall,
  ids: readonly number[],
  total: number,
  taken: (id: number) => boolean,
  running: number | undefined,
): void {
  const shardId = ids.find(taken);
  if (shardId !== undefined) {
    throw new StartClashError(
      call,
      call.ids,
      `${call.ids === undefined ? 'would start' : 'names'} shard ${shardId}, which is already running here`,
      `call shutdown(${shardId}) first, or restart(${shardId}) to reconnect it`,
      { kind: 'shardRunning', shardId },
    );
  }
  if (running !== undefined && running !== total) {
    const clash = { kind: 'shardCount', running, requested: total } as const;
    throw call.total === undefined
      ? new StartClashError(
          call,
          undefined,
          `would run a shard count of ${total}, but the shards already running use ${running}`,
          'one manager runs one shard count; shut the running shards down first',
          clash,
        )
      : new StartClashError(
          call,
          call.total,
          `must be ${running}, the count of the shards already running (got ${total})`,
          `one manager runs one shard count; shut the running shards down first to run ${total}`,
          clash,
        );
  }
}

/**
 * Refuses a `start*` call that needs more identifies than the session budget has left. A shard
 * whose stored session is for the same shard count resumes and costs nothing; every other one
 * identifies (a session that cannot be read counts as none).
 *
 * @param call - the call as written, for the error
 * @param ids - the ids it would start
 * @param total - the shard count it would run
 * @param info - `/gateway/bot`, with the session budget
 * @param store - where the shards' sessions are kept
 * @throws {@link ValidationError} (as a rejection) saying how many may start now and when the budget resets
 */
export async function checkSessionBudget(
  call: StartCall,
  ids: readonly number[],
  total: number,
  info: GatewayBotInfo,
  store: SessionStore,
): Promise<void> {
  const stored = await Promise.all(ids.map((id) => store.get(id).catch(() => undefined)));
  const identifying = stored.filter((session) => session?.shardCount !== total).length;
  const { remaining, reset_after: resetAfter } = info.session_start_limit;
  if (identifying > remaining) {
    const resetsIn = Math.ceil(resetAfter / 1000);
    throw startMisuse(
      call,
      undefined,
      `needs ${identifying} session start${identifying === 1 ? '' : 's'} but only ${remaining} remain`,
      `start at most ${remaining} shards needing an identify now, the rest once the budget resets in ${resetsIn} s`,
    );
  }
}

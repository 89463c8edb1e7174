import { messageOf, raceAbort, type GatewayBotInfo } from '@bot/core';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import { StartClashError } from '../errors/StartClashError.js';
import { DEFAULT_SESSION_STORE_MS } from '../shard/ShardOptions.js';
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

/** Stored sessions read at once while checking the budget: a remote store gets no flood of reads. */
const READS_AT_ONCE = 64;

/**
 * Refuses a `start*` call that needs more identifies than the session budget has left. A shard
 * whose stored session is for the same shard count resumes and costs nothing; every other one
 * identifies. A call the budget covers anyway reads nothing. Otherwise the sessions are read a few
 * at a time, each within the shard's store deadline, until the call is known to fit or not; a read
 * that fails or does not answer counts as no session and is named in the refusal (a shard that
 * starts reads its session again, and reports a store that fails it).
 *
 * @param call - the call as written, for the error
 * @param ids - the ids it would start
 * @param total - the shard count it would run
 * @param info - `/gateway/bot`, with the session budget
 * @param store - where the shards' sessions are kept
 * @param storeMs - the most one read is waited for (the shards' `timeouts.sessionStoreMs`)
 * @throws {@link ValidationError} (as a rejection) saying how many may start now and when the
 *   budget resets, and naming each shard whose session could not be read
 */
export async function checkSessionBudget(
  call: StartCall,
  ids: readonly number[],
  total: number,
  info: GatewayBotInfo,
  store: SessionStore,
  storeMs: number = DEFAULT_SESSION_STORE_MS,
): Promise<void> {
  const { remaining, reset_after: resetAfter } = info.session_start_limit;
  if (ids.length <= remaining) return;
  const unread: string[] = []; // `shard <id>: <why>`
  const read = (id: number): Promise<SessionInfo | undefined> =>
    raceAbort(
      Promise.resolve().then(() => store.get(id)),
      [],
      {
        ms: storeMs,
        error: () => new Error(`did not answer within ${storeMs} ms`),
      },
    ).catch((error: unknown) => {
      unread.push(`shard ${id}: ${messageOf(error)}`);
      return undefined;
    });
  let identifying = 0;
  let checked = 0;
  while (checked < ids.length && identifying <= remaining) {
    const batch = ids.slice(checked, checked + READS_AT_ONCE);
    const stored = await Promise.all(batch.map(read));
    identifying += stored.filter((session) => session?.shardCount !== total).length;
    checked += batch.length;
  }
  if (identifying > remaining) {
    const resetsIn = Math.ceil(resetAfter / 1000);
    const needs = checked === ids.length ? 'needs ' : 'needs at least '; // reading stopped early
    const listed = unread.slice(0, 3).join('; ') + (unread.length > 3 ? `; ${unread.length - 3} more` : '');
    const unreadNote =
      unread.length === 0 ? '' : ` (counting the sessions it could not read as none: ${listed})`;
    throw startMisuse(
      call,
      undefined,
      `${needs}${identifying} session start${identifying === 1 ? '' : 's'} but ${remaining === 0 ? 'none remain' : `only ${remaining} remain${remaining === 1 ? 's' : ''}`}${unreadNote}`,
      remaining === 0
        ? `start no shard needing an identify until the budget resets in ${resetsIn} s`
        : `start at most ${remaining} shard${remaining === 1 ? '' : 's'} needing an identify now, the rest once the budget resets in ${resetsIn} s`,
    );
  }
}

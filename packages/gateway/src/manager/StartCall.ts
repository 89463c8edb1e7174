import { ValidationError } from '@bot/core';
import { MAX_SHARD_COUNT } from './checkGatewayBotInfo.js';
import type { ShardRange } from './shardIds.js';

/**
 * A `start*` call as the caller wrote it, so a misuse error can quote it back: its text and the
 * caller's name for each argument. Calls without arguments name themselves instead.
 */
export interface StartCall {
  /** The call with its arguments, e.g. `startShard(5, 5)`. */
  readonly text: string;
  /** Name of the first id (`id`, `range.from`), or `undefined` when the caller gave none. */
  readonly from: string | undefined;
  /** Name of the last id (`id`, `range.to`), or `undefined` when the caller gave none. */
  readonly to: string | undefined;
  /** Name of the shard count, or `undefined` when the caller gave none. */
  readonly total: string | undefined;
  /** Name of the argument that picks the ids (`id`, `range`), or `undefined` when none did. */
  readonly ids: string | undefined;
}

/** A value roughly as the caller typed it: strings quoted, anything else as JavaScript prints it. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function shownRange(range: unknown): string {
  if (typeof range !== 'object' || range === null) return shown(range);
  const { from, to } = range as Partial<ShardRange>;
  return `{ from: ${shown(from)}, to: ${shown(to)} }`;
}

/**
 * A call taking a shard range and a count, such as `startShardRange(range, total)`.
 *
 * @param name - the function's name, as the caller wrote it
 * @param range - the range argument
 * @param total - the count argument
 */
export function rangeCall(name: string, range: unknown, total: unknown): StartCall {
  return {
    text: `${name}(${shownRange(range)}, ${shown(total)})`,
    from: 'range.from',
    to: 'range.to',
    total: 'total',
    ids: 'range',
  };
}

/** The `start*` calls of `ShardManager`, described. */
export const startCalls = {
  start: (): StartCall => ({
    text: 'start()',
    from: undefined,
    to: undefined,
    total: undefined,
    ids: undefined,
  }),
  startShard: (id: unknown, total: unknown): StartCall => ({
    text: `startShard(${shown(id)}, ${shown(total)})`,
    from: 'id',
    to: 'id',
    total: 'total',
    ids: 'id',
  }),
  startShards: (total: unknown): StartCall => ({
    text: `startShards(${shown(total)})`,
    from: 'total',
    to: 'total',
    total: 'total',
    ids: undefined,
  }),
  startShardRange: (range: unknown, total: unknown): StartCall => rangeCall('startShardRange', range, total),
  startAutosharded: (): StartCall => ({
    text: 'startAutosharded()',
    from: undefined,
    to: undefined,
    total: undefined,
    ids: undefined,
  }),
};

/**
 * The field and the rest of a misuse error's message: `<argument> <problem> in <call>: <remedy>`,
 * or `<call> <problem>: <remedy>` when no argument of the caller's is at fault.
 *
 * @param call - the call as written
 * @param argument - the caller's name of the wrong argument, if the caller gave one
 * @param problem - what is wrong, as a phrase
 * @param remedy - what to do instead
 */
export function misuseWording(
  call: StartCall,
  argument: string | undefined,
  problem: string,
  remedy: string,
): [field: string, problem: string] {
  if (argument === undefined) return [call.text, `${problem}: ${remedy}`];
  return [argument, `${problem} in ${call.text}: ${remedy}`];
}

/**
 * A misuse of a `start*` call, worded by {@link misuseWording}.
 *
 * @param call - the call as written
 * @param argument - the caller's name of the wrong argument, if the caller gave one
 * @param problem - what is wrong, as a phrase
 * @param remedy - what to do instead
 */
export function startMisuse(
  call: StartCall,
  argument: string | undefined,
  problem: string,
  remedy: string,
): ValidationError {
  return new ValidationError(...misuseWording(call, argument, problem, remedy));
}

/**
 * Checks a `start*` call's range and count, and lists the ids.
 *
 * @param call - the call as written, for the error
 * @param range - first and last id, both included
 * @param total - shard count
 * @throws {@link ValidationError} naming the argument as the caller wrote it
 */
export function idsOfStartCall(call: StartCall, range: ShardRange, total: number): number[] {
  if (!Number.isSafeInteger(total) || total < 1) {
    throw startMisuse(
      call,
      call.total,
      `must be an integer ≥ 1 (got ${shown(total)})`,
      'it is the number of shards the bot runs in all',
    );
  }
  // Each id becomes a shard, listed before anything starts: a count past this is a slip.
  if (total > MAX_SHARD_COUNT) {
    throw startMisuse(
      call,
      call.total,
      `must be at most ${MAX_SHARD_COUNT.toLocaleString('en-US')} (got ${shown(total)})`,
      'it is the number of shards the bot runs in all, each a connection and a session start',
    );
  }
  const { from, to } = range;
  for (const [name, value] of [
    [call.from, from],
    [call.to, to],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw startMisuse(
        call,
        name,
        `must be an integer ≥ 0 (got ${shown(value)})`,
        `shard ids run from 0 to ${total - 1}`,
      );
    }
  }
  if (from > to) {
    throw startMisuse(
      call,
      call.from,
      `must not exceed ${call.to ?? 'the last id'} (${from} > ${to})`,
      `both ends are included, so { from: ${to}, to: ${from} } starts shards ${to} to ${from}`,
    );
  }
  if (to >= total) {
    const remedy =
      call.from === call.to
        ? `ids run from 0 to ${total - 1}, so ${total - 1} is the last shard of ${total} (ids start at 0)`
        : `ids run from 0 to ${total - 1} and both ends are included, so { from: ${from}, to: ${total - 1} } ends at the last shard`;
    throw startMisuse(
      call,
      call.to,
      `must be below ${call.total ?? 'the shard count'} ${total} (got ${to})`,
      remedy,
    );
  }
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/**
 * Ownership of shards across processes: a shard runs only in the process holding its lease, so two
 * processes given overlapping ranges never both run it (each event would be answered twice).
 * `RedisShardLeases` (`@bot/gateway/redis`) keeps them in Redis.
 */
export interface ShardLeases {
  /**
   * Takes the lease of a shard for this process, waiting while a previous owner's lease runs out.
   * Resolves once it is held; the holder keeps it fresh until {@link ShardLease.release}.
   *
   * @param shardId - the shard about to start
   * @param signal - aborted when the start is cancelled: stop waiting and reject
   * @param shardCount - the shard count it starts with: an implementation that keeps it refuses a
   *   start while a process of another count runs (two counts side by side leave the guilds of
   *   some shards to shards nobody runs); omitted, nothing is checked
   * @throws (as a rejection) a typed error when another live process keeps the lease or runs
   *   another shard count, or the abort reason once `signal` aborts
   */
  acquire(shardId: number, signal: AbortSignal, shardCount?: number): Promise<ShardLease>;
}

/** The lease of one shard, held by this process. */
export interface ShardLease {
  /**
   * Settles (never rejects) with the error to stop the shard with if another process took the
   * lease over while this one held it; never settles otherwise.
   */
  readonly lost: Promise<Error>;
  /**
   * Stops keeping the lease and gives it up at once, if still ours. Never rejects.
   *
   * @param timeoutMs - how long a shutdown can still wait for it; the manager stops waiting then
   *   (the lease then expires on its own)
   */
  release(timeoutMs?: number): Promise<void>;
}

/**
 * Takes the leases of every shard of a `start*` call, or none: when one cannot be taken, those
 * already taken are given back and the first failure is thrown.
 *
 * @param leases - where the leases are kept
 * @param ids - the shards of the call
 * @param signal - cancels the waits (a shutdown before the shards exist)
 * @param shardCount - the call's shard count, passed to each {@link ShardLeases.acquire}
 * @returns each shard's lease by id
 */
export async function acquireAllLeases(
  leases: ShardLeases,
  ids: readonly number[],
  signal: AbortSignal,
  shardCount?: number,
): Promise<Map<number, ShardLease>> {
  // One refusal ends the call: the other shards stop waiting for theirs.
  const giveUp = new AbortController();
  const onAbort = (): void => giveUp.abort(signal.reason);
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  const held = new Map<number, ShardLease>();
  let failure: { reason: unknown } | undefined;
  try {
    await Promise.all(
      ids.map((id) =>
        leases.acquire(id, giveUp.signal, shardCount).then(
          (lease) => void held.set(id, lease),
          (reason: unknown) => {
            failure ??= { reason };
            giveUp.abort(reason);
          },
        ),
      ),
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (failure === undefined) return held;
  await releaseAll(held.values());
  throw failure.reason;
}

/**
 * Gives a lease back, waiting at most `timeoutMs` (a shutdown's time left): a release that does not
 * answer (its store unreachable) only makes the next owner wait for the lease to expire.
 */
export async function releaseWithin(lease: ShardLease, timeoutMs: number): Promise<void> {
  const waitMs = Math.max(0, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
  try {
    await Promise.race([lease.release(waitMs), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Gives every lease back, in parallel. */
export async function releaseAll(leases: Iterable<ShardLease>): Promise<void> {
  await Promise.all([...leases].map((lease) => lease.release()));
}

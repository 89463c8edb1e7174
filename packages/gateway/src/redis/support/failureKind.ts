/**
 * Whether a failed Redis command is worth trying again. The rule, in one place (the package README
 * has it as a table):
 *
 * - **No reply** — connection lost or refused, not connected, no answer in time, the client's
 *   own give-up (`MaxRetriesPerRequestError`): transient. The command may never have reached the
 *   server; waiting and trying again is the cure.
 * - **A reply naming a condition of the whole server that clears by waiting** — see
 *   {@link TRANSIENT_REPLY_CODES}: transient.
 * - **Any other error reply** (`ERR`, `WRONGTYPE`, `NOPERM`, a protocol refusal such as an
 *   argument over `proto-max-bulk-len`, …): permanent. The server read the command and said no;
 *   sending the same command again gets the same answer.
 */
export type FailureKind = 'transient' | 'permanent';

/**
 * Error codes of replies that report a passing state of the server rather than a fault of the
 * command. `OOM` is among them: memory is a server-wide state that eviction, stream trimming or an
 * operator frees, and a refused write holds nothing back that a later one would not (while Redis
 * is full, nothing can be written, not even a dead letter).
 */
export const TRANSIENT_REPLY_CODES: ReadonlySet<string> = new Set([
  'LOADING', // loading its data set after a restart
  'BUSY', // a script or function is running past the busy threshold
  'TRYAGAIN', // a cluster slot is being migrated
  'CLUSTERDOWN', // the cluster cannot serve the slot right now
  'MASTERDOWN', // a replica lost its primary
  'MOVED', // the slot moved (a cluster client follows it)
  'ASK', // the slot is moving
  'READONLY', // a failover made this node a replica
  'NOREPLICAS', // too few replicas acknowledge writes (min-replicas-to-write)
  'MISCONF', // persistence is failing and writes are stopped
  'OOM', // used memory is over maxmemory
]);

/** The error code a Redis reply starts with (`WRONGTYPE`, `ERR`, …), or `undefined` for no reply. */
export function replyCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  return /^[A-Z]+/.exec(error.message)?.[0] ?? 'ERR';
}

/** Classifies a failed Redis command (see {@link FailureKind} for the rule). */
export function failureKind(error: unknown): FailureKind {
  const code = replyCode(error);
  return code === undefined || TRANSIENT_REPLY_CODES.has(code) ? 'transient' : 'permanent';
}

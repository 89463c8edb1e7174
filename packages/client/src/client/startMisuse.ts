import { ValidationError } from '@bot/core';

// The shard manager refuses a `start*` call that clashes with its running shards, advising its
// own methods (`shutdown(0)`, `restart(0)`). A client's `shutdown()` takes options, not a shard
// id, so the client words that advice for its own API; manager users keep the manager's text.

/** The manager's advice and the client's, for each clash (`$1`: the shard id). */
const CLIENT_REMEDIES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /call shutdown\((\d+)\) first, or restart\(\1\) to reconnect it$/,
    'await client.shutdown() before starting it again, or call client.shardManager.restart($1) to reconnect it',
  ],
  [
    /one manager runs one shard count; shut the running shards down first/,
    'a client runs one shard count; await client.shutdown() first',
  ],
];

/**
 * A `start*` failure as a client user reads it: a clash with running shards advises what a
 * `Client` offers (`client.shutdown()`, `client.shardManager.restart(id)`); anything else is
 * returned as it is.
 *
 * @param error - what the shard manager's `start*` call rejected with
 */
export function inClientTerms(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  for (const [managerRemedy, clientRemedy] of CLIENT_REMEDIES) {
    if (!managerRemedy.test(error.message)) continue;
    const problem = error.message.slice(error.field.length + 1).replace(managerRemedy, clientRemedy);
    return new ValidationError(error.field, problem);
  }
  return error;
}

import { StartClashError, type StartClash } from '@bot/gateway';

// The shard manager refuses a `start*` call that clashes with its running shards, advising its
// own methods (`shutdown(0)`, `restart(0)`). A client's `shutdown()` takes options, not a shard
// id, so the client words that advice for its own API; manager users keep the manager's text.

/** What a client user does about `clash`, in a `Client`'s terms. */
function clientRemedy(clash: StartClash): string {
  switch (clash.kind) {
    case 'shardRunning':
      return (
        'await client.shutdown() before starting it again, or call ' +
        `client.shardManager.restart(${clash.shardId}) to reconnect it`
      );
    case 'shardCount':
      return 'a client runs one shard count; await client.shutdown() first';
  }
}

/**
 * A `start*` failure as a client user reads it: a clash with running shards advises what a
 * `Client` offers (`client.shutdown()`, `client.shardManager.restart(id)`), with the manager's
 * error as its `cause`; anything else is returned as it is.
 *
 * @param error - what the shard manager's `start*` call rejected with
 */
export function inClientTerms(error: unknown): unknown {
  return error instanceof StartClashError ? error.withRemedy(clientRemedy(error.clash)) : error;
}

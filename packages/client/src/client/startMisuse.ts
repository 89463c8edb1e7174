import { StartClashError, type StartClash } from '@bot/gateway';

// The shard manager refuses a `start*` call that clashes with its running shards, advising its
// own methods (`shutdown(0)`, `restart(0)`). A client's `shutdown()` ends the client for good
// (its REST client is released), so the client words that advice for its own API, through its
// `shardManager`; manager users keep the manager's text.

/** What a client user does about `clash`, in a `Client`'s terms. */
function clientRemedy(clash: StartClash): string {
  switch (clash.kind) {
    case 'shardRunning':
      return (
        `call client.shardManager.restart(${clash.shardId}) to reconnect it, or ` +
        `client.shardManager.shutdown(${clash.shardId}) first to start it anew`
      );
    case 'shardCount':
      return (
        'a client runs one shard count: stop its shards first (client.shardManager.shutdownAll()), ' +
        'or run the other count in a new client'
      );
  }
}

/**
 * A `start*` failure as a client user reads it: a clash with running shards advises what a
 * `Client` offers (`client.shardManager.restart(id)`, `client.shardManager.shutdown(id)`), with the manager's
 * error as its `cause`; anything else is returned as it is.
 *
 * @param error - what the shard manager's `start*` call rejected with
 */
export function inClientTerms(error: unknown): unknown {
  return error instanceof StartClashError ? error.withRemedy(clientRemedy(error.clash)) : error;
}

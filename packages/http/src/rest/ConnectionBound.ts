import type { Agent } from 'node:http';
import { ConnectionQueueFullError } from '../errors/ConnectionQueueFullError.js';
import type { HttpMethod } from './RequestOptions.js';

// The bound on calls waiting for a free connection. Node's connection pool queues every request
// past `maxSockets` without a limit; this decides, before an attempt is handed to it, whether the
// pool already holds as many as the client allows, so that a platform that stops answering makes
// calls fail at once rather than pile up in memory until their timeout.

/** The connection bound of one client: `maxSockets` on the wire, `maxWaiting` behind them. */
export class ConnectionBound {
  readonly #agent: Agent;
  readonly #maxSockets: number;
  readonly #maxWaiting: number;
  readonly #most: number;

  /**
   * @param agent - the client's connection pool for its base URL's protocol
   * @param maxSockets - the client's `maxSockets`
   * @param maxWaiting - the client's `maxWaitingForConnection`
   */
  public constructor(agent: Agent, maxSockets: number, maxWaiting: number) {
    this.#agent = agent;
    this.#maxSockets = maxSockets;
    this.#maxWaiting = maxWaiting;
    this.#most = maxSockets + maxWaiting;
  }

  /**
   * Whether one more attempt may be handed to the connection pool, and the error refusing it if not.
   *
   * Below `maxSockets` attempts nothing waits: one comparison. Past it, the pool's queue lengths are
   * read too (one per host, not a walk over the requests): a request that ended while it waited
   * (timed out, cancelled) is no longer among `handed`, yet Node keeps it, and its memory, in that
   * queue until a connection comes free, so it still counts against the bound.
   *
   * @param handed - the client's attempts handed to the pool and not yet settled
   * @param method - HTTP method of the call
   * @param route - route template of the call
   * @param mayHaveLanded - whether an earlier attempt of the call may have reached the platform
   * @returns `undefined` to send, or the {@link ConnectionQueueFullError} to fail the call with
   */
  public refusal(
    handed: number,
    method: HttpMethod,
    route: string,
    mayHaveLanded: boolean,
  ): ConnectionQueueFullError | undefined {
    if (handed < this.#maxSockets) return undefined;
    const queued = queueLength(this.#agent);
    // Some of `handed` may not have reached the pool yet (got sets a request up over a few ticks),
    // so neither figure alone is the whole: each is a floor of what the pool holds.
    const held = Math.max(handed, this.#maxSockets + queued);
    if (held < this.#most) return undefined;
    const ended = Math.max(0, queued - (handed - this.#maxSockets));
    return new ConnectionQueueFullError(
      method,
      route,
      held - this.#maxSockets,
      ended,
      this.#maxSockets,
      this.#maxWaiting,
      mayHaveLanded,
    );
  }
}

/** The requests an agent's queues hold, ended ones included, read from one length per host. */
function queueLength(agent: Agent): number {
  let length = 0;
  for (const host in agent.requests) length += agent.requests[host]?.length ?? 0;
  return length;
}

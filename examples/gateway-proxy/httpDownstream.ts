import type { Downstream, ForwardedEvent } from './ForwardQueue.js';

/** The downstream answered an event with something other than a 2xx, or not in time. */
export class DownstreamRefusedError extends Error {
  public override readonly name = 'DownstreamRefusedError';
  /**
   * The answer will be the same however often the event comes (a 4xx other than 408 and 429):
   * the queue gives the event up to its dead-letter hook after a few of these.
   */
  public readonly permanent: boolean;

  /**
   * @param url - where the event was posted
   * @param event - the event refused
   * @param reason - the status it answered, or why there was no answer
   * @param permanent - whether offering it again cannot help
   */
  public constructor(
    url: string,
    event: ForwardedEvent,
    reason: string,
    permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(
      `POST ${url} of ${event.payload.t} (shard ${event.shardId}, seq ${event.payload.s ?? '-'}) failed: ${reason}; ` +
        (permanent
          ? 'refused as such, so it goes to the dead-letter hook after a few tries'
          : 'it is offered again'),
      options,
    );
    this.permanent = permanent;
  }
}

/** Statuses below 500 that say "later", not "never". */
const RETRIED_4XX = new Set([408, 425, 429]);

/**
 * A {@link Downstream} that POSTs each event as JSON (`{ shardId, sessionId, payload }`) to `url`;
 * a 2xx answer confirms it. A network failure, a timeout, a 5xx, a 408, 425 or 429 is retried
 * without limit (with capped backoff); any other answer is a permanent refusal. Give the service an idempotent handler keyed by `payload.id`: after a
 * crash, events confirmed since the last stored seq come again.
 *
 * @param url - the downstream's endpoint
 * @param timeoutMs - how long one POST may take before it counts as refused
 */
export function httpDownstream(url: string, timeoutMs = 10_000): Downstream {
  return async (event, signal) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DownstreamRefusedError(url, event, reason, false, { cause: error });
    }
    await response.body?.cancel(); // the status is the answer; free the connection
    if (!response.ok) {
      const permanent = response.status < 500 && !RETRIED_4XX.has(response.status);
      throw new DownstreamRefusedError(url, event, `answered ${response.status}`, permanent);
    }
  };
}

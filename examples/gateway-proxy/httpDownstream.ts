import type { Downstream, ForwardedEvent } from './ForwardQueue.js';

/** The downstream answered an event with something other than a 2xx, or not in time. */
export class DownstreamRefusedError extends Error {
  public override readonly name = 'DownstreamRefusedError';

  /**
   * @param url - where the event was posted
   * @param event - the event refused
   * @param reason - the status it answered, or why there was no answer
   */
  public constructor(url: string, event: ForwardedEvent, reason: string, options?: ErrorOptions) {
    super(
      `POST ${url} of ${event.payload.t} (shard ${event.shardId}, seq ${event.payload.s ?? '-'}) failed: ${reason}; it is offered again`,
      options,
    );
  }
}

/**
 * A {@link Downstream} that POSTs each event as JSON (`{ shardId, sessionId, payload }`) to `url`;
 * a 2xx answer confirms it. Give the service an idempotent handler keyed by `payload.id`: after a
 * crash, events confirmed since the last stored seq come again.
 *
 * @param url - the downstream's endpoint
 * @param timeoutMs - how long one POST may take before it counts as refused
 */
export function httpDownstream(url: string, timeoutMs = 10_000): Downstream {
  return async (event) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DownstreamRefusedError(url, event, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    await response.body?.cancel(); // the status is the answer; free the connection
    if (!response.ok) throw new DownstreamRefusedError(url, event, `answered ${response.status}`);
  };
}

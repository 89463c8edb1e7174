import { InteractionAckCode } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { interactionEndpoints, type InteractionAck } from './endpoints/interactions.js';

/** Acknowledging button clicks and menu choices: `api.interactions`. */
export class InteractionsApi {
  readonly #rest: RestClient;
  readonly #endpoints: BoundEndpoints<typeof interactionEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
    this.#endpoints = bindEndpoints(rest, interactionEndpoints);
  }

  /**
   * Acknowledges an `INTERACTION_CREATE` (`PUT /interactions/{interaction_id}`). Do it within a
   * few seconds, or the user's client keeps spinning until it times out.
   *
   * ```ts
   * await api.interactions.acknowledge(interaction.id);
   * await api.interactions.acknowledge(interaction.id, InteractionAckCode.NoPermission);
   * // A body with `data`, which only the official SDK knows of (docs/protocol.md §13.1):
   * await api.interactions.acknowledge(interaction.id, { code: 0, data: { answer: 'ok' } });
   * ```
   *
   * @param interactionId - the event's `id`
   * @param answer - outcome shown to the user, 0–5 (see {@link InteractionAckCode}), or the whole
   *   body with a `data` object of JSON values; success by default
   * @param options - signal and timeout
   * @throws {@link ValidationError} for a code outside 0–5, or `data` that is no plain object of
   *   JSON values (a `Date`, `NaN`, `undefined`, a function, a cycle), naming the offending path
   */
  public async acknowledge(
    interactionId: string,
    answer: InteractionAckCode | InteractionAck = InteractionAckCode.Success,
    options?: CallOptions,
  ): Promise<void> {
    // Read both fields off an object argument, so a missing code is refused by the code check.
    const body: InteractionAck = typeof answer === 'object' && answer !== null ? answer : { code: answer };
    const input =
      body.data === undefined
        ? { code: body.code, appId: this.#rest.appId }
        : { code: body.code, data: body.data, appId: this.#rest.appId };
    await this.#endpoints.acknowledge({ interaction_id: interactionId }, input, options);
  }
}

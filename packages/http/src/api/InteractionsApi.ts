import { InteractionAckCode } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { interactionEndpoints } from './endpoints/interactions.js';

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
   * @param interactionId - the event's `id`
   * @param code - outcome shown to the user, 0–5 (see {@link InteractionAckCode}); success by default
   * @param options - signal and timeout
   */
  public async acknowledge(
    interactionId: string,
    code: InteractionAckCode = InteractionAckCode.Success,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.acknowledge(
      { interaction_id: interactionId },
      { code, appId: this.#rest.appId },
      options,
    );
  }
}

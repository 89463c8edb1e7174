import type { RestClient } from '../rest/RestClient.js';
import { InteractionAckCode, requireId, requireInteger } from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Acknowledging button clicks and menu choices: `api.interactions`. */
export class InteractionsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
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
    const interaction = requireId(interactionId, 'interactionId');
    requireInteger(code, 'code', InteractionAckCode.Success, InteractionAckCode.AdminOnly);
    await this.#rest.request<unknown>({
      method: 'PUT',
      route: Routes.interaction,
      params: { interaction_id: interaction },
      // The platform matches the callback to the bot by this header as well as the token.
      headers: { 'X-Callback-AppID': this.#rest.appId },
      body: { code },
      ...callControls(options),
    });
  }
}

import type { CreateDmsBody, DmsSession, Message, RecallQuery } from '@bot/core';
import type { GuildMessageInput } from '../messages/prepare.js';
import type { PendingAudit } from '../rest/PendingAudit.js';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { dmEndpoints } from './endpoints/dms.js';

/** Direct messages with guild members: `api.dms`. */
export class DmsApi {
  readonly #endpoints: BoundEndpoints<typeof dmEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, dmEndpoints);
  }

  /**
   * Opens a DM session with a member of a guild the bot is in (`POST /users/@me/dms`).
   *
   * @param body - `recipient_id` and `source_guild_id`
   * @param options - signal and timeout
   * @returns the session; send to its `guild_id`
   */
  public async createSession(body: CreateDmsBody, options?: CallOptions): Promise<DmsSession> {
    return this.#endpoints.createSession({}, body, options);
  }

  /**
   * Sends a DM (`POST /dms/{guild_id}/messages`); the fields are those of channel messages.
   *
   * @param guildId - the DM session's `guild_id` (from the inbound DM, or {@link DmsApi.createSession})
   * @param params - a {@link MessageParams} or a plain body
   * @param options - signal, timeout and `retryOnTimeout`
   * @returns the sent message, or a {@link PendingAudit} when the platform holds it for audit
   */
  public async send(
    guildId: string,
    params: GuildMessageInput,
    options?: CallOptions,
  ): Promise<Message | PendingAudit> {
    return this.#endpoints.send({ guild_id: guildId }, params, options);
  }

  /**
   * Recalls a DM (`DELETE /dms/{guild_id}/messages/{message_id}`).
   *
   * @param guildId - the DM session's `guild_id`
   * @param messageId - the message
   * @param query - `hidetip` hides the "message recalled" notice
   * @param options - signal and timeout
   */
  public async recall(
    guildId: string,
    messageId: string,
    query?: RecallQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.recall({ guild_id: guildId, message_id: messageId }, query, options);
  }
}

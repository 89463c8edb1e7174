import type { Guild, GuildListQuery, User } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { userEndpoints } from './endpoints/users.js';

/** The bot's own account: `api.users`. */
export class UsersApi {
  readonly #endpoints: BoundEndpoints<typeof userEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, userEndpoints);
  }

  /**
   * Fetches the bot's user (`GET /users/@me`).
   *
   * @param options - signal and timeout
   */
  public async me(options?: CallOptions): Promise<User> {
    return this.#endpoints.me({}, options);
  }

  /**
   * Lists the guilds the bot is in, one page at a time (`GET /users/@me/guilds`).
   *
   * @param query - `after` or `before` a guild id, and `limit` (1–100)
   * @param options - signal and timeout
   * @throws {@link ValidationError} when both `before` and `after` are set, or `limit` is out of range
   */
  public async guilds(query: GuildListQuery = {}, options?: CallOptions): Promise<Guild[]> {
    return this.#endpoints.guilds({}, query, options);
  }
}

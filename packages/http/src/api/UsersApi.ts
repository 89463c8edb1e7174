import {
  type Guild,
  type GuildListQuery,
  optionalId,
  optionalInteger,
  requireObject,
  type User,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** The bot's own account: `api.users`. */
export class UsersApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Fetches the bot's user (`GET /users/@me`).
   *
   * @param options - signal and timeout
   */
  public async me(options?: CallOptions): Promise<User> {
    return this.#rest.request<User>({ method: 'GET', route: Routes.me, ...callControls(options) });
  }

  /**
   * Lists the guilds the bot is in, one page at a time (`GET /users/@me/guilds`).
   *
   * @param query - `after` or `before` a guild id, and `limit` (1–100)
   * @param options - signal and timeout
   * @throws {@link ValidationError} when both `before` and `after` are set, or `limit` is out of range
   */
  public async guilds(query: GuildListQuery = {}, options?: CallOptions): Promise<Guild[]> {
    requireObject(query, 'query');
    const before = optionalId(query.before, 'query.before');
    const after = optionalId(query.after, 'query.after');
    if (before !== undefined && after !== undefined) {
      throw new ValidationError('query', 'must not set both before and after');
    }
    const limit = optionalInteger(query.limit, 'query.limit', 1, 100);
    return this.#rest.request<Guild[]>({
      method: 'GET',
      route: Routes.myGuilds,
      query: { before, after, limit },
      ...callControls(options),
    });
  }
}

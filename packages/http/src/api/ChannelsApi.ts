import {
  type Channel,
  type ChannelOnlineCount,
  ChannelPrivateType,
  ChannelSpeakPermission,
  ChannelSubType,
  ChannelType,
  type CreateChannelBody,
  optionalId,
  optionalOneOf,
  requireId,
  requireInteger,
  requireObject,
  requireOneOf,
  requireText,
  type UpdateChannelBody,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

const CHANNEL_TYPES = Object.values(ChannelType);
const CHANNEL_SUB_TYPES = Object.values(ChannelSubType);
const PRIVATE_TYPES = Object.values(ChannelPrivateType);
const SPEAK_PERMISSIONS = Object.values(ChannelSpeakPermission);

/** Channels of a guild: `api.channels`. */
export class ChannelsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Lists a guild's channels (`GET /guilds/{guild_id}/channels`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async list(guildId: string, options?: CallOptions): Promise<Channel[]> {
    return this.#rest.request<Channel[]>({
      method: 'GET',
      route: Routes.guildChannels,
      params: { guild_id: requireId(guildId, 'guildId') },
      ...callControls(options),
    });
  }

  /**
   * Fetches a channel (`GET /channels/{channel_id}`).
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async get(channelId: string, options?: CallOptions): Promise<Channel> {
    return this.#rest.request<Channel>({
      method: 'GET',
      route: Routes.channel,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }

  /**
   * Creates a channel (`POST /guilds/{guild_id}/channels`; private-domain bots).
   *
   * @param guildId - the guild
   * @param body - name, type, position and the optional settings
   * @param options - signal and timeout
   */
  public async create(guildId: string, body: CreateChannelBody, options?: CallOptions): Promise<Channel> {
    const guild = requireId(guildId, 'guildId');
    requireObject(body, 'body');
    requireText(body.name, 'body.name');
    requireOneOf(body.type, 'body.type', CHANNEL_TYPES);
    optionalOneOf(body.sub_type, 'body.sub_type', CHANNEL_SUB_TYPES);
    requireInteger(body.position, 'body.position', 0, Number.MAX_SAFE_INTEGER);
    optionalId(body.parent_id, 'body.parent_id');
    optionalOneOf(body.private_type, 'body.private_type', PRIVATE_TYPES);
    optionalOneOf(body.speak_permission, 'body.speak_permission', SPEAK_PERMISSIONS);
    return this.#rest.request<Channel>({
      method: 'POST',
      route: Routes.guildChannels,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
  }

  /**
   * Changes a channel (`PATCH /channels/{channel_id}`); only the fields given change.
   *
   * @param channelId - the channel
   * @param body - the fields to change
   * @param options - signal and timeout
   */
  public async update(channelId: string, body: UpdateChannelBody, options?: CallOptions): Promise<Channel> {
    const channel = requireId(channelId, 'channelId');
    requireObject(body, 'body');
    if (Object.values(body).every((value) => value === undefined)) {
      throw new ValidationError('body', 'must change at least one field');
    }
    if (body.name !== undefined) requireText(body.name, 'body.name');
    if (body.position !== undefined)
      requireInteger(body.position, 'body.position', 0, Number.MAX_SAFE_INTEGER);
    optionalId(body.parent_id, 'body.parent_id');
    optionalOneOf(body.private_type, 'body.private_type', PRIVATE_TYPES);
    optionalOneOf(body.speak_permission, 'body.speak_permission', SPEAK_PERMISSIONS);
    return this.#rest.request<Channel>({
      method: 'PATCH',
      route: Routes.channel,
      params: { channel_id: channel },
      body,
      ...callControls(options),
    });
  }

  /**
   * Deletes a channel (`DELETE /channels/{channel_id}`); this cannot be undone.
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async delete(channelId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.channel,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }

  /**
   * Counts the members in a voice or live channel (`GET /channels/{channel_id}/online_nums`).
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async getOnlineCount(channelId: string, options?: CallOptions): Promise<ChannelOnlineCount> {
    return this.#rest.request<ChannelOnlineCount>({
      method: 'GET',
      route: Routes.channelOnlineNums,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }
}

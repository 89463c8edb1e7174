import type { Schedule, ScheduleBody, ScheduleListQuery } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { scheduleEndpoints } from './endpoints/schedules.js';

/** Events of schedule channels: `api.schedules`. */
export class SchedulesApi {
  readonly #endpoints: BoundEndpoints<typeof scheduleEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, scheduleEndpoints);
  }

  /**
   * Lists a schedule channel's events (`GET /channels/{channel_id}/schedules`): today's, or
   * those ending after `since`.
   *
   * @param channelId - the schedule channel
   * @param query - `since`, Unix time in milliseconds
   * @param options - signal and timeout
   */
  public async list(
    channelId: string,
    query: ScheduleListQuery = {},
    options?: CallOptions,
  ): Promise<Schedule[]> {
    return this.#endpoints.list({ channel_id: channelId }, query, options);
  }

  /**
   * Fetches one event (`GET /channels/{channel_id}/schedules/{schedule_id}`).
   *
   * @param channelId - the schedule channel
   * @param scheduleId - the event
   * @param options - signal and timeout
   */
  public async get(channelId: string, scheduleId: string, options?: CallOptions): Promise<Schedule> {
    return this.#endpoints.get({ channel_id: channelId, schedule_id: scheduleId }, options);
  }

  /**
   * Creates an event (`POST /channels/{channel_id}/schedules`); the bot must be an admin.
   *
   * @param channelId - the schedule channel
   * @param schedule - name, start and end (Unix ms strings), reminder
   * @param options - signal and timeout
   */
  public async create(channelId: string, schedule: ScheduleBody, options?: CallOptions): Promise<Schedule> {
    return this.#endpoints.create({ channel_id: channelId }, schedule, options);
  }

  /**
   * Replaces an event (`PATCH /channels/{channel_id}/schedules/{schedule_id}`).
   *
   * @param channelId - the schedule channel
   * @param scheduleId - the event
   * @param schedule - the event's new values
   * @param options - signal and timeout
   */
  public async update(
    channelId: string,
    scheduleId: string,
    schedule: ScheduleBody,
    options?: CallOptions,
  ): Promise<Schedule> {
    return this.#endpoints.update({ channel_id: channelId, schedule_id: scheduleId }, schedule, options);
  }

  /**
   * Deletes an event (`DELETE /channels/{channel_id}/schedules/{schedule_id}`).
   *
   * @param channelId - the schedule channel
   * @param scheduleId - the event
   * @param options - signal and timeout
   */
  public async delete(channelId: string, scheduleId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.delete({ channel_id: channelId, schedule_id: scheduleId }, options);
  }
}

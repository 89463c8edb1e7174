import {
  optionalDecimalString,
  optionalId,
  RemindType,
  requireDecimalString,
  requireId,
  requireObject,
  requireOneOf,
  requireText,
  type Schedule,
  type ScheduleBody,
  type ScheduleListQuery,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

const REMIND_TYPES = Object.values(RemindType);

/** Events of schedule channels: `api.schedules`. */
export class SchedulesApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
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
    const channel = requireId(channelId, 'channelId');
    requireObject(query, 'query');
    const since = optionalDecimalString(query.since, 'query.since');
    return this.#rest.request<Schedule[]>({
      method: 'GET',
      route: Routes.schedules,
      params: { channel_id: channel },
      query: { since },
      ...callControls(options),
    });
  }

  /**
   * Fetches one event (`GET /channels/{channel_id}/schedules/{schedule_id}`).
   *
   * @param channelId - the schedule channel
   * @param scheduleId - the event
   * @param options - signal and timeout
   */
  public async get(channelId: string, scheduleId: string, options?: CallOptions): Promise<Schedule> {
    return this.#rest.request<Schedule>({
      method: 'GET',
      route: Routes.schedule,
      params: {
        channel_id: requireId(channelId, 'channelId'),
        schedule_id: requireId(scheduleId, 'scheduleId'),
      },
      ...callControls(options),
    });
  }

  /**
   * Creates an event (`POST /channels/{channel_id}/schedules`); the bot must be an admin.
   *
   * @param channelId - the schedule channel
   * @param schedule - name, start and end (Unix ms strings), reminder
   * @param options - signal and timeout
   */
  public async create(channelId: string, schedule: ScheduleBody, options?: CallOptions): Promise<Schedule> {
    const channel = requireId(channelId, 'channelId');
    validateSchedule(schedule);
    return this.#rest.request<Schedule>({
      method: 'POST',
      route: Routes.schedules,
      params: { channel_id: channel },
      body: { schedule },
      ...callControls(options),
    });
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
    const params = {
      channel_id: requireId(channelId, 'channelId'),
      schedule_id: requireId(scheduleId, 'scheduleId'),
    };
    validateSchedule(schedule);
    return this.#rest.request<Schedule>({
      method: 'PATCH',
      route: Routes.schedule,
      params,
      body: { schedule },
      ...callControls(options),
    });
  }

  /**
   * Deletes an event (`DELETE /channels/{channel_id}/schedules/{schedule_id}`).
   *
   * @param channelId - the schedule channel
   * @param scheduleId - the event
   * @param options - signal and timeout
   */
  public async delete(channelId: string, scheduleId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.schedule,
      params: {
        channel_id: requireId(channelId, 'channelId'),
        schedule_id: requireId(scheduleId, 'scheduleId'),
      },
      ...callControls(options),
    });
  }
}

function validateSchedule(schedule: ScheduleBody): void {
  requireObject(schedule, 'schedule');
  requireText(schedule.name, 'schedule.name');
  const start = requireDecimalString(schedule.start_timestamp, 'schedule.start_timestamp');
  const end = requireDecimalString(schedule.end_timestamp, 'schedule.end_timestamp');
  if (BigInt(end) <= BigInt(start)) {
    throw new ValidationError('schedule.end_timestamp', 'must be later than schedule.start_timestamp');
  }
  optionalId(schedule.jump_channel_id, 'schedule.jump_channel_id');
  requireOneOf(schedule.remind_type, 'schedule.remind_type', REMIND_TYPES);
  if (schedule.description !== undefined && typeof schedule.description !== 'string') {
    throw new ValidationError('schedule.description', 'must be a string');
  }
}

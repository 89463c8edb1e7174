import type { Schedule } from '../../state/GuildContentStore.js';
import type { JsonObject } from '../../util/guards.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalObject, optionalString } from '../fields.js';
import { requireChannel } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

const MAX_DURATION_MS = 7 * 24 * 60 * 60_000;
const REMIND_TYPES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4', '5']);

function invalid(code: number, message: string): RestError {
  return new RestError(400, code, message);
}

function millis(body: JsonObject, field: string): number | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw invalid(
      ErrorCode.ScheduleParamInvalid,
      `field "schedule.${field}" must be unix milliseconds as a string`,
    );
  return Number(value);
}

/** Channel schedules (日程); bodies wrap the fields in `{"schedule": {...}}`. */
export const scheduleRoutes: RouteModule = (router, { world, ids }) => {
  const scheduleBody = (raw: unknown): JsonObject => {
    const schedule = optionalObject(bodyObject(raw), 'schedule');
    if (!schedule) throw invalid(ErrorCode.ScheduleMissing, 'field "schedule" is required');
    return schedule;
  };

  const apply = (schedule: Schedule, body: JsonObject, now: number): Schedule => {
    const start = millis(body, 'start_timestamp') ?? Number(schedule.start_timestamp);
    const end = millis(body, 'end_timestamp') ?? Number(schedule.end_timestamp);
    const remindType = optionalString(body, 'remind_type') ?? schedule.remind_type;
    if (!REMIND_TYPES.has(remindType))
      throw invalid(ErrorCode.ScheduleParamInvalid, 'field "schedule.remind_type" must be "0" to "5"');
    if (start < now)
      throw invalid(ErrorCode.ScheduleStartInPast, 'the start time cannot be earlier than now');
    if (end <= start)
      throw invalid(ErrorCode.ScheduleEndBeforeStart, 'the end time cannot be earlier than the start time');
    if (end - start > MAX_DURATION_MS)
      throw invalid(ErrorCode.ScheduleTooLong, 'a schedule cannot last more than 7 days');
    const jump = optionalString(body, 'jump_channel_id') ?? schedule.jump_channel_id;
    if (jump !== '0' && jump !== '') requireChannel(world, jump);
    return {
      ...schedule,
      name: optionalString(body, 'name') ?? schedule.name,
      description: optionalString(body, 'description') ?? schedule.description,
      start_timestamp: String(start),
      end_timestamp: String(end),
      jump_channel_id: jump,
      remind_type: remindType,
    };
  };

  const find = (channelId: string, scheduleId: string): Schedule => {
    const schedule = world.content.schedulesOf(channelId).get(scheduleId);
    if (!schedule) throw new RestError(404, ErrorCode.ScheduleNotFound, `unknown schedule ${scheduleId}`);
    return schedule;
  };

  router.add('GET /channels/{channel_id}/schedules', ({ params, query }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const since = query['since'];
    if (since !== undefined && !/^\d+$/.test(since))
      throw invalid(ErrorCode.ScheduleParamInvalid, 'query "since" must be unix milliseconds');
    const all = [...world.content.schedulesOf(channel.id).values()];
    return ok(since === undefined ? all : all.filter((s) => Number(s.start_timestamp) >= Number(since)));
  });

  router.add('POST /channels/{channel_id}/schedules', ({ params, body }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const fields = scheduleBody(body);
    const name = optionalString(fields, 'name');
    if (!name) throw invalid(ErrorCode.ScheduleParamInvalid, 'field "schedule.name" is required');
    if (fields['start_timestamp'] === undefined || fields['end_timestamp'] === undefined) {
      throw invalid(
        ErrorCode.ScheduleParamInvalid,
        'fields "schedule.start_timestamp" and "schedule.end_timestamp" are required',
      );
    }
    const member = world.guilds.memberRecord(channel.guild_id, world.bot.id);
    const blank: Schedule = {
      id: ids.snowflake(),
      name,
      description: '',
      start_timestamp: '0',
      end_timestamp: '0',
      creator: member
        ? world.guilds.memberWire(channel.guild_id, member)
        : { nick: world.bot.username, roles: [], joined_at: '' },
      jump_channel_id: '0',
      remind_type: '0',
    };
    const schedule = apply(blank, fields, Date.now());
    world.content.schedulesOf(channel.id).set(schedule.id, schedule);
    return ok(schedule);
  });

  router.add('GET /channels/{channel_id}/schedules/{schedule_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    return ok(find(channel.id, params['schedule_id'] ?? ''));
  });

  router.add('PATCH /channels/{channel_id}/schedules/{schedule_id}', ({ params, body }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const updated = apply(find(channel.id, params['schedule_id'] ?? ''), scheduleBody(body), Date.now());
    world.content.schedulesOf(channel.id).set(updated.id, updated);
    return ok(updated);
  });

  router.add('DELETE /channels/{channel_id}/schedules/{schedule_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const schedule = find(channel.id, params['schedule_id'] ?? '');
    world.content.schedulesOf(channel.id).delete(schedule.id);
    return noContent();
  });
};

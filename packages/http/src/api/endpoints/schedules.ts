import {
  optionalDecimalString,
  optionalId,
  RemindType,
  requireDecimalString,
  requireObject,
  requireOneOf,
  requireText,
  type Schedule,
  type ScheduleBody,
  type ScheduleListQuery,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

const REMIND_TYPES = Object.values(RemindType);

/** Schedule channel events. */
export const scheduleEndpoints = {
  list: endpoint('GET', Routes.schedules, { request: scheduleListQuery }).returns<Schedule[]>(),
  get: endpoint('GET', Routes.schedule).returns<Schedule>(),
  create: endpoint('POST', Routes.schedules, { request: scheduleBody }).returns<Schedule>(),
  update: endpoint('PATCH', Routes.schedule, { request: scheduleBody }).returns<Schedule>(),
  delete: endpoint('DELETE', Routes.schedule),
};

function scheduleListQuery(query: ScheduleListQuery): RequestParts {
  requireObject(query, 'query');
  return { query: { since: optionalDecimalString(query.since, 'query.since') } };
}

/** The platform takes the event wrapped: `{ schedule }`. */
function scheduleBody(schedule: ScheduleBody): RequestParts {
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
  return { body: { schedule } };
}

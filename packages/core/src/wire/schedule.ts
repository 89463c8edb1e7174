import type { Member } from './member.js';

/** When members are reminded of a schedule (`remind_type`, a string on the wire). */
export const RemindType = {
  None: '0',
  AtStart: '1',
  FiveMinutesBefore: '2',
  FifteenMinutesBefore: '3',
  ThirtyMinutesBefore: '4',
  SixtyMinutesBefore: '5',
} as const;
/** A value of {@link RemindType}. */
export type RemindType = (typeof RemindType)[keyof typeof RemindType];

/** An event in a schedule channel. */
export interface Schedule {
  /** Schedule id. */
  id: string;
  /** Name. */
  name: string;
  /** Description. */
  description?: string;
  /** Start, Unix time in milliseconds (a decimal string). */
  start_timestamp: string;
  /** End, Unix time in milliseconds (a decimal string). */
  end_timestamp: string;
  /** Who created it. */
  creator?: Member;
  /** Channel members jump to when it starts (`"0"` for none). */
  jump_channel_id?: string;
  /** Reminder. */
  remind_type: RemindType;
}

/** The schedule sent to `POST|PATCH /channels/{channel_id}/schedules[/{schedule_id}]`. */
export interface ScheduleBody {
  /** Name. */
  name: string;
  /** Description. */
  description?: string | undefined;
  /** Start, Unix time in milliseconds (a decimal string). */
  start_timestamp: string;
  /** End, Unix time in milliseconds (a decimal string). */
  end_timestamp: string;
  /** Channel members jump to when it starts. */
  jump_channel_id?: string | undefined;
  /** Reminder. */
  remind_type: RemindType;
}

/** Query of `GET /channels/{channel_id}/schedules`. */
export interface ScheduleListQuery {
  /** Unix time in milliseconds: list schedules ending after it (today's when omitted). */
  since?: string | undefined;
}

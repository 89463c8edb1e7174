import type { Member } from '../protocol/wire.js';
import type { JsonObject } from '../util/guards.js';

/** A guild or channel announcement (公告). */
export interface Announce {
  guild_id: string;
  channel_id: string;
  message_id: string;
  announces_type: number;
  recommend_channels: Array<{ channel_id: string; introduce: string }>;
}

/** A channel schedule (日程). */
export interface Schedule {
  id: string;
  name: string;
  description: string;
  start_timestamp: string;
  end_timestamp: string;
  creator: Member;
  jump_channel_id: string;
  remind_type: string;
}

/** A forum thread (帖子). */
export interface Thread {
  guild_id: string;
  channel_id: string;
  author_id: string;
  thread_info: { thread_id: string; title: string; content: string; date_time: string };
}

/** An API permission request the bot filed. */
export interface ApiPermissionDemand {
  guild_id: string;
  channel_id: string;
  api_identify: { path: string; method: string };
  title: string;
  desc: string;
}

/**
 * Guild content that is not messages: announcements, schedules, forum threads, API permission
 * requests and voice-channel state.
 */
export class GuildContentStore {
  /** Guild-wide announcements by guild id. */
  readonly guildAnnounces = new Map<string, Announce[]>();
  /** Channel announcements by channel id. */
  readonly channelAnnounces = new Map<string, Announce>();
  /** Schedules by channel id, then schedule id. */
  readonly schedules = new Map<string, Map<string, Schedule>>();
  /** Forum threads by channel id, then thread id. */
  readonly threads = new Map<string, Map<string, Thread>>();
  /** API permission requests, oldest first. */
  readonly apiDemands: ApiPermissionDemand[] = [];
  /** Voice channels whose mic the bot holds. */
  readonly micChannels = new Set<string>();
  /** Voice channels with their current audio control status (0 start, 1 pause, 2 resume, 3 stop). */
  readonly audioStatus = new Map<string, number>();
  /** Users currently in each voice or live channel. */
  readonly voiceMembers = new Map<string, Set<string>>();
  /**
   * Interactions (button clicks) by id, with the code the bot acknowledged them with (null while
   * unanswered) and the `data` object of the last acknowledgement that carried one.
   */
  readonly interactions = new Map<string, { ackCode: number | null; ackData?: JsonObject }>();

  /** The schedules of a channel, created on first use. */
  schedulesOf(channelId: string): Map<string, Schedule> {
    let map = this.schedules.get(channelId);
    if (!map) {
      map = new Map();
      this.schedules.set(channelId, map);
    }
    return map;
  }

  /** The threads of a channel, created on first use. */
  threadsOf(channelId: string): Map<string, Thread> {
    let map = this.threads.get(channelId);
    if (!map) {
      map = new Map();
      this.threads.set(channelId, map);
    }
    return map;
  }
}

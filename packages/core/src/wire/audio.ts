import type { User } from './user.js';

/** Playback commands (`status`). */
export const AudioStatus = {
  Start: 0,
  Pause: 1,
  Resume: 2,
  Stop: 3,
} as const;
/** A value of {@link AudioStatus}. */
export type AudioStatus = (typeof AudioStatus)[keyof typeof AudioStatus];

/** Body of `POST /channels/{channel_id}/audio`. */
export interface AudioControl {
  /** Audio URL; required to start. */
  audio_url?: string;
  /** Text shown while playing. */
  text?: string;
  /** Command. */
  status: AudioStatus;
}

/** Payload of `AUDIO_START`, `AUDIO_FINISH`, `AUDIO_ON_MIC` and `AUDIO_OFF_MIC`. */
export interface AudioAction {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Audio URL (start and finish). */
  audio_url?: string;
  /** Text shown while playing. */
  text?: string;
}

/** A member in a voice channel (`GET /channels/{channel_id}/voice/members`). */
export interface VoiceMember {
  /** The user. */
  user: User;
  /** Nickname in the guild. */
  nick?: string;
  /** When the user joined the guild, ISO 8601. */
  joined_at?: string;
  /** Whether the user is muted. */
  mute?: boolean;
}

/** Payload of `AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER` and `AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT`. */
export interface AudioLiveChannelMember {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** 2 voice, 5 live. */
  channel_type: number;
  /** Who entered or left. */
  user_id: string;
}

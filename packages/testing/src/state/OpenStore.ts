/** A QQ group the bot may be in, addressed by openid. */
export interface GroupRecord {
  groupOpenid: string;
  name: string;
  /** Member openids of the simulated people in the group. */
  memberOpenids: string[];
  /** Whether the bot is currently in the group. */
  botPresent: boolean;
}

/** A QQ user who talks to the bot one-to-one, addressed by openid. */
export interface C2CUserRecord {
  userOpenid: string;
  unionOpenid: string;
  name: string;
  /** Whether the user has the bot as a friend. */
  friend: boolean;
}

/** A rich-media upload (`POST /v2/…/files`) a later `msg_type: 7` message may reference. */
export interface MediaRecord {
  fileInfo: string;
  fileUuid: string;
  fileType: number;
  scene: 'group' | 'c2c';
  target: string;
  /**
   * When the file_info stops being accepted, on the steady clock (ms): its `ttl` is a duration, which
   * a wall clock stepped forward must not cut short.
   */
  expiresAt: number;
}

/**
 * Groups, C2C users and rich-media uploads: the "open" (QQ, not guild) side of the platform.
 */
export class OpenStore {
  /** Groups by openid. */
  readonly groups = new Map<string, GroupRecord>();
  /** C2C users by openid. */
  readonly users = new Map<string, C2CUserRecord>();
  readonly #media = new Map<string, MediaRecord>();

  /** Stores an upload. */
  addMedia(record: MediaRecord): void {
    this.#media.set(record.fileInfo, record);
  }

  /** An upload by its `file_info`. */
  media(fileInfo: string): MediaRecord | undefined {
    return this.#media.get(fileInfo);
  }
}

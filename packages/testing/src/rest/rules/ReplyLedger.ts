import type { Scene } from '../../state/MessageStore.js';

/** What a reply is anchored to: an inbound message (`msg_id`) or an event (`event_id`). */
export type AnchorKind = 'msg' | 'event';

/** Why a send was refused by the reply rules. */
export type ReplyViolation =
  | 'proactive'
  | 'unknown-msg'
  | 'expired-msg'
  | 'unknown-event'
  | 'expired-event'
  | 'limit'
  | 'duplicate-seq'
  | 'wakeup-expired';

/** What a send refers to. */
export interface ReplyAttempt {
  scene: Scene;
  /** Channel id, DM guild id, group openid or user openid the send goes to. */
  target: string;
  msgId?: string | undefined;
  eventId?: string | undefined;
  /** The send's `msg_seq` (group/C2C only; the platform defaults it to 1). */
  msgSeq?: number | undefined;
  /** Guild sends: the guild of the target channel, which guild-wide event anchors match. */
  guildId?: string | undefined;
}

interface Anchor {
  kind: AnchorKind;
  scene: Scene;
  /** Where replies go; for a guild-wide anchor, the guild id (any of its channels). */
  target: string;
  guildWide?: boolean;
  createdAt: number;
  replies: number;
  seqs: Set<number>;
}

/** Reply windows per scene, as the platform documents them: C2C 60 min, everything else 5 min. */
export const DEFAULT_REPLY_WINDOWS: Readonly<Record<Scene, number>> = {
  c2c: 60 * 60_000,
  group: 5 * 60_000,
  guild: 5 * 60_000,
  dm: 5 * 60_000,
};

/**
 * Replies allowed per inbound message or event, in the scenes where the platform documents a count
 * (C2C and groups, docs/protocol.md §8.2).
 */
export const MAX_REPLIES = 5;

/**
 * Replies counted per inbound message or event, per scene: guild channels and guild DMs have no
 * documented count (§8.2, §15.2), so the emulator counts none there rather than inventing one the
 * client does not count too.
 */
export const REPLY_COUNTS: Readonly<Record<Scene, number | undefined>> = {
  c2c: MAX_REPLIES,
  group: MAX_REPLIES,
  guild: undefined,
  dm: undefined,
};

/**
 * How long after a user's last C2C message the bot may still send it an `is_wakeup` message
 * without a reply anchor (the official SDK's `sendWakeup`: "C2C only, 30-day window"; no docs page).
 */
export const WAKEUP_WINDOW_MS = 30 * 24 * 60 * 60_000;

/** Anchors held at most (aliases included), whatever their age: the oldest go first. */
export const MAX_ANCHORS = 100_000;

/**
 * The platform's "replies only" rules: every send must name an inbound message or event of the
 * same conversation, within the scene's window, at most 5 times in C2C and groups (no count in
 * guild scenes, {@link REPLY_COUNTS}), never repeating a `msg_seq`.
 *
 * Bounded: an anchor is forgotten once a second window has passed since its own closed (until
 * then a late reply is still told "expired", not "unknown"), and never more than
 * {@link MAX_ANCHORS} are held. Forgetting happens as anchors are added, oldest first.
 */
export class ReplyLedger {
  readonly #anchors = new Map<string, Anchor>();
  readonly #windows: Record<Scene, number>;
  /** Time of each C2C user's last inbound message, for `is_wakeup` sends; oldest first. */
  readonly #lastC2CMessage = new Map<string, number>();

  /** @param windows reply windows in milliseconds per scene */
  constructor(windows: Readonly<Record<Scene, number>> = DEFAULT_REPLY_WINDOWS) {
    this.#windows = { ...windows };
  }

  /** Anchors held now (an alias counts as one). */
  get size(): number {
    return this.#anchors.size;
  }

  /** Makes an inbound message or event something the bot may reply to. */
  register(id: string, kind: AnchorKind, scene: Scene, target: string, at: number = Date.now()): void {
    this.#add(`${kind}:${id}`, { kind, scene, target, createdAt: at, replies: 0, seqs: new Set() }, at);
    if (kind === 'msg' && scene === 'c2c') this.#noteC2CMessage(target, at);
  }

  #noteC2CMessage(userOpenid: string, at: number): void {
    this.#lastC2CMessage.delete(userOpenid);
    this.#lastC2CMessage.set(userOpenid, at);
    for (const [oldest, last] of this.#lastC2CMessage) {
      if (at - last <= WAKEUP_WINDOW_MS && this.#lastC2CMessage.size <= MAX_ANCHORS) break;
      this.#lastC2CMessage.delete(oldest);
    }
  }

  /**
   * Checks an `is_wakeup` C2C send without a reply anchor: the user must have messaged the bot
   * within {@link WAKEUP_WINDOW_MS}. The platform's frequency limits on these are not documented
   * and not modelled.
   */
  authorizeWakeup(userOpenid: string, now: number = Date.now()): ReplyViolation | undefined {
    const last = this.#lastC2CMessage.get(userOpenid);
    return last !== undefined && now - last <= WAKEUP_WINDOW_MS ? undefined : 'wakeup-expired';
  }

  /**
   * Makes a guild event that names no channel (a member event) answerable by `event_id` in any
   * text channel of `guildId` (docs/protocol.md §13).
   */
  registerGuildWide(id: string, guildId: string, at: number = Date.now()): void {
    this.#add(
      `event:${id}`,
      {
        kind: 'event',
        scene: 'guild',
        target: guildId,
        guildWide: true,
        createdAt: at,
        replies: 0,
        seqs: new Set(),
      },
      at,
    );
  }

  /** Lets `aliasId` name the same anchor as `id` (an interaction's own id and its event's id). */
  alias(aliasId: string, kind: AnchorKind, id: string): void {
    const anchor = this.#anchors.get(`${kind}:${id}`);
    if (anchor) this.#add(`${kind}:${aliasId}`, anchor, Date.now());
  }

  #add(key: string, anchor: Anchor, now: number): void {
    this.#anchors.delete(key);
    this.#anchors.set(key, anchor);
    // Oldest first; stops at the first anchor still worth keeping, so each add costs little.
    for (const [oldest, held] of this.#anchors) {
      const forgotten = now - held.createdAt > 2 * this.#windows[held.scene];
      if (!forgotten && this.#anchors.size <= MAX_ANCHORS) break;
      this.#anchors.delete(oldest);
    }
  }

  /**
   * Checks a send against the rules and, when it passes, counts it as a reply.
   * Returns the violation instead when it does not.
   */
  authorize(attempt: ReplyAttempt, now: number = Date.now()): ReplyViolation | undefined {
    return this.#check(attempt, now, true);
  }

  /**
   * Checks a C2C typing notice (`msg_type` 6): the same anchor, window and `msg_seq` rules as a
   * reply, and its `msg_seq` is taken, but it is not counted among the 5 replies (whether the
   * platform counts it is not documented).
   */
  authorizeTyping(attempt: ReplyAttempt, now: number = Date.now()): ReplyViolation | undefined {
    return this.#check(attempt, now, false);
  }

  #check(attempt: ReplyAttempt, now: number, countsAsReply: boolean): ReplyViolation | undefined {
    const kind: AnchorKind | undefined = attempt.msgId ? 'msg' : attempt.eventId ? 'event' : undefined;
    const id = attempt.msgId || attempt.eventId;
    if (!kind || !id) return 'proactive';
    const anchor = this.#anchors.get(`${kind}:${id}`);
    const sameTarget = anchor?.guildWide
      ? anchor.target === attempt.guildId
      : anchor?.target === attempt.target;
    if (!anchor || anchor.scene !== attempt.scene || !sameTarget) {
      return kind === 'msg' ? 'unknown-msg' : 'unknown-event';
    }
    if (now - anchor.createdAt > this.#windows[attempt.scene]) {
      return kind === 'msg' ? 'expired-msg' : 'expired-event';
    }
    const usesSeq = attempt.scene === 'group' || attempt.scene === 'c2c';
    const seq = attempt.msgSeq ?? 1;
    if (usesSeq && anchor.seqs.has(seq)) return 'duplicate-seq';
    const limit = REPLY_COUNTS[attempt.scene];
    if (countsAsReply && limit !== undefined && anchor.replies >= limit) return 'limit';
    if (countsAsReply) anchor.replies++;
    if (usesSeq) anchor.seqs.add(seq);
    return undefined;
  }
}

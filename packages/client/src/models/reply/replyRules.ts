import { PlatformCode } from '@bot/http';

/** Where an inbound message was received: C2C, a QQ group, a guild channel, a guild DM. */
export type ReplyScene = 'c2c' | 'group' | 'guild' | 'dm';

/** Whether replies check their window before sending: `'enforce'` (default) or `'ignore'`. */
export type ReplyWindowPolicy = 'enforce' | 'ignore';

/** Per-call reply settings. */
export interface ReplyOptions {
  /**
   * `'ignore'` sends even when the reply window looks closed, leaving the decision to the
   * platform; the client's setting (`ClientBuilder.replyWindows`) by default, itself `'enforce'`.
   */
  replyWindow?: ReplyWindowPolicy | undefined;
}

/**
 * The policy a reply goes by: the call's, else the client's, else `'enforce'`.
 *
 * @param options - the call's reply options
 * @param clientPolicy - the client's setting (`ClientBuilder.replyWindows`)
 */
export function replyPolicyOf(
  options: ReplyOptions | undefined,
  clientPolicy: ReplyWindowPolicy | undefined,
): ReplyWindowPolicy {
  return options?.replyWindow ?? clientPolicy ?? 'enforce';
}

/** The passive-reply rules of one scene. */
export interface ReplyRule {
  /** How long after the message arrives a reply is accepted, in ms. */
  readonly windowMs: number;
  /** Replies accepted per message; `undefined` where the platform documents no count. */
  readonly maxReplies: number | undefined;
}

/**
 * The documented rules (docs/protocol.md §8.2): C2C 60 min and 5 replies, groups 5 min and 5
 * replies, guild channels and DMs 5 min with no documented count.
 */
export const REPLY_RULES: Readonly<Record<ReplyScene, ReplyRule>> = {
  c2c: { windowMs: 60 * 60_000, maxReplies: 5 },
  group: { windowMs: 5 * 60_000, maxReplies: 5 },
  guild: { windowMs: 5 * 60_000, maxReplies: undefined },
  dm: { windowMs: 5 * 60_000, maxReplies: undefined },
};

/** `event_id` invalid or of another conversation (docs/protocol.md §13.2, seen in the field). */
const EVENT_ID_INVALID_CODE = 40034025;
/** `event_id` past its answer window (docs/protocol.md §13.2, seen in the field). */
const EVENT_ID_EXPIRED_CODE = 40034026;

/**
 * Codes with which the platform says a window is closed (§8.5, §13.2, §15.2): `msg_id` or
 * `event_id` invalid or expired, a guild message too old, the reply count used up. The server is
 * the authority: after one of these the window reports itself closed.
 */
export const WINDOW_CLOSED_CODES: ReadonlyMap<number, 'expired' | 'exhausted'> = new Map([
  [PlatformCode.MsgIdInvalid, 'expired'],
  [PlatformCode.ReplyExpired, 'expired'],
  [PlatformCode.GuildMessageTooOld, 'expired'],
  [PlatformCode.RepliesUsedUp, 'exhausted'],
  [EVENT_ID_INVALID_CODE, 'expired'],
  [EVENT_ID_EXPIRED_CODE, 'expired'],
]);

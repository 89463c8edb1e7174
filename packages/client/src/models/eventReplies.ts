/*
 * Answering events by `event_id` (docs/protocol.md §13): which events the platform lets a bot
 * answer, in which scene, and for how long. Shared by Interaction and the event models.
 */
import type { DispatchEventName } from '@bot/core';
import {
  MessageParams,
  type GuildMessageBody,
  type Message as WireMessage,
  type OpenMessageResult,
  type PendingAudit,
} from '@bot/http';
import { EventReplyError } from '../errors/EventReplyError.js';
import type { GuildReplyInput } from './Message.js';
import type { ModelBinding } from './ModelBinding.js';
import { sendOpenReply, type OpenReplyInput } from './OpenChatMessage.js';

/** Where an event answer goes: a group, a C2C chat or a guild text channel. */
export type EventReplyScene = 'group' | 'c2c' | 'guild';

/**
 * The events the platform accepts an `event_id` answer to, by scene of the answer.
 * `INTERACTION_CREATE` is answered in the scene it happened in.
 */
export const ANSWERABLE_EVENTS: Readonly<Partial<Record<DispatchEventName, EventReplyScene | 'any'>>> = {
  INTERACTION_CREATE: 'any',
  GROUP_ADD_ROBOT: 'group',
  GROUP_MSG_RECEIVE: 'group',
  FRIEND_ADD: 'c2c',
  C2C_MSG_RECEIVE: 'c2c',
  GUILD_MEMBER_ADD: 'guild',
  GUILD_MEMBER_UPDATE: 'guild',
  GUILD_MEMBER_REMOVE: 'guild',
  MESSAGE_REACTION_ADD: 'guild',
  MESSAGE_REACTION_REMOVE: 'guild',
  FORUM_THREAD_CREATE: 'guild',
  FORUM_THREAD_UPDATE: 'guild',
  FORUM_THREAD_DELETE: 'guild',
  FORUM_POST_CREATE: 'guild',
  FORUM_POST_DELETE: 'guild',
  FORUM_REPLY_CREATE: 'guild',
  FORUM_REPLY_DELETE: 'guild',
};

/** How long after an event an answer is accepted, per scene: C2C 60 min, groups and guilds 5 min. */
export const EVENT_REPLY_WINDOW_MS: Readonly<Record<EventReplyScene, number>> = {
  c2c: 60 * 60_000,
  group: 5 * 60_000,
  guild: 5 * 60_000,
};

/** Options of an event answer. */
export interface EventReplyOptions {
  /**
   * `'ignore'` sends even when the reply window has passed by the local clock, leaving the
   * decision to the platform (which stays the authority); `'enforce'` by default.
   */
  replyWindow?: 'enforce' | 'ignore';
}

/** What a model needs to say about the event it answers. */
export interface AnsweredEvent {
  /** The dispatch event name. */
  readonly event: DispatchEventName;
  /** The id to quote as `event_id`. */
  readonly eventId: string | undefined;
  /** When the client received the event, in epoch milliseconds. */
  readonly receivedAt: number;
}

/**
 * Checks an answer against the rules above and returns the id to quote.
 *
 * @param answered - the event and when it was received
 * @param scene - where the answer goes
 * @param options - `replyWindow: 'ignore'` skips the window check
 * @throws {@link EventReplyError} `notAnswerable`, `missingEventId` or `windowClosed`
 */
export function checkEventReply(
  answered: AnsweredEvent,
  scene: EventReplyScene,
  options: EventReplyOptions = {},
): string {
  const allowed = ANSWERABLE_EVENTS[answered.event];
  if (allowed === undefined || (allowed !== 'any' && allowed !== scene)) {
    throw new EventReplyError(
      'notAnswerable',
      answered.event,
      `the platform accepts no event_id answer to it in a ${scene} scene; only ` +
        Object.keys(ANSWERABLE_EVENTS).join(', ') +
        ' can be answered',
    );
  }
  const eventId = answered.eventId;
  if (eventId === undefined || eventId === '') {
    throw new EventReplyError(
      'missingEventId',
      answered.event,
      'the event arrived without an id to quote as event_id',
    );
  }
  const windowMs = EVENT_REPLY_WINDOW_MS[scene];
  const elapsed = Date.now() - answered.receivedAt;
  if (options.replyWindow !== 'ignore' && elapsed > windowMs) {
    throw new EventReplyError(
      'windowClosed',
      answered.event,
      `its ${scene} reply window of ${windowMs / 60_000} min closed ${Math.round((elapsed - windowMs) / 1000)} s ago; ` +
        'answer sooner, or pass { replyWindow: "ignore" } to let the platform decide',
      { receivedAt: answered.receivedAt, windowMs },
    );
  }
  return eventId;
}

/**
 * Answers an event in a group or C2C chat: `event_id` and a fresh `msg_seq` are filled in.
 *
 * @param binding - API and reply numbering
 * @param answered - the event answered
 * @param scene - `group` or `c2c`
 * @param target - group openid or user openid
 * @param input - what to send
 * @param options - window check
 */
export async function answerInOpenChat(
  binding: ModelBinding,
  answered: AnsweredEvent,
  scene: 'group' | 'c2c',
  target: string,
  input: OpenReplyInput,
  options?: EventReplyOptions,
): Promise<OpenMessageResult | PendingAudit> {
  const eventId = checkEventReply(answered, scene, options);
  const api = scene === 'group' ? binding.api.groups : binding.api.c2c;
  return sendOpenReply(binding, eventId, 'event_id', input, (params) => api.send(target, params));
}

/**
 * Answers an event in a guild text channel, quoting its id as `event_id`.
 *
 * @param binding - the API
 * @param answered - the event answered
 * @param channelId - the text channel the answer goes to
 * @param input - text, a `MessageParams` builder, or a wire body
 * @param options - window check
 */
export async function answerInChannel(
  binding: ModelBinding,
  answered: AnsweredEvent,
  channelId: string,
  input: GuildReplyInput,
  options?: EventReplyOptions,
): Promise<WireMessage | PendingAudit> {
  const eventId = checkEventReply(answered, 'guild', options);
  const params =
    typeof input === 'string'
      ? MessageParams.text(input)
      : input instanceof MessageParams
        ? input
        : MessageParams.from(input as GuildMessageBody);
  return binding.api.messages.send(channelId, params.withEventId(eventId));
}

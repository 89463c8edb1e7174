/*
 * Answering events by `event_id` (docs/protocol.md §13): which events the platform lets a bot
 * answer, in which scene. The window and count of answers are those of a message of the same
 * scene (§8.2), kept by a ReplyWindow per event like a message's.
 */
import type { DispatchEventName } from '@bot/core';
import {
  MessageParams,
  type CallSite,
  type GuildMessageBody,
  type MediaSource,
  type Message as WireMessage,
  type OpenMessageResult,
  type PendingAudit,
} from '@bot/http';
import { EventReplyError } from '../errors/EventReplyError.js';
import type { GuildReplyInput } from './Message.js';
import type { ModelBinding } from './ModelBinding.js';
import {
  mediaReply,
  sendOpenReply,
  sendOptionsOf,
  uploadOptionsOf,
  uploadThenReply,
  type OpenReplyInput,
  type ReplyMediaOptions,
} from './OpenChatMessage.js';
import { replyPolicyOf, type ReplyOptions } from './reply/replyRules.js';
import { ReplyWindow, type ArrivalStamps } from './reply/ReplyWindow.js';

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

/** What a model says about the event it answers. */
export interface AnsweredEvent {
  /** The dispatch event name. */
  readonly event: DispatchEventName;
  /** The id to quote as `event_id`. */
  readonly eventId: string | undefined;
  /** The event's answer window, `undefined` when it cannot be answered. */
  readonly replyWindow: ReplyWindow | undefined;
}

/**
 * The answer window of an event opened at `openedAt`, or `undefined` for an event the platform
 * accepts no answer to.
 *
 * @param event - the dispatch event name
 * @param scene - where answers go
 * @param eventId - the event's id
 * @param openedAt - when its window opened, in epoch ms (`replyWindowOpenedAt`)
 * @param arrival - when the client received it, on the wall and the steady clock
 */
export function eventReplyWindow(
  event: DispatchEventName,
  scene: EventReplyScene | undefined,
  eventId: string | undefined,
  openedAt: number,
  arrival: ArrivalStamps,
): ReplyWindow | undefined {
  const allowed = ANSWERABLE_EVENTS[event];
  if (scene === undefined || allowed === undefined || (allowed !== 'any' && allowed !== scene))
    return undefined;
  return new ReplyWindow(scene, eventId ?? '', openedAt, arrival);
}

/**
 * The window and id an answer to `answered` in `scene` goes by: refuses an event that cannot be
 * answered there or has no id.
 */
function answerable(
  answered: AnsweredEvent,
  scene: EventReplyScene,
): { window: ReplyWindow; eventId: string } {
  const window = answered.replyWindow;
  if (window === undefined || window.scene !== scene) {
    throw new EventReplyError(
      'notAnswerable',
      answered.event,
      `the platform accepts no event_id answer to it in a ${scene} scene; only ` +
        `${Object.keys(ANSWERABLE_EVENTS).join(', ')} can be answered (docs/protocol.md §13)`,
    );
  }
  const eventId = answered.eventId;
  if (eventId === undefined || eventId === '')
    throw new EventReplyError(
      'missingEventId',
      answered.event,
      'it arrived without an id to quote as event_id',
    );
  return { window, eventId };
}

/**
 * Sends one answer: refuses an event that cannot be answered or has no id, then runs the send in
 * the event's window (refused with a `ReplyWindowClosedError` once closed, unless ignored).
 */
async function answer<T>(
  binding: ModelBinding,
  answered: AnsweredEvent,
  scene: EventReplyScene,
  options: ReplyOptions | undefined,
  send: (eventId: string) => Promise<T>,
): Promise<T> {
  const { window, eventId } = answerable(answered, scene);
  return window.run(replyPolicyOf(options, binding.replyWindow), () => send(eventId));
}

/**
 * Answers an event in a group or C2C chat: `event_id` and a fresh `msg_seq` are filled in.
 *
 * @param binding - API and reply numbering
 * @param answered - the event answered
 * @param scene - `group` or `c2c`
 * @param target - group openid or user openid
 * @param input - what to send
 * @param options - window policy
 * @throws {@link EventReplyError} for an event that cannot be answered or has no id
 * @throws `ReplyWindowClosedError` once the event's window is closed (unless ignored)
 */
export function answerInOpenChat(
  binding: ModelBinding,
  answered: AnsweredEvent,
  scene: 'group' | 'c2c',
  target: string,
  input: OpenReplyInput,
  options?: ReplyOptions,
): Promise<OpenMessageResult | PendingAudit> {
  const api = scene === 'group' ? binding.api.groups : binding.api.c2c;
  return answer(binding, answered, scene, options, (eventId) =>
    sendOpenReply(binding, scene, eventId, 'event_id', input, (params) => api.send(target, params)),
  );
}

/**
 * Answers an event in a group or C2C chat with media: uploads it to that chat, then sends it as
 * {@link answerInOpenChat} does. Refusals come before the upload; a failed upload takes no
 * `msg_seq`.
 *
 * @param binding - API and reply numbering
 * @param answered - the event answered
 * @param scene - `group` or `c2c`
 * @param target - group openid or user openid
 * @param source - what to upload
 * @param options - the upload's settings, the text sent with it, window policy
 * @param site - the public method's call site, for the failures of both steps
 * @throws {@link EventReplyError} for an event that cannot be answered or has no id
 * @throws `ReplyWindowClosedError` once the event's window is closed (unless ignored)
 */
export async function answerWithMediaInOpenChat(
  binding: ModelBinding,
  answered: AnsweredEvent,
  scene: 'group' | 'c2c',
  target: string,
  source: MediaSource,
  options: ReplyMediaOptions,
  site: CallSite,
): Promise<OpenMessageResult | PendingAudit> {
  const { window, eventId } = answerable(answered, scene);
  const api = scene === 'group' ? binding.api.groups : binding.api.c2c;
  return uploadThenReply(
    site,
    window,
    replyPolicyOf(options, binding.replyWindow),
    () => api.uploadMedia(target, source, uploadOptionsOf(options)),
    (media) =>
      sendOpenReply(binding, scene, eventId, 'event_id', mediaReply(media, options), (params) =>
        api.send(target, params, sendOptionsOf(options)),
      ),
    (fileInfo) => api.forgetMedia(fileInfo),
  );
}

/**
 * Answers an event in a guild text channel, quoting its id as `event_id`.
 *
 * @param binding - the API
 * @param answered - the event answered
 * @param channelId - the text channel the answer goes to
 * @param input - text, a `MessageParams` builder, or a wire body
 * @param options - window policy
 * @throws {@link EventReplyError} for an event that cannot be answered or has no id
 * @throws `ReplyWindowClosedError` once the event's window is closed (unless ignored)
 */
export async function answerInChannel(
  binding: ModelBinding,
  answered: AnsweredEvent,
  channelId: string,
  input: GuildReplyInput,
  options?: ReplyOptions,
): Promise<WireMessage | PendingAudit> {
  const params =
    typeof input === 'string'
      ? MessageParams.text(input)
      : input instanceof MessageParams
        ? input
        : MessageParams.from(input as GuildMessageBody);
  return answer(binding, answered, 'guild', options, (eventId) =>
    binding.api.messages.send(channelId, params.withEventId(eventId)),
  );
}

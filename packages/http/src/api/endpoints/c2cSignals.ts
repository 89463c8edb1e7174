import {
  type OpenMessageBody,
  type OpenMessageResult,
  requireId,
  requireInteger,
  requireObject,
  ValidationError,
} from '@bot/core';
import { prepareOpenMessage, type OpenMessageInput } from '../../messages/prepare.js';
import { INPUT_NOTIFY_MSG_TYPE } from '../../messages/validateMessage.js';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

export { INPUT_NOTIFY_MSG_TYPE };

/**
 * `input_type` "typing…", the only one the official SDK sends. The commented-out row of the docs
 * lists 2 to 5 as well (cancel, speaking, generating, imagining); they are unverified and not sent.
 */
export const INPUT_TYPE_TYPING = 1;

/**
 * Longest typing notice, in seconds: "1-60" in the commented-out `input_notify` row of the docs'
 * send page, and the official SDK's own default. The emulator refuses more.
 */
export const MAX_TYPING_SECONDS = 60;

/** Seconds a typing notice lasts when the caller names none (the official SDK's facade default). */
export const DEFAULT_TYPING_SECONDS = 30;

/**
 * Body of a C2C typing notice (`POST /v2/users/{openid}/messages` with `msg_type` 6), as the
 * official TypeScript SDK sends it (docs/protocol.md §8.4).
 */
export interface InputNotifyBody {
  /** Always 6: a typing notice, not a message. */
  msg_type: typeof INPUT_NOTIFY_MSG_TYPE;
  /** "typing…" (`input_type` 1) for `input_second` seconds, 1 to {@link MAX_TYPING_SECONDS}. */
  input_notify: { input_type: typeof INPUT_TYPE_TYPING; input_second: number };
  /** The inbound message the bot is about to answer. */
  msg_id: string;
  /** A `msg_seq` of that message no reply uses (the official SDK takes the next reply number). */
  msg_seq: number;
}

/** A typing notice as the caller gives it: the message being answered and a free `msg_seq` of it. */
export interface C2cTyping {
  /** Id of the inbound C2C message the bot is about to answer. */
  msgId: string;
  /** A `msg_seq` of `msgId` no other send uses; `message.typing()` of `@bot/client` takes the next one. */
  msgSeq: number;
  /** How long the indicator shows, 1 to {@link MAX_TYPING_SECONDS}; {@link DEFAULT_TYPING_SECONDS} by default. */
  seconds?: number;
}

/** The answer to a typing notice; the official SDK reads `ext_info.ref_idx` and nothing else. */
export interface InputNotifyResult {
  /** `ref_idx`: an index the platform gives the notice; what it is for is not documented. */
  ext_info?: { ref_idx?: string };
}

/** A C2C message sent with `is_wakeup: true` and no reply anchor. */
export type WakeupMessageBody = OpenMessageBody & { is_wakeup: true };

/** The C2C sends that are not ordinary replies: typing notices and wakeup messages. */
export const c2cSignalEndpoints = {
  typing: endpoint('POST', Routes.userMessages, {
    fields: { openid: 'openid' },
    request: typingBody,
  }).returns<InputNotifyResult>(),
  wakeup: endpoint('POST', Routes.userMessages, {
    fields: { openid: 'openid' },
    request: wakeupBody,
    auditable: true,
    messageField: 'params',
  }).returns<OpenMessageResult>(),
};

function typingBody(typing: C2cTyping): RequestParts {
  return { body: inputNotifyBody(typing, 'typing') };
}

function wakeupBody(message: OpenMessageInput): RequestParts {
  return { body: wakeupMessageBody(message, 'params') };
}

/**
 * Builds and checks a typing notice: a message id, a positive `msg_seq`, and whole seconds from
 * 1 to {@link MAX_TYPING_SECONDS}.
 *
 * @param typing - the message answered, its free `msg_seq`, the seconds
 * @param field - the caller's name for it, used in errors
 * @throws `ValidationError` naming the first wrong field
 */
export function inputNotifyBody(typing: C2cTyping, field: string): InputNotifyBody {
  requireObject(typing, field);
  const msgId = requireId(typing.msgId, `${field}.msgId`);
  const msgSeq = requireInteger(typing.msgSeq, `${field}.msgSeq`, 1, Number.MAX_SAFE_INTEGER);
  const seconds = requireInteger(
    typing.seconds ?? DEFAULT_TYPING_SECONDS,
    `${field}.seconds`,
    1,
    MAX_TYPING_SECONDS,
  );
  return {
    msg_type: INPUT_NOTIFY_MSG_TYPE,
    input_notify: { input_type: INPUT_TYPE_TYPING, input_second: seconds },
    msg_id: msgId,
    msg_seq: msgSeq,
  };
}

/**
 * Builds and checks a wakeup message: an ordinary group/C2C message without `msg_id`, `event_id`
 * or `msg_seq`, sent with `is_wakeup: true`.
 *
 * @param message - builder or plain body
 * @param field - the caller's name for it, used in errors
 * @throws `ValidationError` when the message is malformed or names a reply anchor
 */
export function wakeupMessageBody(message: OpenMessageInput, field: string): WakeupMessageBody {
  const body = prepareOpenMessage(message, field);
  for (const name of ['msg_id', 'event_id', 'msg_seq'] as const) {
    if (body[name] !== undefined)
      throw new ValidationError(
        `${field}.${name}`,
        'must not be set: a wakeup message replies to nothing; to reply, use api.c2c.send',
      );
  }
  return { ...body, is_wakeup: true };
}

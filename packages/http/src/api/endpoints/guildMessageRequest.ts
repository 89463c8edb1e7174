import { optionalBoolean, type RecallQuery, requireObject } from '@bot/core';
import { prepareGuildMessage, type GuildMessageInput } from '../../messages/prepare.js';
import type { RequestParts } from '../endpoint.js';

/**
 * The request fields that carry a guild channel or DM message: a JSON body, or a multipart body
 * with a `file_image` part when the message uploads a local image. Shared by channel messages,
 * DMs and message edits so the three send identical wire forms.
 *
 * @param params - builder or plain body (`params` in errors)
 * @throws {@link ValidationError} when the message cannot be sent as is
 */
export function guildMessageRequest(params: GuildMessageInput): RequestParts {
  const { body, fileImage } = prepareGuildMessage(params, 'params');
  return fileImage === undefined ? { body } : { body, files: { file_image: fileImage } };
}

/**
 * The query of a recall: `hidetip` only when the caller chose.
 *
 * @param query - the caller's recall options
 * @throws {@link ValidationError} when `hidetip` is not a boolean
 */
export function recallQuery(query: RecallQuery | undefined): RequestParts {
  if (query === undefined) return {};
  requireObject(query, 'query');
  const hidetip = optionalBoolean(query.hidetip, 'query.hidetip');
  return hidetip === undefined ? {} : { query: { hidetip } };
}

import type { MessageReference } from '@bot/core';

/**
 * The `message_reference` of a quote, shared by both message builders. The flag is sent only when
 * the caller chose, so the platform's default applies otherwise.
 *
 * @param messageId - the message to quote
 * @param ignoreGetMessageError - send even when the quoted message cannot be fetched
 */
export function messageReference(messageId: string, ignoreGetMessageError?: boolean): MessageReference {
  return ignoreGetMessageError === undefined
    ? { message_id: messageId }
    : { message_id: messageId, ignore_get_message_error: ignoreGetMessageError };
}

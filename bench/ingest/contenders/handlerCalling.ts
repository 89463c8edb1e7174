import type { EventHandler, HandlerResult } from '@bot/client';

/**
 * A handler whose method for every event of the ingest mix is `method` (and `ready` for READY,
 * when given): the client contenders' handler, and the client stages'.
 *
 * @param method - called for each event
 * @param ready - called for READY
 */
export function handlerCalling(method: () => HandlerResult, ready?: () => void): EventHandler {
  return {
    ...(ready !== undefined && { ready }),
    messageCreate: method,
    groupMessageCreate: method,
    c2cMessageCreate: method,
    guildMemberAdd: method,
    guildMemberRemove: method,
    interactionCreate: method,
  };
}

import { createLogger, type GatewayPayload } from '@bot/core';
import type { Context, EventHandler } from '@bot/client';
import { Dispatcher } from '../../src/dispatch/Dispatcher.js';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import type { ModelBinding } from '../../src/models/ModelBinding.js';

/** A member event: its model needs no API, so the dispatcher runs without a client. */
export function memberAdd(id: string): GatewayPayload {
  return {
    op: 0,
    t: 'GUILD_MEMBER_ADD',
    id,
    d: { guild_id: 'G1', user: { id: `U-${id}`, username: id }, nick: '', roles: [], joined_at: '' },
  };
}

/** A dispatcher running events one at a time, with `handler` as its only typed handler. */
export function sequentialDispatcher(handler: EventHandler): Dispatcher {
  return new Dispatcher({
    handlers: [handler],
    rawHandlers: [],
    policy: { mode: 'sequential' },
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: () => ({}) as Context,
    log: createLogger('test', 7),
  });
}

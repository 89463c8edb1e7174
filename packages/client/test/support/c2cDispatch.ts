import type { DispatchPayload } from '@bot/gateway';

/**
 * A C2C message dispatch (`C2C_MESSAGE_CREATE`) with event id `id` and message id `msg-<id>`, from
 * user `U1`, as a source other than a shard (a broker, a list in a test) hands it to a client.
 */
export function c2cDispatch(id: string, content = id): DispatchPayload {
  return {
    op: 0,
    s: 1,
    t: 'C2C_MESSAGE_CREATE',
    id,
    d: { id: `msg-${id}`, content, timestamp: '2026-01-01T00:00:00+08:00', author: { user_openid: 'U1' } },
  };
}

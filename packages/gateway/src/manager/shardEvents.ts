import { GatewayError } from '../errors/GatewayError.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import { isThenable } from '../shard/listenerRejections.js';
import type { ShardHandle } from './ShardHandle.js';
import type { ShardManager } from './ShardManager.js';

/**
 * Shard `id`'s one path for its dispatches: straight to `onDispatch`, then to the manager's
 * `dispatch` listeners, emitted to only while there are any (a frame costs no emitter otherwise).
 * Nothing is delivered once `delivers(id)` is false: another process took the shard over and
 * answers its events. Each of the two is isolated: one that throws is reported to `report`, named,
 * and the other still gets the event; the shard never sees the throw. A promise `onDispatch`
 * returns that rejects is reported the same way (the manager's listeners' are, by the manager).
 */
export function dispatchSinkOf(
  manager: ShardManager,
  id: number,
  onDispatch: ((payload: DispatchPayload, shardId: number) => void) | undefined,
  delivers: (id: number) => boolean,
  report: (error: Error, id: number) => void,
): (payload: DispatchPayload) => void {
  return (payload) => {
    if (!delivers(id)) return;
    if (onDispatch !== undefined) {
      try {
        const result: unknown = onDispatch(payload, id);
        if (isThenable(result))
          result.then(undefined, (cause) =>
            report(new GatewayError('onDispatch rejected', id, { cause }), id),
          );
      } catch (error) {
        report(new GatewayError('onDispatch threw', id, { cause: error }), id);
      }
    }
    if (manager.listenerCount('dispatch') === 0) return;
    try {
      manager.emit('dispatch', payload, id);
    } catch (error) {
      report(new GatewayError(`a 'dispatch' listener of the manager threw`, id, { cause: error }), id);
    }
  };
}

/**
 * Forwards every event of shard `id` but its dispatches to the manager, with the id as the last
 * argument; errors go through `forwardError`, and a `fatal` state is reported to `onFatal` too.
 */
export function forwardShardEvents(
  manager: ShardManager,
  shard: ShardHandle,
  id: number,
  forwardError: (error: Error, id: number) => void,
  onFatal: (shard: ShardHandle, id: number) => void,
): void {
  shard.on('heartbeat', (latency) => manager.emit('heartbeat', latency, id));
  shard.on('close', (event) => manager.emit('close', event, id));
  shard.on('debug', (message) => manager.emit('debug', message, id));
  shard.on('error', (error) => forwardError(error, id));
  shard.on('state', (state, previous) => {
    manager.emit('state', state, previous, id);
    if (state === 'fatal') onFatal(shard, id);
  });
}

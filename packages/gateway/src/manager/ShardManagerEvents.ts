import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { ShardCloseEvent, ShardState } from '../shard/ShardState.js';

/**
 * Every shard event, forwarded with the shard's id as the last argument. A listener that throws,
 * or returns a promise that rejects (an `async` one), is reported on `error` as a `GatewayError`
 * naming the event and the shard, with what it threw as `cause`; nothing waits for its promise.
 */
export type ShardManagerEvents = {
  dispatch: (payload: DispatchPayload, shardId: number) => void;
  state: (state: ShardState, previous: ShardState, shardId: number) => void;
  heartbeat: (latency: number, shardId: number) => void;
  close: (event: ShardCloseEvent, shardId: number) => void;
  debug: (message: string, shardId: number) => void;
  /**
   * Each shard's failures. One that stops several shards at once (their worker thread's
   * `WorkerRestartsExhaustedError` or `ThreadHandlerError`, whose `shardIds` names them) comes
   * once, with the id of the first shard that reported it.
   */
  error: (error: Error, shardId: number) => void;
  /**
   * Every shard a `start*` call launched has been ready (a READY or RESUMED): once per call, after
   * the last of them, with their ids and the call (`startShards(3)`). A shard that reconnects later
   * does not announce the call again; its `state` events tell. A call whose promise has settled
   * first (a shard of it failed for good, or its shards were shut down) is never announced.
   */
  ready: (shardIds: readonly number[], call: string) => void;
};

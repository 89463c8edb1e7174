import { GatewayError } from './GatewayError.js';

/**
 * A `start*` call was cancelled by `shutdown`, `shutdownAll` or `handoff` while it was still
 * checking what to start (asking `/gateway/bot`, reading the session store): none of its shards
 * was created. Nothing is wrong; call it again to start them.
 */
export class ShutDownBeforeStartError extends GatewayError {
  /**
   * @param call - the `start*` call as written, e.g. `startShards(4)`
   * @param ids - the shards it would have started; empty when it had not learnt them yet
   */
  public constructor(
    public readonly call: string,
    public readonly ids: readonly number[],
  ) {
    super(
      `${call} was shut down before it started ${ids.length === 0 ? 'any shard' : `shards ${ids.join(', ')}`}; ` +
        'none of them was created: call it again to start them',
      undefined,
    );
  }
}

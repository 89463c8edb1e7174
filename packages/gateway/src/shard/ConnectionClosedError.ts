import { GatewayError } from '../errors/GatewayError.js';

/**
 * A frame given to the connection was not sent: the connection ended (or was closing) while the
 * frame still waited for the outbound budget or the socket. Nothing reached the gateway, so
 * nothing is lost by sending it again once the shard is `ready` on its next connection.
 * `Shard.send()` reports it as the `cause` of its own {@link GatewayError}.
 */
export class ConnectionClosedError extends GatewayError {
  /**
   * @param detail - how the connection ended, e.g. `closed with 4009` or `socket closing`
   * @param shardId - the shard whose connection it was, when known
   */
  public constructor(
    public readonly detail: string,
    shardId?: number,
  ) {
    super(
      `gateway connection closed before the frame was sent (${detail}); ` +
        'it was not sent: send it again once the shard is ready',
      shardId,
    );
  }
}

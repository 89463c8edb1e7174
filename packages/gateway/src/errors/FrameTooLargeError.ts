import { GatewayError } from './GatewayError.js';

/**
 * The gateway sent a frame larger than the shard's `maxPayload` (4 MiB by default). The WebSocket
 * refuses such a frame unread and closes the connection (1009, message too big), so the event in
 * it is lost on that connection, and the platform sends it again when the session resumes.
 * `next` says what the shard does about it; raise `maxPayload` (an option of `Shard` and
 * `ShardManager`) if the platform sends events this large.
 */
export class FrameTooLargeError extends GatewayError {
  /**
   * @param maxPayload - the limit the frame exceeded, in bytes
   * @param shardId - the shard that received it
   * @param next - what the shard does next, in words ("resuming", …)
   */
  public constructor(
    public readonly maxPayload: number,
    shardId: number | undefined,
    next: string,
  ) {
    super(
      `received a frame larger than maxPayload (${maxPayload} bytes); the connection was closed (1009) without reading it; ${next}. Raise the maxPayload option if the platform sends events this large`,
      shardId,
    );
  }
}

/** Raised for sends that were queued when the connection ended. */
export class ConnectionClosedError extends Error {
  /** @param detail - how the connection ended */
  public constructor(detail: string) {
    super(`gateway connection closed before the frame was sent (${detail})`);
    this.name = 'ConnectionClosedError';
  }
}

import WebSocket from 'ws';

/** A parsed server frame. */
export interface Frame {
  op: number;
  d?: unknown;
  s?: number;
  t?: string;
  id?: string;
}

/** How a connection ended. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * A bare WebSocket client for gateway tests: queues every frame so tests can await them in order.
 */
export class GatewayClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  #cursor = 0;
  #wake: (() => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.#wake?.();
      });
    });
    ws.on('error', () => undefined);
  }

  /** Opens a connection. */
  static async connect(url: string): Promise<GatewayClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const client = new GatewayClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** The next frame not yet taken that matches `predicate` (frames before it are skipped). */
  async next(predicate: (frame: Frame) => boolean = () => true, timeout = 5000): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      while (this.#cursor < this.frames.length) {
        const frame = this.frames[this.#cursor++];
        if (frame && predicate(frame)) return frame;
      }
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(
          `connection closed while waiting for a frame (got ${JSON.stringify(this.frames.slice(-3))})`,
        );
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next dispatch named `t`. */
  dispatch(t: string, timeout?: number): Promise<Frame> {
    return this.next((f) => f.op === 0 && f.t === t, timeout);
  }

  /** Sends a JSON frame. */
  send(payload: unknown): void {
    this.ws.send(JSON.stringify(payload));
  }

  /** Sends raw text (or bytes). */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Waits for Hello, identifies and returns READY's data. */
  async identify(
    token: string,
    intents: number,
    shard: [number, number] = [0, 1],
  ): Promise<{ session_id: string; shard: [number, number] }> {
    await this.next((f) => f.op === 10);
    this.send({ op: 2, d: { token: `QQBot ${token}`, intents, shard, properties: {} } });
    const ready = await this.dispatch('READY');
    return ready.d as { session_id: string; shard: [number, number] };
  }

  /** Closes the connection (if open) and waits for it to end. */
  async close(code = 1000): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    return this.closed;
  }
}

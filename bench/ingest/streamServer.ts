import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ClientFrameDecoder, encodeFrame, handshakeResponse, WsOpcode } from './webSocketWire.js';
import { ACCESS_TOKEN } from './contenders/wiring.js';

/**
 * A gateway that does nothing but stream: the few REST calls a client makes before connecting
 * (token, `/gateway/bot`), then per connection Hello → Identify → READY and the whole dispatch
 * stream as fast as the socket drains. The frames are encoded once, up front, and written in
 * large chunks, so the server costs little CPU and the contender is always the slower side.
 * Heartbeats are acknowledged in between. With several shards, `/gateway/bot` recommends them
 * with as many identify buckets, and each connection gets a READY for the shard it identified as
 * and the same whole stream.
 */

const GATEWAY_PATH = '/websocket';
const TOKEN_PATH = '/app/getAppAccessToken';
/** Frames are written in chunks of about this size: large enough that writes cost nothing. */
const CHUNK_BYTES = 256 * 1024;
const HEARTBEAT_INTERVAL_MS = 41_250;

function gatewayFrame(payload: unknown): Buffer {
  return encodeFrame(WsOpcode.text, Buffer.from(JSON.stringify(payload)));
}

/** Encodes serialised frames into WebSocket frames, batched into large chunks. */
function chunkStream(frames: readonly string[]): Buffer[] {
  const chunks: Buffer[] = [];
  let batch: Buffer[] = [];
  let size = 0;
  for (const text of frames) {
    const frame = encodeFrame(WsOpcode.text, Buffer.from(text));
    batch.push(frame);
    size += frame.length;
    if (size >= CHUNK_BYTES) {
      chunks.push(Buffer.concat(batch, size));
      batch = [];
      size = 0;
    }
  }
  if (size > 0) chunks.push(Buffer.concat(batch, size));
  return chunks;
}

/** Resolves when the socket can take more bytes, or when it is gone. */
function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** How a {@link StreamServer} is set up beyond its frames. */
export interface StreamServerOptions {
  /** The shard count `/gateway/bot` recommends, each streamed the same frames; 1 by default. */
  shards?: number;
}

/** A running stream server. */
export class StreamServer {
  readonly #server: Server;
  readonly #chunks: readonly Buffer[];
  readonly #shards: number;
  readonly #sockets = new Set<Socket>();
  /** REST base URL (serves `/gateway/bot` and `/gateway`). */
  public readonly restUrl: string;
  /** Token endpoint. */
  public readonly tokenUrl: string;
  /** Gateway URL, as `/gateway/bot` reports it. */
  public readonly gatewayUrl: string;

  private constructor(server: Server, chunks: readonly Buffer[], shards: number) {
    this.#server = server;
    this.#chunks = chunks;
    this.#shards = shards;
    const { port } = server.address() as AddressInfo;
    this.restUrl = `http://127.0.0.1:${port}`;
    this.tokenUrl = `${this.restUrl}${TOKEN_PATH}`;
    this.gatewayUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;
  }

  /**
   * Encodes the stream and listens on a free port of 127.0.0.1.
   *
   * @param frames - serialised dispatch frames, numbered from 2 (READY is 1), streamed to every shard
   * @param options - the shard count
   */
  public static async start(
    frames: readonly string[],
    options: StreamServerOptions = {},
  ): Promise<StreamServer> {
    const server = createServer();
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const stream = new StreamServer(server, chunkStream(frames), options.shards ?? 1);
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      stream.#rest(request, response),
    );
    server.on('upgrade', (request: IncomingMessage, socket: Socket) => stream.#upgrade(request, socket));
    return stream;
  }

  /** Stops listening and cuts every open connection. */
  public async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #rest(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    const path = new URL(request.url ?? '/', this.restUrl).pathname;
    if (request.method === 'POST' && path === TOKEN_PATH) {
      json(response, 200, { access_token: ACCESS_TOKEN, expires_in: '7200' });
    } else if (request.method === 'GET' && path === '/gateway/bot') {
      const limit = { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: this.#shards };
      json(response, 200, { url: this.gatewayUrl, shards: this.#shards, session_start_limit: limit });
    } else if (request.method === 'GET' && path === '/gateway') {
      json(response, 200, { url: this.gatewayUrl });
    } else {
      json(response, 404, {
        code: 404,
        message: `the stream server does not serve ${request.method} ${path}`,
      });
    }
  }

  #upgrade(request: IncomingMessage, socket: Socket): void {
    const key = request.headers['sec-websocket-key'];
    if (new URL(request.url ?? '/', this.restUrl).pathname !== GATEWAY_PATH || typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    socket.write(handshakeResponse(key));
    socket.write(gatewayFrame({ op: 10, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS } }));
    const decoder = new ClientFrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) this.#onFrame(socket, frame.opcode, frame.payload);
      } catch {
        socket.destroy();
      }
    });
  }

  #onFrame(socket: Socket, opcode: number, payload: Buffer): void {
    if (opcode === WsOpcode.close) {
      socket.end(encodeFrame(WsOpcode.close, payload.subarray(0, 2)));
      return;
    }
    if (opcode === WsOpcode.ping) {
      socket.write(encodeFrame(WsOpcode.pong, payload));
      return;
    }
    if (opcode !== WsOpcode.text) return;
    const { op, d } = JSON.parse(payload.toString('utf8')) as { op?: unknown; d?: { shard?: unknown } };
    if (op === 1) {
      socket.write(gatewayFrame({ op: 11 }));
    } else if (op === 2) {
      const shard = Array.isArray(d?.shard) ? d.shard : [0, 1];
      const user = { id: '1056964610097152001', username: 'bench-bot', bot: true };
      socket.write(
        gatewayFrame({
          op: 0,
          s: 1,
          t: 'READY',
          d: { version: 1, session_id: `bench-${String(shard[0])}`, user, shard },
        }),
      );
      void this.#stream(socket);
    } else if (op === 6) {
      // A contender that lost its connection mid-stream would resume: refuse, the round is void.
      socket.write(gatewayFrame({ op: 9, d: false }));
    }
  }

  async #stream(socket: Socket): Promise<void> {
    for (const chunk of this.#chunks) {
      if (socket.destroyed) return;
      if (!socket.write(chunk)) await drainedOrClosed(socket);
    }
  }
}

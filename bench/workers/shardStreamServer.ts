import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ClientFrameDecoder, encodeFrame, handshakeResponse, WsOpcode } from '../ingest/webSocketWire.js';

/**
 * The ingest stream server for several shards: `/gateway/bot` recommends `shards` with as many
 * identify buckets, and each connection that identifies as shard `[id, total]` gets a READY for
 * that shard, then the whole dispatch stream as fast as its socket drains. The frames are encoded
 * once and written in large chunks, so the server costs little CPU next to the bot.
 */

const GATEWAY_PATH = '/websocket';
const TOKEN_PATH = '/app/getAppAccessToken';
const CHUNK_BYTES = 256 * 1024;
const HEARTBEAT_INTERVAL_MS = 41_250;

function gatewayFrame(payload: unknown): Buffer {
  return encodeFrame(WsOpcode.text, Buffer.from(JSON.stringify(payload)));
}

function chunked(frames: readonly string[]): Buffer[] {
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

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** A gateway that streams the same dispatches to each of `shards` shards. */
export class ShardStreamServer {
  public readonly restUrl: string;
  public readonly tokenUrl: string;
  public readonly gatewayUrl: string;
  readonly #server: Server;
  readonly #chunks: Buffer[];
  readonly #shards: number;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server, chunks: Buffer[], shards: number) {
    const { port } = server.address() as AddressInfo;
    this.#server = server;
    this.#chunks = chunks;
    this.#shards = shards;
    this.restUrl = `http://127.0.0.1:${port}`;
    this.tokenUrl = `${this.restUrl}${TOKEN_PATH}`;
    this.gatewayUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;
  }

  /**
   * Listens on 127.0.0.1, port 0.
   *
   * @param frames - serialised dispatch frames, numbered from 2 (READY is 1), streamed to every shard
   * @param shards - the shard count `/gateway/bot` recommends
   */
  public static async start(frames: readonly string[], shards: number): Promise<ShardStreamServer> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const stream = new ShardStreamServer(server, chunked(frames), shards);
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
      json(response, 200, { access_token: 'bench-access-token', expires_in: '7200' });
    } else if (request.method === 'GET' && path === '/gateway/bot') {
      const limit = { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: this.#shards };
      json(response, 200, { url: this.gatewayUrl, shards: this.#shards, session_start_limit: limit });
    } else {
      json(response, 404, { code: 404, message: `not served: ${request.method} ${path}` });
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
      socket.write(gatewayFrame({ op: 9, d: false }));
    }
  }

  async #stream(socket: Socket): Promise<void> {
    for (const chunk of this.#chunks) {
      if (socket.destroyed) return;
      if (!socket.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        });
      }
    }
  }
}

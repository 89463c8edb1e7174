import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { type EventRouting, type PublishedEvent, sessionReceives } from '../dispatch/routing.js';
import type { GatewayContext } from './GatewayContext.js';
import { BotConnection } from './BotConnection.js';

/** The path the gateway URL points at, as on the platform (`wss://api.sgroup.qq.com/websocket`). */
export const GATEWAY_PATH = '/websocket';

/** Transport-level cap: frames beyond it are cut by `ws` itself (close 1009); smaller oversized frames get 4002. */
const TRANSPORT_MAX_PAYLOAD = 1024 * 1024;

/**
 * The emulated gateway: accepts WebSocket upgrades on {@link GATEWAY_PATH}, runs one
 * {@link BotConnection} per socket and fans published events out to the sessions.
 */
export class GatewayServer {
  readonly #wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: TRANSPORT_MAX_PAYLOAD,
  });
  readonly #connections = new Set<BotConnection>();
  readonly #context: GatewayContext;
  #nextId = 1;

  /** @param context shared gateway state */
  constructor(context: GatewayContext) {
    this.#context = context;
  }

  /** Takes over an HTTP upgrade request; anything but the gateway path gets 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    if (path !== GATEWAY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new BotConnection(this.#nextId++, ws, this.#context);
      this.#connections.add(connection);
      ws.on('close', () => this.#connections.delete(connection));
      connection.start();
    });
  }

  /** Numbers and sends an event on every session that should receive it. */
  deliver(event: PublishedEvent, routing: EventRouting): void {
    for (const session of this.#context.sessions.all()) {
      if (sessionReceives(event, routing, session.shard, session.intents)) session.dispatch(event);
    }
  }

  /** Open connections carrying a session of `shardId` (any shard count). */
  connectionsOnShard(shardId: number): BotConnection[] {
    return [...this.#connections].filter((c) => c.open && c.session?.shard[0] === shardId);
  }

  /** Every open connection, identified or not. */
  openConnections(): BotConnection[] {
    return [...this.#connections].filter((c) => c.open);
  }

  /** Closes every connection and stops accepting new ones. */
  async close(): Promise<void> {
    for (const connection of this.#connections) connection.drop();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

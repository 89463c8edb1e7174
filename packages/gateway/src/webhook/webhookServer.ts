import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookLimits } from './WebhookLimits.js';

/** A running {@link WebhookReceiver.listen} server. */
export interface WebhookServer {
  /** The Node server. */
  server: Server;
  /** `http://host:port/path` it answers on. */
  url: string;
  /**
   * Stops accepting connections, closes idle ones, and resolves once requests in progress are
   * answered (a stalled one within `bodyTimeoutMs`).
   */
  close(): Promise<void>;
}

/** How often, at most, Node looks for connections past the head or request deadline, in ms. */
const DEADLINE_CHECK_MS = 1000;

/**
 * A Node HTTP server serving `handler` with the server-side limits applied: head timeout, request
 * deadline, idle timeout and connection cap.
 *
 * @param limits - the receiver's limits
 * @param handler - the receiver's request handler
 * @param onDrop - told of each connection closed beyond `maxConnections`
 */
export function createWebhookServer(
  limits: Readonly<WebhookLimits>,
  handler: RequestListener,
  onDrop: () => void,
): Server {
  const { headersTimeoutMs, bodyTimeoutMs, idleTimeoutMs, maxConnections } = limits;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      // A backstop only: the receiver's own body timer answers first.
      requestTimeout: headersTimeoutMs + bodyTimeoutMs,
      keepAliveTimeout: idleTimeoutMs,
      connectionsCheckingInterval: Math.min(headersTimeoutMs, DEADLINE_CHECK_MS),
    },
    handler,
  );
  server.maxConnections = maxConnections;
  server.on('drop', onDrop);
  return server;
}

/**
 * Listens with `server` and describes it once it listens.
 *
 * @param server - a server from {@link createWebhookServer}
 * @param options - port (0 for a free one) and host (all interfaces by default)
 * @param path - the path the receiver serves (`/` when it serves any)
 */
export function listenWebhookServer(
  server: Server,
  options: { port: number; host?: string },
  path: string,
): Promise<WebhookServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host ?? '127.0.0.1';
      resolve({
        server,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

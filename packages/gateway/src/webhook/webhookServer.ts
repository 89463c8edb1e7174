import {
  createServer,
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestListener,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_TIMER_DELAY, messageOf, requireInteger } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { WebhookLimits } from './WebhookLimits.js';

/** A running {@link WebhookReceiver.listen} server. */
export interface WebhookServer {
  /** The Node server. */
  server: Server;
  /**
   * `http://host:port/path` it answers on: the `host` given, or without one `0.0.0.0`, saying that
   * every interface of the machine listens (IPv6 ones too where Node bound `::`). On Linux and
   * macOS a client on this machine can usually post to it as it is; not on Windows, which refuses
   * to connect to `0.0.0.0` (post to `127.0.0.1`), nor where `::` takes IPv6 only (Linux with
   * `net.ipv6.bindv6only=1`: post to `[::1]`). It is where the server listens, not the callback URL
   * to set on the platform: that is the HTTPS URL of whatever sits in front.
   */
  url: string;
  /**
   * Stops accepting connections, closes idle ones, and resolves once requests in progress are
   * answered (a stalled one within `bodyTimeoutMs`). Every answer written from then on, to a
   * request read before or after, says `Connection: close` and its connection is ended after it,
   * so no kept-alive connection holds it open for `idleTimeoutMs`. Connections still open after
   * `headersTimeoutMs + bodyTimeoutMs + dispatchWaitMs` (a head that never completes: Node stops
   * timing heads once its server closes) are then destroyed, so the promise always settles; a
   * delivery waiting for its `dispatch` listeners is answered before that.
   */
  close(): Promise<void>;
}

/** What a server's URL names as its host when it listens on every interface. */
const ALL_INTERFACES = '0.0.0.0';

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
  const server: Server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      // A backstop only: the receiver's own body timer answers first.
      requestTimeout: headersTimeoutMs + bodyTimeoutMs,
      keepAliveTimeout: idleTimeoutMs,
      connectionsCheckingInterval: Math.min(headersTimeoutMs, DEADLINE_CHECK_MS),
      ServerResponse: closingResponses(() => !server.listening),
    },
    handler,
  );
  server.maxConnections = maxConnections;
  server.on('drop', onDrop);
  return server;
}

/**
 * Responses that say `Connection: close`, and end their connection once written, when `closing()`
 * holds as their head is written. Decided then, not when the request arrives: an answer to a
 * request read before close() began, written after, would keep its connection alive, holding
 * close() for `idleTimeoutMs`, and the client might send its next delivery on it. Closing such
 * connections while idle instead would reset a delivery already on its way.
 *
 * @param closing - whether the server has begun to close
 */
function closingResponses(closing: () => boolean): typeof ServerResponse<IncomingMessage> {
  return class ClosingResponse extends ServerResponse {
    public override writeHead(statusCode: number, ...rest: unknown[]): this {
      // Every answer comes here, `end()` without a head too (Node writes its implicit head so).
      if (!this.headersSent && closing()) this.setHeader('Connection', 'close');
      return super.writeHead(statusCode, ...(rest as [string | undefined, OutgoingHttpHeaders | undefined]));
    }
  };
}

/** What to do about a failed listen, by the system error's code. */
const LISTEN_REMEDIES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'another server listens there: stop it, or choose another port (0 picks a free one)',
  EACCES: 'this process may not use that port: choose one above 1023, or grant the privilege',
  EADDRNOTAVAIL: 'no interface of this machine has that address: check the host',
};

/**
 * Listens with `server` and describes it once it listens. From then on an error of the server (a
 * failed accept, `EMFILE`) goes to `report` instead of becoming an uncaught exception.
 *
 * @param server - a server from {@link createWebhookServer}
 * @param options - port (0 for a free one) and host (all interfaces by default)
 * @param path - the path the receiver serves (`/` when it serves any)
 * @param closeDeadlineMs - how long `close()` waits for connections before destroying them
 * @param report - receives each server error once it listens
 * @throws {@link GatewayError} (as a rejection) naming host and port, when it cannot listen; the
 *   system error is its `cause`
 * @throws `ValidationError` (as a rejection) for a port that is not an integer from 0 to 65535
 */
export function listenWebhookServer(
  server: Server,
  options: { port: number; host?: string },
  path: string,
  closeDeadlineMs: number,
  report: (error: GatewayError) => void,
): Promise<WebhookServer> {
  try {
    requireInteger(options.port, 'port', 0, 65_535);
  } catch (error) {
    return Promise.reject(error);
  }
  const where = `${options.host ?? 'all interfaces'}:${options.port}`;
  return new Promise((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException): void => {
      const remedy = LISTEN_REMEDIES[error.code ?? ''] ?? 'check the host and port';
      const message = `the webhook receiver could not listen on ${where}: ${messageOf(error)}; ${remedy}`;
      reject(new GatewayError(message, undefined, { cause: error }));
    };
    server.once('error', refused);
    server.listen(options.port, options.host, () => {
      server.off('error', refused);
      server.on('error', (error) => {
        report(
          new GatewayError(`the webhook server failed: ${messageOf(error)}`, undefined, { cause: error }),
        );
      });
      const { port } = server.address() as AddressInfo;
      // Without a host Node binds every interface ('::' or '0.0.0.0'): a loopback URL would hide
      // that the port is open to the network. '0.0.0.0' names that as clearly, and unlike '[::]' its
      // URL's hostname is one a client's `host` option takes as it is.
      const host = options.host ?? ALL_INTERFACES;
      let closed: Promise<void> | undefined;
      resolve({
        server,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
        close: () =>
          (closed ??= new Promise<void>((done) => {
            const deadline = setTimeout(
              () => server.closeAllConnections(),
              Math.min(closeDeadlineMs, MAX_TIMER_DELAY),
            );
            server.close(() => {
              clearTimeout(deadline);
              done();
            });
            server.closeIdleConnections();
          })),
      });
    });
  });
}

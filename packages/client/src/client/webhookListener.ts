import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookReceiver, WebhookServer } from '@bot/gateway';

/** Seconds a refused delivery is told to wait; the platform retries on its own schedule anyway. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Serves `receiver` on its own HTTP server, but answers 503 with `Retry-After` instead while
 * `busy()` says so (the client's webhook lane is above its high-water mark, or it is shutting
 * down). The platform retries a delivery that was not acknowledged, so a refused one waits on
 * its side rather than in this process's memory; the body is never read.
 *
 * @param receiver - verifies, acknowledges and emits each delivery
 * @param busy - whether to refuse deliveries now
 * @param options - port (0 for a free one), host (all interfaces by default) and the receiver's path
 */
export function listenWithBackpressure(
  receiver: WebhookReceiver,
  busy: () => boolean,
  options: { port: number; host?: string; path?: string },
): Promise<WebhookServer> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (!busy()) {
      receiver.handler(request, response);
      return;
    }
    request.resume(); // drain whatever was sent, unread
    const body = JSON.stringify({ error: 'busy: retry later' });
    response.writeHead(503, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Retry-After': String(RETRY_AFTER_SECONDS),
    });
    response.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host ?? '127.0.0.1';
      resolve({
        server,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${options.path ?? '/'}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

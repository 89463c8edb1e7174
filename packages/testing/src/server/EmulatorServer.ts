import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger, ILogObj } from 'tslog';
import { TOKEN_PATH } from '../auth/tokenEndpoint.js';
import { CONTROL_PREFIX } from '../control/ControlApi.js';
import { PART_PATH } from '../uploads/ChunkedUploads.js';
import { sendJson } from './httpIo.js';

/** A handler of one kind of request the emulator's port serves. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Where each request to the emulator's port goes, by path. */
export interface EmulatorRoutes {
  /** `POST` of the token endpoint ({@link TOKEN_PATH}). */
  readonly token: RequestHandler;
  /** The HTTP control API, under {@link CONTROL_PREFIX}. */
  readonly control: RequestHandler;
  /** The part `PUT`s of chunked uploads, under {@link PART_PATH}. */
  readonly uploadPart: RequestHandler;
  /** Everything else: the REST API. */
  readonly rest: RequestHandler;
  /** WebSocket upgrades: the gateway. */
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * The emulator's one HTTP port: it hands each request to its route by path, the WebSocket
 * upgrades to the gateway, and answers a handler's unexpected failure with a 500.
 */
export class EmulatorServer {
  readonly #server: Server;
  readonly #routes: EmulatorRoutes;
  readonly #logger: Logger<ILogObj>;
  #baseUrl = '';

  /**
   * @param routes - the handlers of each kind of request
   * @param logger - where internal errors are logged
   */
  constructor(routes: EmulatorRoutes, logger: Logger<ILogObj>) {
    this.#routes = routes;
    this.#logger = logger;
    this.#server = createServer((req, res) => this.#route(req, res));
    this.#server.on('upgrade', (req, socket, head) => routes.upgrade(req, socket, head));
    this.#server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** `http://host:port` once listening; empty before. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Listens on `host:port` (port 0: chosen by the OS) and records the base URL.
   *
   * @param port - the port, 0 for any
   * @param host - the interface, IPv4 or IPv6
   */
  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as AddressInfo;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    this.#baseUrl = `http://${hostPart}:${address.port}`;
  }

  /** Closes the listening port and every open connection. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.#baseUrl || 'http://127.0.0.1');
    const routes = this.#routes;
    const handled =
      url.pathname === TOKEN_PATH
        ? routes.token(req, res, url)
        : url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)
          ? routes.control(req, res, url)
          : url.pathname.startsWith(`${PART_PATH}/`)
            ? routes.uploadPart(req, res, url)
            : routes.rest(req, res, url);
    handled.catch((error: unknown) => {
      this.#logger.error('internal emulator error', error);
      sendJson(res, 500, { code: 500, message: 'internal emulator error' });
    });
  }
}

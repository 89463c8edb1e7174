import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Opcode,
  ValidationError,
  childLogger,
  createLogger,
  type BotLogger,
  type CallbackAck,
  type CallbackValidationData,
} from '@bot/http';
import { GatewayError } from '../errors/GatewayError.js';
import { isDispatch, isGatewayPayload, type DispatchPayload } from '../protocol/GatewayProtocol.js';
import { typedEventEmitter } from '@bot/http';
import { readBody } from './readBody.js';
import { WebhookSigner } from './WebhookSigner.js';

/** Options of a {@link WebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The bot's AppSecret: the signing key is derived from it. */
  secret: string;
  /** When set, deliveries whose `X-Bot-Appid` names another bot are refused (401). */
  appId?: string;
  /** When set, requests for other paths get 404 (useful with {@link WebhookReceiver.listen}). */
  path?: string;
  /** Largest accepted body in bytes (1 MiB by default); larger ones get 413. */
  maxBodyBytes?: number;
  /** How far `X-Signature-Timestamp` may be from now, in seconds (300 by default); older is a replay. */
  timestampToleranceSeconds?: number;
  /** Logger; the receiver logs under a sub-logger named `webhook`. */
  logger?: BotLogger;
}

/** Events of a {@link WebhookReceiver}. */
export type WebhookReceiverEvents = {
  /** A verified event, the same payload shape shards emit. */
  dispatch: (payload: DispatchPayload) => void;
  /** A request was turned away; `reason` never contains secrets. */
  rejected: (status: number, reason: string) => void;
  /** Diagnostics. */
  debug: (message: string) => void;
  /** A `dispatch` listener threw; the delivery was still acknowledged. */
  error: (error: Error) => void;
};

/** A running {@link WebhookReceiver.listen} server. */
export interface WebhookServer {
  /** The Node server. */
  server: Server;
  /** `http://host:port/path` it answers on. */
  url: string;
  /** Stops accepting requests and closes idle connections. */
  close(): Promise<void>;
}

const ACK: CallbackAck = { op: Opcode.HttpCallbackAck, d: 0 };
/** Validation tokens may not contain braces: a signed answer can then never double as a signature over a JSON delivery. */
const PLAIN_TOKEN = /^[\x21-\x7a\x7c\x7e]{1,256}$/;
const DIGITS = /^\d{1,12}$/;

/** Why a request is turned away: the HTTP status and a reason safe to log. */
class Rejection {
  /**
   * @param status - HTTP status to answer with
   * @param reason - what was wrong, without secrets
   */
  public constructor(
    public readonly status: number,
    public readonly reason: string,
  ) {}
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isValidation(data: unknown): data is CallbackValidationData {
  if (typeof data !== 'object' || data === null) return false;
  const { plain_token: token, event_ts: eventTs } = data as Partial<CallbackValidationData>;
  return (
    typeof token === 'string' &&
    PLAIN_TOKEN.test(token) &&
    typeof eventTs === 'string' &&
    DIGITS.test(eventTs)
  );
}

/**
 * Receives the platform's webhook deliveries: verifies each Ed25519 signature over the raw body
 * bytes, refuses replays, answers URL validation (op 13), acknowledges events (op 12) and emits
 * them as `dispatch`. Plug {@link WebhookReceiver.handler} into any Node HTTP server or framework
 * that exposes Node's request and response, or call {@link WebhookReceiver.listen}.
 *
 * Refusals: wrong method 405, other path 404, body too large 413, bad or missing signature or
 * stale timestamp 401, malformed JSON 400. None of them throws out of the handler.
 */
export class WebhookReceiver extends typedEventEmitter<WebhookReceiverEvents>() {
  /** `(request, response) => void` for `http.createServer` or a framework's raw route. */
  public readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
  readonly #signer: WebhookSigner;
  readonly #appId: string | undefined;
  readonly #path: string | undefined;
  readonly #maxBodyBytes: number;
  readonly #toleranceSeconds: number;
  readonly #log: BotLogger;

  /**
   * @param options - secret, limits, optional app id and path
   * @throws {@link ValidationError} for an empty secret or non-positive limits
   */
  public constructor(options: WebhookReceiverOptions) {
    super();
    this.#signer = WebhookSigner.fromSecret(options.secret);
    this.#appId = options.appId;
    this.#path = options.path;
    this.#maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.#toleranceSeconds = options.timestampToleranceSeconds ?? 300;
    if (!(this.#maxBodyBytes > 0)) throw new ValidationError('maxBodyBytes', 'must be > 0');
    if (!(this.#toleranceSeconds > 0)) throw new ValidationError('timestampToleranceSeconds', 'must be > 0');
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'webhook');
    this.handler = (request, response) => void this.handle(request, response);
  }

  /**
   * Handles one request completely. Never rejects: every failure becomes an HTTP answer.
   *
   * @param request - Node's request, body not yet read
   * @param response - Node's response
   */
  public async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    request.on('error', () => undefined); // a client hanging up must not become an uncaught error
    try {
      const answer = await this.#process(request);
      this.#reply(response, 200, answer);
    } catch (error) {
      const rejection =
        error instanceof Rejection
          ? error
          : new Rejection(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      this.#log.debug(`refused a delivery with ${rejection.status}: ${rejection.reason}`);
      this.#emitSafe('rejected', rejection.status, rejection.reason);
      if (rejection.status === 405) response.setHeader('Allow', 'POST');
      this.#reply(response, rejection.status, { error: rejection.reason });
    }
  }

  /**
   * Starts an HTTP server that only serves this receiver.
   *
   * @param options - port (0 for a free one) and host (all interfaces by default)
   */
  public listen(options: { port: number; host?: string }): Promise<WebhookServer> {
    const server = createServer(this.handler);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        const { port } = server.address() as AddressInfo;
        const host = options.host ?? '127.0.0.1';
        resolve({
          server,
          url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${this.#path ?? '/'}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              server.closeIdleConnections();
            }),
        });
      });
    });
  }

  async #process(request: IncomingMessage): Promise<unknown> {
    if (request.method !== 'POST') throw new Rejection(405, `method ${request.method ?? '?'} not allowed`);
    if (this.#path !== undefined && new URL(request.url ?? '/', 'http://receiver').pathname !== this.#path) {
      throw new Rejection(404, 'unknown path');
    }
    const appId = header(request, 'x-bot-appid');
    if (this.#appId !== undefined && appId !== undefined && appId !== this.#appId) {
      throw new Rejection(401, 'delivery for another app id');
    }
    const read = await readBody(request, this.#maxBodyBytes);
    if (!read.ok) throw new Rejection(read.status, read.reason);
    const signed = this.#checkSignature(request, read.body);
    let payload: unknown;
    try {
      payload = JSON.parse(read.body.toString('utf8'));
    } catch {
      throw new Rejection(400, 'body is not JSON');
    }
    if (!isGatewayPayload(payload)) throw new Rejection(400, 'body has no numeric op');
    if (payload.op === Opcode.CallbackValidation) {
      // The platform's URL validation arrives unsigned; a signature, when present, was checked.
      if (!isValidation(payload.d))
        throw new Rejection(400, 'validation request without a usable plain_token and event_ts');
      this.#log.info('answered the callback URL validation');
      return this.#signer.answerValidation(payload.d);
    }
    if (!signed) throw new Rejection(401, 'missing signature');
    if (isDispatch(payload, Opcode.Dispatch)) {
      this.#emitSafe('dispatch', payload);
    } else {
      this.#emitSafe('debug', `acknowledged a delivery with op ${payload.op}`);
    }
    return ACK;
  }

  /**
   * Verifies signature and timestamp when a signature is present.
   *
   * @returns whether the request was signed (unsigned ones are only good for validation)
   */
  #checkSignature(request: IncomingMessage, body: Buffer): boolean {
    const signature = header(request, 'x-signature-ed25519');
    const timestamp = header(request, 'x-signature-timestamp');
    if (signature === undefined && timestamp === undefined) return false;
    if (signature === undefined || timestamp === undefined)
      throw new Rejection(401, 'incomplete signature headers');
    if (!DIGITS.test(timestamp)) throw new Rejection(401, 'malformed signature timestamp');
    const age = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (age > this.#toleranceSeconds)
      throw new Rejection(401, `signature timestamp is ${Math.round(age)} s off`);
    const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
    if (!this.#signer.verify(message, signature)) throw new Rejection(401, 'bad signature');
    return true;
  }

  #reply(response: ServerResponse, status: number, body: unknown): void {
    if (response.headersSent) return;
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  }

  #emitSafe<E extends Exclude<keyof WebhookReceiverEvents, 'error'>>(
    event: E,
    ...args: Parameters<WebhookReceiverEvents[E]>
  ): void {
    try {
      this.emit(event, ...args);
    } catch (cause) {
      const error = new GatewayError(`a '${event}' listener threw`, undefined, { cause });
      if (this.listenerCount('error') > 0) this.emit('error', error);
      else this.#log.error(error.message);
    }
  }
}

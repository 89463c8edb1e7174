import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake platform received it. */
export interface ReceivedRequest {
  method: string;
  /** Path without the query string, as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
}

/**
 * What a route handler answers. `body` is sent as JSON, `raw` as it is (a body that is not JSON);
 * `hang: true` never answers; `hang: 'body'` sends the status, the headers and the first byte of
 * the body, then nothing more (timeouts); `reset: true` drops the connection once the request has
 * been read, without an answer; `headers` are added.
 */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  hang?: boolean | 'body';
  reset?: boolean;
}

/** Answers one API request. */
export type FakeHandler = (request: ReceivedRequest) => FakeAnswer | Promise<FakeAnswer>;

/** How a {@link FakePlatform} behaves from the start. */
export interface FakePlatformOptions {
  /** Issue this access token on every token request, instead of `token-1`, `token-2`, … */
  accessToken?: string;
}

const answerOk: FakeHandler = () => ({ status: 200, body: {} });
const TOKEN_LIFETIME_SECONDS = 7200;

/**
 * A minimal stand-in for the platform's REST and token hosts on 127.0.0.1, for testing the
 * transport and the endpoints: every API request is recorded and answered by `handler`; the token
 * endpoint issues `token-1`, `token-2`, … or a fixed token (or answers with `tokenAnswer` when set).
 */
export class FakePlatform {
  public readonly requests: ReceivedRequest[] = [];
  public readonly tokenRequests: ReceivedRequest[] = [];
  public handler: FakeHandler = answerOk;
  public tokenAnswer: FakeAnswer | undefined;
  public tokenLifetime = TOKEN_LIFETIME_SECONDS;
  private issued = 0;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakePlatformOptions,
  ) {}

  /** Starts a fake platform on an OS-chosen port. */
  public static async start(options: FakePlatformOptions = {}): Promise<FakePlatform> {
    const server = http.createServer();
    const platform = new FakePlatform(server, options);
    server.on('request', (req, res) => void platform.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return platform;
  }

  /** Base URL of the fake REST API. */
  public get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** URL of the fake token endpoint. */
  public get tokenUrl(): string {
    return `${this.baseUrl}/app/getAppAccessToken`;
  }

  /** Forgets recorded requests and restores the default answers (`200 {}`, issued tokens). */
  public reset(): void {
    this.requests.length = 0;
    this.tokenRequests.length = 0;
    this.handler = answerOk;
    this.tokenAnswer = undefined;
    this.tokenLifetime = TOKEN_LIFETIME_SECONDS;
  }

  /** Stops the server, dropping hanging requests. */
  public async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://localhost');
    let json: unknown;
    try {
      json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      // Not url.pathname: the WHATWG parser would resolve encoded dot segments the client sent.
      path: (req.url ?? '/').split('?')[0] ?? '/',
      query: url.searchParams,
      headers: req.headers,
      body,
      json,
    };

    let answer: FakeAnswer;
    if (url.pathname === '/app/getAppAccessToken') {
      this.tokenRequests.push(request);
      this.issued += 1;
      const accessToken = this.options.accessToken ?? `token-${this.issued}`;
      answer = this.tokenAnswer ?? {
        body: { access_token: accessToken, expires_in: String(this.tokenLifetime) },
      };
    } else {
      this.requests.push(request);
      answer = await this.handler(request);
    }
    if (answer.reset === true) {
      req.socket.destroy();
      return;
    }
    const status = answer.status ?? 200;
    const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    if (answer.hang === true || answer.hang === 'body') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      if (answer.hang === 'body') {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(text.length) });
        res.write(text.slice(0, 1));
      }
      return;
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-tps-trace-id': 'trace-abc',
      ...answer.headers,
    });
    res.end(status === 204 ? undefined : text);
  }
}

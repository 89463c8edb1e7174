import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotApi, RestClient, Token } from '@bot/http';

/** One request the fake platform received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent (still percent-encoded). */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The body's bytes (empty when there was none). */
  raw: Buffer;
}

/** How the fake platform answers an API request. */
export interface Reply {
  status: number;
  /** JSON body; none when `undefined`. */
  body?: unknown;
}

/** A local stand-in for the platform: a token endpoint plus a recording REST endpoint. */
export interface ApiServer {
  baseUrl: string;
  tokenUrl: string;
  /** API requests, in arrival order (token requests are counted apart). */
  requests: RecordedRequest[];
  /** Number of token requests. */
  tokenRequests: number;
  /** Decides the answer to each API request; `200 {}` by default. */
  respond: (request: RecordedRequest) => Reply;
  /** Forgets recorded requests and restores the default answer. */
  reset(): void;
  close(): Promise<void>;
}

const TOKEN_PATH = '/app/getAppAccessToken';

/** Starts the fake platform on 127.0.0.1, port chosen by the system. */
export async function startApiServer(): Promise<ApiServer> {
  const defaultRespond = (): Reply => ({ status: 200, body: {} });
  const state: ApiServer = {
    baseUrl: '',
    tokenUrl: '',
    requests: [],
    tokenRequests: 0,
    respond: defaultRespond,
    reset() {
      state.requests = [];
      state.tokenRequests = 0;
      state.respond = defaultRespond;
    },
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === TOKEN_PATH) {
        state.tokenRequests++;
        send(res, { status: 200, body: { access_token: 't', expires_in: '7200' } });
        return;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        raw: Buffer.concat(chunks),
      };
      state.requests.push(recorded);
      send(res, state.respond(recorded));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;
  state.tokenUrl = `${state.baseUrl}${TOKEN_PATH}`;
  return state;
}

/** A real client and API pointed at the fake platform, with message pacing out of the way. */
export function connectApi(server: ApiServer): { rest: RestClient; api: BotApi } {
  const rest = new RestClient({
    token: new Token('app', 'secret'),
    baseUrl: server.baseUrl,
    tokenUrl: server.tokenUrl,
    retries: 0,
    rateLimits: { messagesPerSecond: 1_000 },
  });
  return { rest, api: new BotApi(rest) };
}

/** The JSON a request carried, or `undefined` when it had no body. */
export function jsonBody(request: RecordedRequest): unknown {
  return request.raw.length === 0 ? undefined : JSON.parse(request.raw.toString('utf8'));
}

function send(res: http.ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}

import { request as httpRequest, type Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { WebhookSigner } from '@bot/gateway';

/** The AppSecret of the platform's signing example. */
export const SECRET = 'DG5g3B4j9X2KOErG';
export const APP_ID = '11111111';

/** Now, in the unix seconds `X-Signature-Timestamp` carries. */
export function nowSeconds(): string {
  return Math.floor(Date.now() / 1000).toString();
}

/** The headers the platform sends with a delivery of `body`, signed with `secret`. */
export function signedHeaders(
  body: string | Buffer,
  timestamp = nowSeconds(),
  secret = SECRET,
): Record<string, string> {
  const message = Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]);
  return {
    'Content-Type': 'application/json',
    'X-Signature-Ed25519': WebhookSigner.fromSecret(secret).sign(message),
    'X-Signature-Timestamp': timestamp,
    'X-Bot-Appid': APP_ID,
    'User-Agent': 'QQBot-Callback',
  };
}

/** An HTTP answer as a node:http client saw it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs `body` with `headers` through node:http and reads the whole answer. */
export function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
  agent?: Agent,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, ...(agent ? { agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw TCP client of an HTTP server: writes exactly what a test says, records everything it gets. */
export class RawClient {
  public readonly socket: Socket;
  /** Resolves with everything the server sent once the connection is closed (by either side). */
  public readonly closed: Promise<string>;
  #received = '';

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined); // a reset after the server's answer is part of the tests
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(this.#received)));
  }

  /** Connects to `server` on 127.0.0.1. */
  public static async open(server: Server): Promise<RawClient> {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** What the server sent so far. */
  public get received(): string {
    return this.#received;
  }

  /** Writes a request head: request line, headers, blank line. */
  public writeHead(path: string, headers: Record<string, string | number>): void {
    const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  }

  /** Resolves once the server has sent one complete answer with a `Content-Length`. */
  public async nextAnswer(): Promise<RawAnswer> {
    for (;;) {
      const answer = parseAnswer(this.#received);
      if (answer) {
        this.#received = this.#received.slice(answer.length);
        return answer;
      }
      await new Promise<void>((resolve, reject) => {
        const done = (): void => {
          this.socket.off('data', done);
          this.socket.off('close', failed);
          resolve();
        };
        const failed = (): void => {
          this.socket.off('data', done);
          reject(new Error(`connection closed after ${JSON.stringify(this.#received)}`));
        };
        this.socket.on('data', done);
        this.socket.once('close', failed);
      });
    }
  }
}

/** One answer read off a raw connection. */
export interface RawAnswer {
  status: number;
  /** Header names lower-cased. */
  headers: Map<string, string>;
  body: string;
  /** Characters the answer took on the wire. */
  length: number;
}

/** Parses the first complete answer in `text`, or `undefined` while it is incomplete. */
export function parseAnswer(text: string): RawAnswer | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const bodyLength = Number(headers.get('content-length') ?? 0);
  if (text.length < end + 4 + bodyLength) return undefined;
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: text.slice(end + 4, end + 4 + bodyLength),
    length: end + 4 + bodyLength,
  };
}

/** Bytes each server-side connection read from its socket, reported when it closes. */
export function trackBytesRead(server: Server): number[] {
  const totals: number[] = [];
  server.on('connection', (socket: Socket) => socket.once('close', () => totals.push(socket.bytesRead)));
  return totals;
}

/** The server side of every connection `server` accepts from now on, in the order it accepts them. */
export function collectConnections(server: Server): Socket[] {
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  return sockets;
}

/** Resolves once `server` has emitted `request` `count` times in total. */
export function requestsSeen(server: Server, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const onRequest = (): void => {
      seen += 1;
      if (seen < count) return;
      server.off('request', onRequest);
      resolve();
    };
    server.on('request', onRequest);
  });
}

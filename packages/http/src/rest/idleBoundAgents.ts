import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

// Keep-alive agents that close an idle connection before the server does.
//
// A server closes a kept-alive connection once it has been idle for its keep-alive timeout. A
// request written on it as the server closes it never reaches the server, yet the client sees only
// ECONNRESET: it cannot tell that lost request from one the server read before the connection
// broke, so a POST the platform does not deduplicate (a DM or guild channel send) cannot be re-sent
// safely, and fails saying it may have been delivered. Retrying a reset on a reused connection, as
// Node's documentation suggests, would post such a message twice whenever the reset came after the
// server had read it. Closing idle connections first removes the race instead: Node's agent does
// so only when given a `timeout`, which also times every request in use (a listener per request);
// these agents bound free connections alone, at no cost per request.

/**
 * How long a connection may sit idle in the pool when the server announces no keep-alive timeout:
 * below the shortest common server defaults (Node's and Apache's 5 s; nginx closes after 75 s).
 * A quiet bot opens a new connection for a send after this long; a busy one keeps its connections.
 */
export const IDLE_SOCKET_MS = 4_000;
/**
 * How much sooner than a server's announced timeout (`Keep-Alive: timeout=N`) an idle connection
 * is closed: the server counts from when it wrote its answer, the client from when it read it, and
 * a busy event loop fires the client's timer late.
 */
export const ANNOUNCED_TIMEOUT_MARGIN_MS = 1_000;
/** TCP keep-alive probes of a pooled connection: Node's agent default. */
const TCP_KEEP_ALIVE_MS = 1_000;
const KEEP_ALIVE_TIMEOUT = /(?:^|[\s,])timeout=(\d+)/i;

/**
 * How long a connection whose answer carried `keepAliveHeader` may stay idle: {@link IDLE_SOCKET_MS},
 * or less when the server announced a shorter timeout; 0 or less when it announced one too short to
 * reuse the connection safely.
 *
 * @param keepAliveHeader - the answer's `Keep-Alive` header, if it had one
 */
export function idleLifetime(keepAliveHeader: string | undefined): number {
  if (keepAliveHeader === undefined) return IDLE_SOCKET_MS;
  const announced = KEEP_ALIVE_TIMEOUT.exec(keepAliveHeader)?.[1];
  if (announced === undefined) return IDLE_SOCKET_MS;
  return Math.min(IDLE_SOCKET_MS, Number(announced) * 1000 - ANNOUNCED_TIMEOUT_MARGIN_MS);
}

/** Node's own link from a connection to the request it carried, read as Node's agent reads it. */
interface PooledSocket extends Socket {
  _httpMessage?: { res?: { headers: http.IncomingHttpHeaders } } | null;
}

/**
 * Readies a connection whose request is done for the pool: its idle timer (which the agent's
 * listener turns into closing it while it is free) set to {@link idleLifetime}, or `false` to
 * close it now. The timer stays while the connection carries a request, where it does nothing:
 * nothing else listens to it. Set again only when the lifetime changes, so a connection reused at
 * a steady pace re-arms no timer.
 */
function keepIdleSocket(duplex: Duplex): boolean {
  const socket = duplex as PooledSocket;
  const header = socket._httpMessage?.res?.headers['keep-alive'];
  const idle = idleLifetime(typeof header === 'string' ? header : undefined);
  if (idle <= 0) return false;
  socket.setKeepAlive(true, TCP_KEEP_ALIVE_MS);
  // A pooled connection must not keep the process alive.
  socket.unref();
  if (socket.timeout !== idle) socket.setTimeout(idle);
  return true;
}

/** An `http.Agent` whose free connections close before the server's keep-alive timeout. */
export class IdleBoundHttpAgent extends http.Agent {
  /** {@inheritDoc keepIdleSocket} */
  public override keepSocketAlive(socket: Duplex): boolean {
    return keepIdleSocket(socket);
  }
}

/** An `https.Agent` whose free connections close before the server's keep-alive timeout. */
export class IdleBoundHttpsAgent extends https.Agent {
  /** {@inheritDoc keepIdleSocket} */
  public override keepSocketAlive(socket: Duplex): boolean {
    return keepIdleSocket(socket);
  }
}

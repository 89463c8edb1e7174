/**
 * The baseline: an access token fetched over `node:http`, then `ws` and one `JSON.parse` per
 * frame, the least any client must do.
 */
import WebSocket from 'ws';
import { fetchAccessToken } from './rawAccessToken.js';
import type { IngestProbe } from './wiring.js';

/** Bits of GUILDS, GUILD_MEMBERS, PUBLIC_GUILD_MESSAGES, GROUP_AND_C2C_EVENT and INTERACTION. */
const INTENT_BITS = (1 << 0) | (1 << 1) | (1 << 30) | (1 << 25) | (1 << 26);

/** Fetches a token, connects a bare socket: identify after Hello, count every dispatch but READY. */
export async function connect(probe: IngestProbe): Promise<void> {
  streamBare(probe.job.gatewayUrl, await fetchAccessToken(probe.job.tokenUrl), probe);
}

/**
 * Connects a bare socket to `gatewayUrl`: identifies after Hello with `accessToken`, then parses
 * every frame and counts every dispatch but READY.
 *
 * @param gatewayUrl - where to connect
 * @param accessToken - the token to identify with
 * @param probe - whom to tell about READY and each dispatch
 */
export function streamBare(gatewayUrl: string, accessToken: string, { count, ready }: IngestProbe): void {
  const socket = new WebSocket(gatewayUrl, { perMessageDeflate: false });
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as { op: number; t?: string };
    if (frame.op === 10) {
      socket.send(
        JSON.stringify({ op: 2, d: { token: `QQBot ${accessToken}`, intents: INTENT_BITS, shard: [0, 1] } }),
      );
    } else if (frame.op === 0) {
      if (frame.t === 'READY') ready();
      else count();
    }
  });
}

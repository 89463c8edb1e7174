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
export async function connect({ job, count, ready }: IngestProbe): Promise<void> {
  const accessToken = await fetchAccessToken(job.tokenUrl);
  const socket = new WebSocket(job.gatewayUrl, { perMessageDeflate: false });
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

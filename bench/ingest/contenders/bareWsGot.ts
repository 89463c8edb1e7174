/**
 * The baseline with the HTTP a client must do through `got`, the REST library `@bot/http` is
 * built on: the access token and `/gateway/bot` fetched with `got`, then the bare socket of
 * `bareWs.ts`. Its startup is the least a client on `got` can reach; its steady state is bare ws.
 */
import got from 'got';
import { streamBare } from './bareWs.js';
import { APP_ID, SECRET, type IngestProbe } from './wiring.js';

/** Fetches a token and the gateway URL with `got`, then streams like the bare contender. */
export async function connect(probe: IngestProbe): Promise<void> {
  const { job } = probe;
  const { access_token: accessToken } = await got
    .post(job.tokenUrl, { json: { appId: APP_ID, clientSecret: SECRET } })
    .json<{ access_token: string }>();
  const { url } = await got(`${job.restUrl}/gateway/bot`, {
    headers: { authorization: `QQBot ${accessToken}` },
  }).json<{ url: string }>();
  streamBare(url, accessToken, probe);
}

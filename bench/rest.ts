/**
 * REST throughput: requests per second through `RestClient` against bare `got` and a raw
 * `node:http` baseline, all hitting the same local keep-alive server at the same concurrency, with
 * no rate limit in play. Prints one table; the ratio column is what matters (target ≥ 0.9 of got).
 *
 *   pnpm bench            (or: node --import tsx bench/rest.ts [requests] [concurrency])
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { RestClient, Token, createLogger } from '@bot/http';

const TOTAL = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 64);
const ROUNDS = 3;
const BODY = JSON.stringify({
  id: '1234567890',
  username: 'bench-bot',
  avatar: 'https://example.invalid/a.png',
  bot: true,
});

const server = http.createServer((req, res) => {
  if (req.url === '/app/getAppAccessToken') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'bench-token', expires_in: '7200' }));
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-tps-trace-id': 'bench' });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Runs `TOTAL` calls of `one`, `CONCURRENCY` at a time; returns requests per second. */
async function measure(one: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      next += 1;
      await one();
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return TOTAL / seconds;
}

const rawAgent = new http.Agent({ keepAlive: true });
const raw = (): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/users/@me`,
      { agent: rawAgent, headers: { authorization: 'QQBot bench-token' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });

const bareGot = got.extend({ agent: { http: new http.Agent({ keepAlive: true }) }, retry: { limit: 0 } });
const viaGot = (): Promise<unknown> =>
  bareGot(`${base}/users/@me`, { headers: { authorization: 'QQBot bench-token' } }).json();

const rest = new RestClient({
  token: new Token('bench-app', 'bench-secret'),
  baseUrl: base,
  tokenUrl: `${base}/app/getAppAccessToken`,
  logger: createLogger('bench', 7),
});
const viaRest = (): Promise<unknown> => rest.request({ method: 'GET', route: '/users/@me' });

// Warm up sockets, JIT and the token cache, then interleave rounds so drift hits all three alike.
for (const one of [raw, viaGot, viaRest]) for (let i = 0; i < 500; i++) await one();
const results = { raw: [] as number[], got: [] as number[], rest: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  results.raw.push(await measure(raw));
  results.got.push(await measure(viaGot));
  results.rest.push(await measure(viaRest));
}
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const gotRate = median(results.got);
const rows = [
  ['node:http (raw baseline)', median(results.raw)],
  ['got (bare)', gotRate],
  ['@bot/http RestClient', median(results.rest)],
] as const;

console.log(
  `\nREST throughput: ${TOTAL} requests × ${ROUNDS} rounds, ${CONCURRENCY} concurrent, median round\n`,
);
console.log('client                      req/s     vs got   vs raw');
for (const [name, rate] of rows) {
  console.log(
    `${name.padEnd(26)} ${rate.toFixed(0).padStart(7)}   ${(rate / gotRate).toFixed(2).padStart(6)}   ${(rate / median(results.raw)).toFixed(2).padStart(6)}`,
  );
}
const ratio = median(results.rest) / gotRate;
console.log(`\nRestClient / got = ${ratio.toFixed(2)} (target ≥ 0.90): ${ratio >= 0.9 ? 'met' : 'NOT met'}`);

rest.destroy();
rawAgent.destroy();
server.closeAllConnections();
server.close();

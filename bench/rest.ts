/**
 * 4. REST: requests per second through `RestClient` against bare `got` (and raw `node:http`, the
 * floor), all against the same local keep-alive server, at the same concurrency, no limit hit.
 */
import { throughputRows } from './support/throughputRows.js';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST_CONTENDERS, type RestContender, type RestJob } from './rest/job.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport } from './support/report.js';
import type { ThroughputResult } from './support/ThroughputMeter.js';
import { runPairedRounds } from './support/rounds.js';

const CHILD = new URL('./rest/clients.ts', import.meta.url);
const GOT = 'got (bare)';
const OURS = '@bot/http RestClient';
const OURS_CAPTURING_CALL_SITES = '@bot/http RestClient, callSites: true';
const RAW = 'node:http (raw)';
/** What `GET /users/@me` answers: a typical small JSON object. */
const USER = JSON.stringify({
  id: '1056964610097152001',
  username: 'bench-bot',
  avatar: 'https://thirdqq.qlogo.cn/g?b=oidb&k=1056964610097152001&s=100',
  union_openid: 'U0A1B2C3D4E5F60718293A4B5C6D7E8F',
  union_user_account: '',
});
const TOKEN = JSON.stringify({ access_token: 'bench-access-token', expires_in: '7200' });

/** A keep-alive server answering the token endpoint and one fixed JSON object for everything else. */
async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const body = request.url === '/app/getAppAccessToken' ? TOKEN : USER;
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-tps-trace-id': 'bench',
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function round(
  baseUrl: string,
  contender: RestContender,
  options: BenchOptions,
): Promise<ThroughputResult> {
  const job: RestJob = {
    contender,
    baseUrl,
    warmup: Math.max(500, Math.round(options.requests / 10)),
    requests: options.requests,
    concurrency: options.concurrency,
  };
  const child = startChild<RestJob, ThroughputResult>(CHILD, job, { profileDir: options.profileDir });
  try {
    return await child.result;
  } finally {
    await child.stop();
  }
}

/**
 * Runs the REST benchmark: the server in this process, each contender in a child of its own,
 * contenders interleaved round by round.
 *
 * @param options - rounds, requests and concurrency
 */
export async function runRest(options: BenchOptions): Promise<BenchmarkReport> {
  const server = await startServer();
  const contenders = REST_CONTENDERS.filter((name) => options.restFloor || name !== RAW);
  let results: Map<RestContender, ThroughputResult[]>;
  try {
    results = await runPairedRounds('rest', contenders, options.rounds, (contender) =>
      round(server.url, contender, options),
    );
  } finally {
    await server.close();
  }
  const { ratio, row } = throughputRows(results, {
    baseline: GOT,
    label: 'got',
    control: 'got (bare, control)',
    // RestClient sends through its own got instance, then does more: never faster than got.
    bounded: [OURS, OURS_CAPTURING_CALL_SITES],
  });
  const ours = ratio(OURS).median;
  return {
    title: '4. REST (requests/s)',
    setup:
      `${options.rounds} paired rounds; ${options.requests.toLocaleString('en-US')} \`GET /users/@me\` per round after a warm-up, ` +
      `${options.concurrency} in flight, keep-alive, against a local \`node:http\` server in the parent process ` +
      'that answers a small JSON object; each client runs in its own process, parses the JSON and hits no ' +
      "rate limit. CPU per op is the client process's CPU time per request. `RestClient` is the default, " +
      "which reads a failed request's awaiting callers only when it fails; `callSites: true` is the same " +
      "client recording each request's caller when it is made (a stack capture per request): the " +
      'difference between the two rows is what that record costs.',
    rows: [
      row(GOT),
      row('got (bare, control)'),
      row(OURS, { target: { text: '≥ 0.95× got', met: ours >= 0.95 } }),
      row(OURS_CAPTURING_CALL_SITES),
      ...(results.has(RAW) ? [row(RAW)] : []),
    ],
  };
}

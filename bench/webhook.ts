/**
 * 5. Webhook: signed deliveries verified and dispatched per second by `WebhookReceiver`, against
 * a bare `node:http` handler doing the same Ed25519 verification and `JSON.parse`.
 */
import http from 'node:http';
import { throughputRows } from './support/throughputRows.js';
import { signedDeliveries, type Delivery } from './webhook/deliveries.js';
import {
  WEBHOOK_CONTENDERS,
  type WebhookContender,
  type WebhookJob,
  type WebhookReady,
} from './webhook/job.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport } from './support/report.js';
import type { ThroughputResult } from './support/ThroughputMeter.js';
import { runPairedRounds } from './support/rounds.js';

const CHILD = new URL('./webhook/receivers.ts', import.meta.url);
const APP_ID = '102000000';
const SECRET = 'BenchSecret0123456789abcdefghijk';

function post(url: string, delivery: Delivery, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: delivery.headers }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200
          ? resolve()
          : reject(new Error(`the receiver refused a delivery with HTTP ${response.statusCode}`)),
      );
    });
    request.on('error', reject);
    request.end(delivery.body);
  });
}

/** Posts every delivery, `concurrency` at a time over keep-alive connections, as the platform would. */
async function deliverAll(url: string, deliveries: readonly Delivery[], concurrency: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let delivery = deliveries[next++]; delivery !== undefined; delivery = deliveries[next++]) {
      await post(url, delivery, agent);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

async function round(
  contender: WebhookContender,
  deliveries: readonly Delivery[],
  warmup: number,
  options: BenchOptions,
): Promise<ThroughputResult> {
  const job: WebhookJob = { contender, secret: SECRET, warmup, deliveries: options.deliveries };
  const child = startChild<WebhookJob, ThroughputResult, WebhookReady>(CHILD, job, {
    profileDir: options.profileDir,
  });
  try {
    const { url } = await child.ready;
    await deliverAll(url, deliveries, options.concurrency);
    return await child.result;
  } finally {
    await child.stop();
  }
}

/**
 * Runs the webhook benchmark: this process signs and posts, each receiver runs in a child of its
 * own; deliveries are signed afresh every round so their timestamps stay inside the replay window.
 *
 * @param options - rounds, deliveries and concurrency
 */
export async function runWebhook(options: BenchOptions): Promise<BenchmarkReport> {
  const warmup = Math.max(500, Math.round(options.deliveries / 10));
  const signed = new Map<number, Delivery[]>();
  const results = await runPairedRounds(
    'webhook',
    WEBHOOK_CONTENDERS,
    options.rounds,
    async (contender, index) => {
      let deliveries = signed.get(index);
      if (deliveries === undefined) {
        signed.clear();
        deliveries = await signedDeliveries(warmup + options.deliveries, SECRET, APP_ID);
        signed.set(index, deliveries);
      }
      return round(contender, deliveries, warmup, options);
    },
  );
  const BARE = 'node:http + Ed25519 verify + JSON.parse';
  const OURS = '@bot/gateway WebhookReceiver';
  const { ratio, row } = throughputRows(results, {
    baseline: BARE,
    label: 'bare node:http',
    control: 'node:http + Ed25519 verify + JSON.parse (control)',
    // The same verification and parse, then dispatch: never faster.
    bounded: [OURS],
  });
  const ours = ratio(OURS).median;
  return {
    title: '5. Webhook (deliveries/s)',
    setup:
      `${options.rounds} paired rounds; ${options.deliveries.toLocaleString('en-US')} deliveries per round after ${warmup.toLocaleString('en-US')} ` +
      `of warm-up, the ingest mix as webhook bodies, signed beforehand like the platform signs them, posted by the ` +
      `parent process ${options.concurrency} at a time over keep-alive connections; each receiver runs in its own ` +
      'process and counts a delivery once it is verified and parsed (`WebhookReceiver`: its `dispatch` event). ' +
      "CPU per op is the receiver process's CPU time per delivery.",
    rows: [
      row(BARE),
      row('node:http + Ed25519 verify + JSON.parse (control)'),
      row(OURS, {
        target: { text: '≥ 0.80× bare node:http', met: ours >= 0.8 },
      }),
    ],
  };
}

/**
 * Child side of the webhook benchmark: one HTTP server that verifies each delivery's Ed25519
 * signature over timestamp + raw body, parses it, acknowledges it, and counts it.
 */
import { once } from 'node:events';
import { createPublicKey, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookReceiver, WebhookSigner } from '@bot/gateway';
import { createLogger } from '@bot/http';
import { reportReady, runChild } from '../support/childProcess.js';
import { ThroughputMeter, type ThroughputResult } from '../support/ThroughputMeter.js';
import type { WebhookContender, WebhookJob, WebhookReady } from './job.js';

const ACK = JSON.stringify({ op: 12, d: 0 });
/** SPKI DER header of an Ed25519 public key; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * The baseline: what any webhook endpoint must do at least, written directly on `node:http`:
 * read the body, verify the signature, parse the JSON, answer the ack.
 */
function bareHandler(job: WebhookJob, count: () => void): http.RequestListener {
  const rawKey = Buffer.from(WebhookSigner.fromSecret(job.secret).publicKeyHex, 'hex');
  const publicKey = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, rawKey]),
    format: 'der',
    type: 'spki',
  });
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const timestamp = String(request.headers['x-signature-timestamp']);
      const signature = Buffer.from(String(request.headers['x-signature-ed25519']), 'hex');
      if (!verify(null, Buffer.concat([Buffer.from(timestamp), body]), publicKey, signature)) {
        response.writeHead(401).end();
        return;
      }
      JSON.parse(body.toString('utf8'));
      count();
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': ACK.length }).end(ACK);
    });
  };
}

/** This project: the receiver's own handler, its `dispatch` event counted. */
function receiverHandler(job: WebhookJob, count: () => void): http.RequestListener {
  const receiver = new WebhookReceiver({ secret: job.secret, logger: createLogger('bench', 7) });
  receiver.on('dispatch', count);
  return receiver.handler;
}

const HANDLERS: Record<WebhookContender, (job: WebhookJob, count: () => void) => http.RequestListener> = {
  'node:http + Ed25519 verify + JSON.parse': bareHandler,
  'node:http + Ed25519 verify + JSON.parse (control)': bareHandler,
  '@bot/gateway WebhookReceiver': receiverHandler,
};

runChild<WebhookJob, ThroughputResult>(async (job) => {
  const meter = new ThroughputMeter(job.warmup, job.deliveries);
  const server = http.createServer(HANDLERS[job.contender](job, meter.count));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const ready: WebhookReady = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/qq` };
  reportReady(ready);
  return meter.done;
});

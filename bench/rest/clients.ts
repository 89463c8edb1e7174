/**
 * Child side of the REST benchmark: sends `GET /users/@me` through one client, `concurrency` at
 * a time, and counts the parsed answers.
 */
import http from 'node:http';
import got from 'got';
import { RestClient, Token, createLogger } from '@bot/http';
import { runChild } from '../support/childProcess.js';
import { ThroughputMeter, type ThroughputResult } from '../support/ThroughputMeter.js';
import type { RestContender, RestJob } from './job.js';

const AUTHORIZATION = 'QQBot bench-access-token';

/** The floor: `node:http` with a keep-alive agent and `JSON.parse`, nothing else. */
function rawHttp(job: RestJob): () => Promise<unknown> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = `${job.baseUrl}/users/@me`;
  return () =>
    new Promise((resolve, reject) => {
      const request = http.get(url, { agent, headers: { authorization: AUTHORIZATION } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        response.on('error', reject);
      });
      request.on('error', reject);
    });
}

/** The reference the goal is set against: `got` as a bot would use it bare, JSON answers, no retries. */
function bareGot(job: RestJob): () => Promise<unknown> {
  const client = got.extend({
    prefixUrl: job.baseUrl,
    agent: { http: new http.Agent({ keepAlive: true, maxSockets: job.concurrency }) },
    retry: { limit: 0 },
    headers: { authorization: AUTHORIZATION },
  });
  return () => client.get('users/@me').json();
}

/**
 * This project: token provider, route queues, typed errors, all of it; with `callSites: true`,
 * recording each request's caller when it is made (a stack capture per request; by default, the
 * callers are read only when a request fails).
 */
function restClient(job: RestJob, callSites?: true): () => Promise<unknown> {
  const rest = new RestClient({
    token: new Token('102000000', 'BenchSecret0123456789abcdefghijk'),
    baseUrl: job.baseUrl,
    tokenUrl: `${job.baseUrl}/app/getAppAccessToken`,
    logger: createLogger('bench', 7),
    ...(callSites === undefined ? {} : { callSites }),
  });
  return () => rest.request({ method: 'GET', route: '/users/@me' });
}

const CLIENTS: Record<RestContender, (job: RestJob) => () => Promise<unknown>> = {
  'node:http (raw)': rawHttp,
  'got (bare)': bareGot,
  'got (bare, control)': bareGot,
  '@bot/http RestClient': (job) => restClient(job),
  '@bot/http RestClient, callSites: true': (job) => restClient(job, true),
};

runChild<RestJob, ThroughputResult>(async (job) => {
  const send = CLIENTS[job.contender](job);
  const meter = new ThroughputMeter(job.warmup, job.requests);
  const total = job.warmup + job.requests;
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total) {
      started += 1;
      await send();
      meter.count();
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  return meter.done;
});

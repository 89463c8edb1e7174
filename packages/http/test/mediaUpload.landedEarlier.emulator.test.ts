import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { AbortedAfterSendError, BotApi, MediaFileType, MediaUploadError, RestClient } from '@bot/http';
import type { Emulator } from '@bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BLOCK,
  GROUP,
  mediaRestClient,
  pattern,
  SMALL,
  startMediaEmulator,
} from './support/mediaEmulator.js';

// A step of a chunked upload (the completion, a part finish) asked again keeps in mind the first
// attempt that failed unanswered (a 5xx after the platform acted): whatever the later attempts
// fail with (a 429 given up, a refusal) or however the upload is stopped, it says it may have
// reached the platform. And an attempt the platform answered but never acted on (a 429) is no
// reason to call a later refusal a lost completion.

const FILES = 'POST /v2/groups/{group_openid}/files';
const PART_FINISH = 'POST /v2/groups/{group_openid}/upload_part_finish';
const VIDEO = { fileType: MediaFileType.Video, ...SMALL, concurrency: 1 } as const;
// Asks a wait past the client's maxRateLimitWait: the client gives the call up at once.
const LIMITED = { status: 429, retryAfter: 600 } as const;

describe('an upload step asked again after an attempt that may have landed', () => {
  let emulator: Emulator;
  let rest: RestClient;
  let api: BotApi;
  let statuses: unknown[];
  const answered = (route: string, status: number) =>
    emulator.recorder.records.filter((r) => r.kind === 'rest' && r.route === route && r.status === status)
      .length;

  beforeEach(async () => {
    emulator = await startMediaEmulator();
    rest = mediaRestClient(emulator);
    api = new BotApi(rest);
    statuses = [];
    rest.on('attempt', (attempt) => statuses.push(attempt.status ?? attempt.failure));
  });
  afterEach(async () => {
    rest.destroy();
    await emulator.stop();
  });

  /** Rate limits the route's next calls once one of them failed with a 502. */
  const limitAfter502 = (route: string, times: number) =>
    rest.on('attempt', (attempt) => {
      if (attempt.status === 502) emulator.faults.failRoute(route, { ...LIMITED, times });
    });

  it.each(['caller', 'shutdown'] as const)(
    'completion 502 after the platform completed, then a 429 given up; stopped (%s) in the next wait: may have been sent',
    async (stop) => {
      emulator.uploads.failCompletion({ status: 502, landed: true });
      limitAfter502(FILES, 1);
      const caller = new AbortController();
      const upload = api.groups
        .uploadMedia(GROUP.id, pattern(2 * BLOCK), {
          ...VIDEO,
          retryBackoff: { base: 2_000, max: 2_000 },
          signal: caller.signal,
        })
        .catch((e: unknown) => e);
      while (!statuses.includes(429)) await delay(2);
      await delay(50); // the 429 has been given up: the upload waits to ask a third time
      const reason = new Error('operator cancelled');
      if (stop === 'caller') caller.abort(reason);
      else rest.destroy();
      const error = await upload;
      if (stop === 'caller') {
        expect(error).toBeInstanceOf(AbortedAfterSendError);
        expect(error).toMatchObject({ mayHaveBeenSent: true, route: FILES.slice('POST '.length) });
        expect((error as Error).cause).toBe(reason);
      } else {
        expect(error).toMatchObject({ stage: 'shutdown', mayHaveBeenSent: true });
        // Stopped in a wait, not in a request: the message says which request may have landed.
        expect((error as Error).message).toMatch(
          /an earlier attempt \(POST \/v2\/groups\/\{group_openid\}\/files\) failed without an answer and may have reached the platform/,
        );
        expect((error as Error).message).not.toMatch(/cut off in had gone out/);
      }
      expect(answered(FILES, 502)).toBe(1);
    },
  );

  it('completion 502 after the platform completed, then 429s to the last attempt: stage complete, may have been sent', async () => {
    emulator.uploads.failCompletion({ status: 502, landed: true });
    limitAfter502(FILES, 2);
    const error = await api.groups.uploadMedia(GROUP.id, pattern(2 * BLOCK), VIDEO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'complete', attempts: 3, mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(/an earlier attempt failed without an answer \(.*502/);
  });

  it('a completion rate limited, then refused: stage complete, not completionLost, and not sent', async () => {
    emulator.faults.failRoute(FILES, { status: 429, retryAfter: 1 });
    emulator.faults.failRoute(FILES, { status: 400, code: 850012, message: 'refused' });
    // A one-second Retry-After past this cap is given up, the route paused only this long.
    rest.destroy();
    rest = mediaRestClient(emulator, { maxRateLimitWait: 100 });
    api = new BotApi(rest);
    const error = await api.groups.uploadMedia(GROUP.id, pattern(2 * BLOCK), VIDEO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'complete', attempts: 2, code: 850012, mayHaveBeenSent: false });
    expect(answered(FILES, 429)).toBe(1);
    expect(answered(FILES, 400)).toBe(1);
  });

  it('a part finish 502 after the platform acted, then a 429 given up, out of retries: stage part, may have been sent', async () => {
    emulator.faults.failRoute(PART_FINISH, { status: 502, afterHandling: true });
    limitAfter502(PART_FINISH, 1);
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { ...VIDEO, partRetries: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'part', attempts: 2, mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(/an earlier attempt failed without an answer \(.*502/);
  });

  it('a part finish 502 after the platform acted, then shut down in the wait: says which request may have landed', async () => {
    emulator.faults.failRoute(PART_FINISH, { status: 502, afterHandling: true });
    const upload = api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { ...VIDEO, retryBackoff: { base: 5_000, max: 5_000 } })
      .catch((e: unknown) => e);
    while (!statuses.includes(502)) await delay(2);
    await delay(50);
    rest.destroy();
    const error = await upload;
    expect(error).toMatchObject({ stage: 'shutdown', mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(
      /an earlier attempt \(POST \/v2\/groups\/\{group_openid\}\/upload_part_finish\) failed without an answer/,
    );
  });
});

describe('a files call answered 200 with an unusable answer', () => {
  let emulator: Emulator;
  let proxy: http.Server;
  let rest: RestClient;
  let rewrite: (answer: Record<string, unknown>) => Record<string, unknown>;

  beforeEach(async () => {
    emulator = await startMediaEmulator();
    // Passes every call to the emulator, and rewrites the body of a `files` call's 200: the
    // platform has taken the file, the client reads an answer it cannot use.
    proxy = http.createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] =>
              typeof e[1] === 'string' && !['host', 'connection', 'content-length'].includes(e[0]),
          ),
        );
        const upstream = await fetch(new URL(req.url ?? '/', emulator.restUrl), {
          method: req.method ?? 'GET',
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        let body = Buffer.from(await upstream.arrayBuffer());
        if (req.method === 'POST' && req.url === `/v2/groups/${GROUP.id}/files` && upstream.status === 200)
          body = Buffer.from(JSON.stringify(rewrite(JSON.parse(body.toString()) as Record<string, unknown>)));
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
          'content-length': String(body.length),
        });
        res.end(body);
      })().catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    rest = mediaRestClient(emulator, {
      baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    });
  });
  afterEach(async () => {
    rest.destroy();
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await emulator.stop();
  });

  it.each([
    ['plain', 1000, 'a ttl that is no number', (a: Record<string, unknown>) => ({ ...a, ttl: 'soon' })],
    ['complete', 2 * BLOCK, 'no file_info', ({ file_info: _, ...a }: Record<string, unknown>) => a],
  ] as const)(
    'stage %s (%i bytes) answered with %s: the platform took the file',
    async (stage, size, _, change) => {
      rewrite = change;
      const error = await new BotApi(rest).groups
        .uploadMedia(GROUP.id, pattern(size), stage === 'plain' ? { fileType: MediaFileType.Image } : VIDEO)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaUploadError);
      expect(error).toMatchObject({ stage, mayHaveBeenSent: true });
      expect(
        emulator.recorder.records.filter((r) => r.kind === 'rest' && r.route === FILES && r.status === 200),
      ).toHaveLength(1);
    },
  );
});

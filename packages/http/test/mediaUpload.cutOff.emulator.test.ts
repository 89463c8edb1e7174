import { setTimeout as delay } from 'node:timers/promises';
import { AbortedAfterSendError, BotApi, MediaFileType, MediaUploadError, RestClient } from '@bot/http';
import type { Emulator } from '@bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnswerHoldingProxy } from './support/answerHoldingProxy.js';
import {
  BLOCK,
  GROUP,
  mediaRestClient,
  pattern,
  SMALL,
  startMediaEmulator,
} from './support/mediaEmulator.js';

// An upload its own deadline or the REST client's shutdown cuts off says whether it may have
// reached the platform, as a send cut off by its caller's signal does (AbortedAfterSendError):
// `mayHaveBeenSent` is true when the request it was cut off in had gone out (the platform may
// hold the upload), false when it was cut off before (waiting out a 429, reading the source).
// The emulator's answers pass through a proxy that holds them back on demand: the platform
// took the request, the client has read nothing of the answer.

const FILES = 'POST /v2/groups/{group_openid}/files';
const PART_FINISH = 'POST /v2/groups/{group_openid}/upload_part_finish';
const FILES_PATH = `/v2/groups/${GROUP.id}/files`;
const PART_FINISH_PATH = `/v2/groups/${GROUP.id}/upload_part_finish`;
const IMAGE = { fileType: MediaFileType.Image } as const;

describe('an upload cut off by its deadline or by shutdown', () => {
  let emulator: Emulator;
  let proxy: AnswerHoldingProxy;
  let rest: RestClient;
  let api: BotApi;
  const filesAnswered = () =>
    emulator.recorder.records.filter((r) => r.kind === 'rest' && r.route === FILES && r.status === 200)
      .length;
  /**
   * Until the proxy holds `count` answers, or `upload` settled first (then the test's own checks
   * say what happened, where waiting on would hang until the test's timeout).
   */
  const heldOnce = async (count = 1, upload?: Promise<unknown>) => {
    let settled = false;
    void upload?.finally(() => (settled = true));
    while (proxy.held < count && !settled) await delay(2);
  };

  beforeEach(async () => {
    emulator = await startMediaEmulator();
    proxy = await AnswerHoldingProxy.start(emulator.restUrl);
    rest = mediaRestClient(emulator, { baseUrl: proxy.url });
    api = new BotApi(rest);
  });
  afterEach(async () => {
    rest.destroy();
    proxy.release();
    await proxy.stop();
    await emulator.stop();
  });

  it('its deadline passing once the files call went out: stage deadline, may have been sent', async () => {
    proxy.hold = (method, path) => method === 'POST' && path === FILES_PATH;
    const upload = api.groups
      // Long enough for the token and the files call to be made on a loaded machine first.
      .uploadMedia(GROUP.id, pattern(1000), { ...IMAGE, deadline: 2_000 })
      .catch((e: unknown) => e);
    await heldOnce(1, upload);
    const error = await upload;
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'deadline', mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(
      /the request it was cut off in had gone out and may have reached/,
    );
    // The platform took it: only its answer was lost.
    expect(filesAnswered()).toBe(1);
  });

  it('shut down once the files call went out: stage shutdown, may have been sent', async () => {
    proxy.hold = (method, path) => method === 'POST' && path === FILES_PATH;
    const upload = api.groups.uploadMedia(GROUP.id, pattern(1000), IMAGE).catch((e: unknown) => e);
    await heldOnce();
    rest.destroy();
    const error = await upload;
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'shutdown', mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(/may have reached the platform/);
  });

  it('past its deadline while waiting out a 429 before its retry: nothing of it was taken', async () => {
    emulator.faults.failRoute(FILES, { status: 429, retryAfter: 5 });
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(1000), { ...IMAGE, deadline: 300 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: 'deadline', mayHaveBeenSent: false });
    expect((error as Error).message).not.toMatch(/may have reached the platform/);
    expect(filesAnswered()).toBe(0);
  });

  it('shut down while waiting out a 429 before its retry: nothing of it was taken', async () => {
    emulator.faults.failRoute(FILES, { status: 429, retryAfter: 5 });
    let limited = 0;
    rest.on('rateLimited', () => limited++);
    const upload = api.groups.uploadMedia(GROUP.id, pattern(1000), IMAGE).catch((e: unknown) => e);
    while (limited === 0) await delay(2); // the 429 has been read: the call waits out its pause
    rest.destroy();
    expect(await upload).toMatchObject({ stage: 'shutdown', mayHaveBeenSent: false });
    expect(filesAnswered()).toBe(0);
  });

  it('a chunked upload past its deadline in its completion: may have been sent', async () => {
    proxy.hold = (method, path) => method === 'POST' && path === FILES_PATH;
    const upload = api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { fileType: MediaFileType.Video, ...SMALL, deadline: 500 })
      .catch((e: unknown) => e);
    await heldOnce();
    const error = await upload;
    expect(error).toMatchObject({ stage: 'deadline', mayHaveBeenSent: true });
    expect(filesAnswered()).toBe(1);
  });

  it('a chunked upload shut down while its parts are stored: not sent', async () => {
    const release = emulator.uploads.holdParts();
    try {
      const upload = api.groups
        .uploadMedia(GROUP.id, pattern(2 * BLOCK), { fileType: MediaFileType.Video, ...SMALL })
        .catch((e: unknown) => e);
      while (emulator.uploads.inFlightParts < 1) await delay(2);
      rest.destroy();
      expect(await upload).toMatchObject({ stage: 'shutdown', mayHaveBeenSent: false });
    } finally {
      release();
    }
  });

  it.each([
    ['its completion', FILES_PATH],
    ['a part finish', PART_FINISH_PATH],
  ])(
    'a chunked upload its caller aborts in %s: an AbortedAfterSendError, as for a one-call upload',
    async (_, held) => {
      proxy.hold = (method, path) => method === 'POST' && path === held;
      const caller = new AbortController();
      const upload = api.groups
        .uploadMedia(GROUP.id, pattern(2 * BLOCK), {
          fileType: MediaFileType.Video,
          ...SMALL,
          concurrency: 1,
          signal: caller.signal,
        })
        .catch((e: unknown) => e);
      await heldOnce();
      const reason = new Error('operator cancelled');
      caller.abort(reason);
      const error = await upload;
      expect(error).toBeInstanceOf(AbortedAfterSendError);
      expect(error).toMatchObject({ mayHaveBeenSent: true });
      expect((error as Error).cause).toBe(reason);
    },
  );

  it.each([
    ['completion', 'caller'],
    ['completion', 'deadline'],
    ['part finish', 'caller'],
    ['part finish', 'deadline'],
  ] as const)(
    'a chunked upload whose %s failed unanswered, stopped (%s) while it waits to ask again: may have been sent',
    async (step, stop) => {
      const route = step === 'completion' ? FILES : PART_FINISH;
      if (step === 'completion') emulator.uploads.failCompletion({ status: 502, landed: true });
      else emulator.faults.failRoute(PART_FINISH, { status: 502, afterHandling: true });
      let lost = 0;
      rest.on('attempt', (attempt) => (lost += attempt.status === 502 ? 1 : 0));
      const caller = new AbortController();
      const upload = api.groups
        .uploadMedia(GROUP.id, pattern(2 * BLOCK), {
          fileType: MediaFileType.Video,
          ...SMALL,
          concurrency: 1,
          retryBackoff: { base: 5_000, max: 5_000 },
          ...(stop === 'caller' ? { signal: caller.signal } : { deadline: 1_000 }),
        })
        .catch((e: unknown) => e);
      while (lost === 0) await delay(2);
      const reason = new Error('operator cancelled');
      if (stop === 'caller') caller.abort(reason);
      const error = await upload;
      if (stop === 'caller') {
        expect(error).toBeInstanceOf(AbortedAfterSendError);
        expect(error).toMatchObject({ mayHaveBeenSent: true, route: route.slice('POST '.length) });
        expect((error as Error).cause).toBe(reason);
      } else {
        expect(error).toMatchObject({ stage: 'deadline', mayHaveBeenSent: true });
        // Past its deadline in a wait, not in a request: the message names the earlier attempt.
        expect((error as Error).message).toContain(`an earlier attempt (${route}) failed without an answer`);
        expect((error as Error).message).not.toMatch(/cut off in had gone out/);
      }
    },
  );

  it("the files call's own timeout once it went out: stage plain, may have been sent", async () => {
    proxy.hold = (method, path) => method === 'POST' && path === FILES_PATH;
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(1000), { ...IMAGE, timeout: 300 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: 'plain', mayHaveBeenSent: true });
  });

  it('refused by the platform: not sent', async () => {
    emulator.faults.failRoute(FILES, { status: 400, code: 850012, message: 'bad file' });
    const error = await api.groups.uploadMedia(GROUP.id, pattern(1000), IMAGE).catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: 'plain', mayHaveBeenSent: false });
  });
});

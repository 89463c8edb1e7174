import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ApiError, MediaFileType, MediaUploadError } from '@bot/http';
import { SEED } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// Between the caller's code and request() may stand any number of the framework's frames (one
// method calling another, awaits in between): the stack must still reach the caller's line.

const GROUP = SEED.groups.bookClub;
const IMAGE = { file_type: 1, url: 'https://example.com/a.png' } as const;

describe('errors show the caller of a method that sends through more framework code', () => {
  const setup = useEmulatorRest();

  it('a failed sendMedia names its caller when the send after the upload fails', async () => {
    setup.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', { status: 400 });
    async function sendMediaFromUserCode(): Promise<unknown> {
      return setup.api.groups.sendMedia(GROUP, IMAGE, { msg_id: 'm1' });
    }
    const error = await sendMediaFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).stack).toMatch(/\n\s+at sendMediaFromUserCode /);
  });

  it('a failed sendMedia names its caller when the upload fails', async () => {
    setup.emulator.faults.failRoute('POST /v2/groups/{group_openid}/files', { status: 400 });
    async function sendMediaFromUserCode(): Promise<unknown> {
      return setup.api.groups.sendMedia(GROUP, IMAGE, { msg_id: 'm1' });
    }
    const error = await sendMediaFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).stack).toMatch(/\n\s+at sendMediaFromUserCode /);
  });

  it('a failed uploadMedia names its caller, on the upload error and on the API error it wraps', async () => {
    setup.emulator.faults.failRoute('POST /v2/groups/{group_openid}/files', { status: 400 });
    async function uploadFromUserCode(): Promise<unknown> {
      return setup.api.groups.uploadMedia(GROUP, new URL(IMAGE.url), { fileType: MediaFileType.Image });
    }
    const error = await uploadFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect((error as Error).stack).toMatch(/\n\s+at uploadFromUserCode /);
    expect((error as Error).cause).toBeInstanceOf(ApiError);
    expect(((error as Error).cause as Error).stack).toMatch(/\n\s+at uploadFromUserCode /);
  });

  it('a failed page of panels.all() names the loop that reads it', async () => {
    setup.emulator.faults.failRoute('GET /v2/panels', { status: 400 });
    async function listPanelsFromUserCode(): Promise<unknown[]> {
      const found: unknown[] = [];
      for await (const record of setup.api.panels.all('group')) found.push(record);
      return found;
    }
    const error = await listPanelsFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).stack).toMatch(/\n\s+at listPanelsFromUserCode /);
  });
});

// A capture per call (`callSites: true`) made after an await: V8 fills the frames it keeps from
// the awaiting async functions. (The default reads them when the call fails.)
describe('errors show the caller when it resumed after an await, with callSites: true', () => {
  const setup = useEmulatorRest();

  it('a direct request() shows the caller, and its caller from the awaiting async functions', async () => {
    setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
    const { rest } = setup.client({ callSites: true });
    async function handlerAfterAwait(): Promise<unknown> {
      await delay(1);
      return rest.request({ method: 'GET', route: '/users/@me' });
    }
    async function dispatcherOfUser(): Promise<unknown> {
      return await handlerAfterAwait();
    }
    const error = await dispatcherOfUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).stack).toMatch(
      /\n\s+at handlerAfterAwait [^\n]*\n\s+at (async )?dispatcherOfUser /,
    );
  });

  it('an endpoint call shows the caller', async () => {
    setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
    const api = setup.client({ callSites: true });
    async function handlerAfterAwait(): Promise<unknown> {
      await delay(1);
      return api.users.me();
    }
    const error = await handlerAfterAwait().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).stack).toMatch(/\n\s+at handlerAfterAwait /);
  });

  it.each([
    ['upload', 'files', false],
    ['upload', 'files', true],
    ['send', 'messages', false],
    ['send', 'messages', true],
  ] as const)(
    'a sendMedia whose %s (POST …/%s) fails, awaited after an await, names its caller once (callSites: %s)',
    async (_, route, callSites) => {
      const api = callSites ? setup.client({ callSites }) : setup.api;
      // The token first: the call's failure is then the route's, met in a later turn.
      await api.users.me();
      setup.emulator.faults.failRoute(`POST /v2/groups/{group_openid}/${route}`, { status: 400 });
      async function mediaSender(): Promise<unknown> {
        await delay(1);
        return await api.groups.sendMedia(GROUP, IMAGE, { msg_id: 'm1' });
      }
      const error = await mediaSender().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      const stack = (error as Error).stack ?? '';
      // V8 shows the awaiting function (`at async mediaSender`); the recorded site must not repeat it.
      expect(stack.match(/\n\s+at (?:async )?mediaSender /g)).toHaveLength(1);
    },
  );
});

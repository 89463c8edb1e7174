import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { BotApi, createLogger, RestClient, Token, type RestClientOptions } from '@bot/http';
import { Emulator, SEED } from '@bot/testing';

/** The block size the media tests prepare uploads with: the smallest `readUploadPlan` takes. */
export const BLOCK = 64 * 1024;
/** A group of the emulator's seed, as an upload target. */
export const GROUP = { scene: 'group', id: SEED.groups.bookClub } as const;
/** Small blocks and a low threshold, so a few hundred KiB exercise the whole chunked flow. */
export const SMALL = { chunkedThreshold: BLOCK, retryBackoff: { base: 1, max: 4 } } as const;

/** `size` bytes of a pattern that differs with `seed`. */
export function pattern(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** Starts an emulator that prepares uploads in {@link BLOCK}-sized blocks. */
export async function startMediaEmulator(): Promise<Emulator> {
  const emulator = await Emulator.start();
  emulator.uploads.configure({ blockSize: BLOCK });
  return emulator;
}

/**
 * A REST client with `emulator`'s credentials and a quiet logger, calling the emulator unless
 * `overrides` names another base URL (a proxy in front of it).
 */
export function mediaRestClient(emulator: Emulator, overrides: Partial<RestClientOptions> = {}): RestClient {
  return new RestClient({
    token: new Token(emulator.appId, emulator.secret),
    baseUrl: emulator.restUrl,
    tokenUrl: emulator.tokenUrl,
    logger: createLogger('test', 7),
    ...overrides,
  });
}

/** An emulator, a REST client and API on it, and a private directory, made fresh for each test. */
export interface MediaContext {
  emulator: Emulator;
  rest: RestClient;
  api: BotApi;
  /** A private directory for files and spools, removed after the test. */
  directory: string;
  /** REST calls the emulator recorded on a route template. */
  restCalls(route: string): number;
  /** Directories a spool made in `directory`. */
  spools(): Promise<string[]>;
}

/** Registers the hooks that set up and tear down a {@link MediaContext}; read it inside tests. */
export function useMediaEmulator(): MediaContext {
  const context = {} as MediaContext;
  beforeEach(async () => {
    context.emulator = await startMediaEmulator();
    context.rest = mediaRestClient(context.emulator);
    context.api = new BotApi(context.rest);
    context.directory = await mkdtemp(join(tmpdir(), 'media-test-'));
    context.restCalls = (route) =>
      context.emulator.recorder.records.filter((r) => r.kind === 'rest' && r.route === route).length;
    context.spools = async () =>
      (await readdir(context.directory)).filter((name) => name.startsWith('bot-media-'));
  });
  afterEach(async () => {
    context.rest.destroy();
    await context.emulator.stop();
    await rm(context.directory, { recursive: true, force: true });
  });
  return context;
}

/**
 * Under `exactOptionalPropertyTypes` a bot forwarding `number | undefined` from its config passes
 * an explicit `undefined`; the emulator must read it as a missing option and apply the default.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { resolveOptions, type EmulatorOptions } from '../src/EmulatorOptions.js';

const ALL_UNDEFINED: Required<EmulatorOptions> = {
  appId: undefined,
  secret: undefined,
  host: undefined,
  port: undefined,
  shards: undefined,
  sessionStartLimit: {
    total: undefined,
    remaining: undefined,
    resetAfter: undefined,
    maxConcurrency: undefined,
  },
  pacing: undefined,
  identifyWindow: undefined,
  heartbeatInterval: undefined,
  heartbeatTimeout: undefined,
  tokenLifetime: undefined,
  auditMode: undefined,
  grantedIntents: undefined,
  replyWindows: { c2c: undefined, group: undefined, guild: undefined, dm: undefined },
  resumeWindow: undefined,
  strictResume: undefined,
  resumeBufferSize: undefined,
  maxFrameBytes: undefined,
  maxBodyBytes: undefined,
  webhook: { url: undefined, validate: undefined, retryDelays: undefined, timeout: undefined },
  recordLimit: undefined,
  logger: undefined,
};

describe('Emulator options given as explicit undefined', () => {
  it('resolve to the same defaults as options left out', () => {
    expect(resolveOptions(ALL_UNDEFINED)).toEqual(resolveOptions({}));
  });

  it('keep the default of a reply window left undefined beside one that is set', () => {
    const resolved = resolveOptions({ replyWindows: { c2c: 1_000, group: undefined } });
    const defaults = resolveOptions({}).replyWindows;
    expect(resolved.replyWindows).toEqual({ ...defaults, c2c: 1_000 });
  });

  it('start an emulator on a free port', async () => {
    const emu = await Emulator.start(ALL_UNDEFINED);
    try {
      expect(Number(new URL(emu.restUrl).port)).toBeGreaterThan(0);
      expect(emu.secret).toBe(resolveOptions({}).secret);
    } finally {
      await emu.stop();
    }
  });
});

describe('Emulator settings changed with an explicit undefined', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await Emulator.start();
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('uploads.configure keeps a setting given as undefined and changes the others', () => {
    const before = emu.uploads.settings;
    emu.uploads.configure({ blockSize: undefined, concurrency: 2 });
    expect(emu.uploads.settings).toEqual({ ...before, concurrency: 2 });
  });

  it('richContent.set keeps a grant given as undefined and changes the others', () => {
    emu.richContent.set({ keyboards: false });
    emu.richContent.set({ keyboards: undefined, nativeMarkdown: false });
    expect(emu.richContent.current.keyboards).toBe(false);
    expect(emu.richContent.current.nativeMarkdown).toBe(false);
    expect(emu.richContent.current.markdownTemplates).toBe(true);
  });
});

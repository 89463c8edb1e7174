import { afterEach, beforeEach, vi } from 'vitest';
import { Emulator } from '@bot/testing';
import { call, type Answer } from '../helpers/http.js';

/** The emulator of the running test and an access token of its bot. */
export interface EmulatorOfTest {
  /** The emulator started for this test. */
  readonly emu: Emulator;
  /** An access token the emulator issued to its bot. */
  readonly token: string;
  /** `POST path` on the emulator's REST API with `body` as JSON, authorized with {@link EmulatorOfTest.token}. */
  post(path: string, body: unknown): Promise<Answer<Record<string, unknown>>>;
}

/**
 * Starts an emulator with its defaults before each test of the enclosing block and takes an access
 * token; after the test gives back the real clock and stops it. Read the fields inside tests and hooks.
 */
export function useEmulatorOfTest(): EmulatorOfTest {
  let current: { emu: Emulator; token: string } | undefined;
  beforeEach(async () => {
    const emu = await Emulator.start();
    current = { emu, token: emu.createAccessToken() };
  });
  afterEach(async () => {
    vi.useRealTimers();
    await current?.emu.stop();
    current = undefined;
  });
  const started = () => {
    if (current === undefined) throw new Error('read the emulator inside a test or hook');
    return current;
  };
  return {
    get emu() {
      return started().emu;
    },
    get token() {
      return started().token;
    },
    post(path, body) {
      const { emu, token } = started();
      return call<Record<string, unknown>>(emu.restUrl, 'POST', path, { token, body });
    },
  };
}

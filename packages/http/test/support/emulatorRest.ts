import { afterEach, beforeEach } from 'vitest';
import { BotApi, createLogger, RestClient, Token, type RestClientOptions } from '@bot/http';
import { Emulator } from '@bot/testing';

/** A fresh emulator for each test and clients pointed at it. */
export interface EmulatorRest {
  /** The emulator of the running test. */
  readonly emulator: Emulator;
  /** A `RestClient` with the emulator's credentials and a short back-off (5–20 ms). */
  readonly rest: RestClient;
  /** A `BotApi` over {@link EmulatorRest.rest}. */
  readonly api: BotApi;
  /** Another `BotApi` against the emulator, its client made with `overrides`, destroyed after the test. */
  client(overrides: Partial<RestClientOptions>): BotApi;
}

/**
 * Starts an emulator and a REST client against it before each test of the enclosing block, and
 * destroys the client and stops the emulator after it. Read the fields inside tests and hooks.
 */
export function useEmulatorRest(): EmulatorRest {
  let current: { emulator: Emulator; rest: RestClient; api: BotApi } | undefined;
  let extra: RestClient[] = [];
  const restClient = (emulator: Emulator, overrides: Partial<RestClientOptions> = {}): RestClient =>
    new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
      logger: createLogger('test', 7),
      backoff: { base: 5, max: 20 },
      ...overrides,
    });
  beforeEach(async () => {
    const emulator = await Emulator.start();
    const rest = restClient(emulator);
    current = { emulator, rest, api: new BotApi(rest) };
  });
  afterEach(async () => {
    current?.rest.destroy();
    for (const each of extra) each.destroy();
    extra = [];
    await current?.emulator.stop();
    current = undefined;
  });
  const started = () => {
    if (current === undefined) throw new Error('read the emulator inside a test or hook');
    return current;
  };
  return {
    get emulator() {
      return started().emulator;
    },
    get rest() {
      return started().rest;
    },
    get api() {
      return started().api;
    },
    client(overrides) {
      const rest = restClient(started().emulator, overrides);
      extra.push(rest);
      return new BotApi(rest);
    },
  };
}

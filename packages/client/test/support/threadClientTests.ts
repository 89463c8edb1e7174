import { afterEach } from 'vitest';
import { Emulator } from '@bot/testing';

/** Where a thread client fixture reaches the emulator: what every fixture's data starts with. */
export interface EmulatorReach {
  appId: string;
  secret: string;
  restUrl: string;
  tokenUrl: string;
}

/**
 * What a thread client test file shares: a list of things to stop after each test (in reverse
 * order, registered with `afterEach`), an emulator per test, and the data its fixture is handed.
 */
export function threadClientTests(): {
  /** Stopped after the test, last registered first. */
  stops: Array<() => Promise<unknown>>;
  /** An emulator for one test, stopped after it. */
  startEmulator(): Promise<Emulator>;
  /** What each thread's client is handed to reach `emulator`, with the fixture's `extra` settings. */
  dataFor<Data extends EmulatorReach>(
    emulator: Emulator,
    extra?: Omit<Partial<Data>, keyof EmulatorReach>,
  ): Data;
} {
  const stops: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return {
    stops,
    async startEmulator() {
      const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
      stops.push(() => emulator.stop());
      return emulator;
    },
    dataFor<Data extends EmulatorReach>(emulator: Emulator, extra = {}): Data {
      const { appId, secret, restUrl, tokenUrl } = emulator;
      return { appId, secret, restUrl, tokenUrl, ...extra } as Data;
    },
  };
}

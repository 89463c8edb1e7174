import { afterEach, beforeEach, vi } from 'vitest';
import { FakeGateway, type FakeGatewayOptions } from './FakeGateway.js';
import { useFakeClock } from './harness.js';

/** The fake gateway of the running test. */
export interface FakeGatewayOfTest {
  /** The gateway started for this test; read it inside tests and hooks. */
  readonly gateway: FakeGateway;
}

/**
 * Puts each test of the enclosing block on the fake clock with a fake gateway of its own, started
 * with `options`; after the test closes it, restores every spy and gives back the real clock.
 */
export function useFakeGateway(options: FakeGatewayOptions = {}): FakeGatewayOfTest {
  let current: FakeGateway | undefined;
  beforeEach(async () => {
    useFakeClock();
    current = await FakeGateway.start(options);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.useRealTimers();
    await current?.close();
    current = undefined;
  });
  return {
    get gateway() {
      if (current === undefined) throw new Error('read the fake gateway inside a test or hook');
      return current;
    },
  };
}

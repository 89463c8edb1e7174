import { describe, expect, vi } from 'vitest';
import { RedisSessionStore } from '@bot/gateway/redis';
import { emulatorTest } from '../../support/emulatorTest.js';
import { useRedisFixture } from './redisFixture.js';

// The order of two teardowns: a manager emulatorTest shuts down after the test may still write
// through a connection the Redis fixture closes after that test.

const fixture = useRedisFixture();

describe('a manager keeping its sessions through a connection the Redis fixture closes', () => {
  const errors: unknown[] = [];

  emulatorTest('(runs until ready)', async ({ emulatorOfTest }) => {
    const { connection } = await fixture.connectThroughLink();
    const emulator = await emulatorOfTest.startEmulator({ pacing: 'instant' });
    const store = new RedisSessionStore(connection, fixture.namespace(emulator.appId));
    const manager = emulatorOfTest.manager({ sessionStore: store });
    manager.on('error', (error: unknown) => errors.push(error));
    void manager.start();
    await vi.waitFor(() => expect(manager.status()[0]?.state).toBe('ready'));
  });

  emulatorTest('is shut down before that connection closes, so its last save is not lost', () => {
    expect(errors.map(String)).toEqual([]);
  });
});

import { describe, expect, onTestFinished } from 'vitest';
import { NetworkError } from '@bot/http';
import { GatewayError, type IdentifyQueue, type Shard } from '@bot/gateway';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, capturingLogger, makeShard, roomyQueue, useFakeClock } from './support/harness.js';

/** An identify queue whose turns cannot be had: its store is out of reach. */
function unreachableQueue(): IdentifyQueue {
  const queue = roomyQueue();
  return Object.assign(Object.create(queue) as IdentifyQueue, {
    wait: () => Promise.reject(new Error('redis://127.0.0.1:6390 is unreachable: connect ECONNREFUSED')),
  });
}

/** Starts `shard` (closed when the test ends) and waits for the first error it reports. */
async function firstErrorOf(shard: Shard): Promise<GatewayError> {
  const errors: GatewayError[] = [];
  shard.on('error', (error) => errors.push(error as GatewayError));
  onTestFinished(async () => {
    await shard.close();
  });
  void shard.start().catch(() => undefined);
  await advanceUntil(() => errors.length > 0, 30_000, 50);
  return errors[0]!;
}

describe('a shard whose setup failed says which step failed, and why', () => {
  emulatorTest(
    'an identify turn that could not be had: the error and the log line name the identify queue and its cause, not the token',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator();
      const { logger, lines } = capturingLogger();
      const { shard } = makeShard(emulator.gatewayUrl, { identifyQueue: unreachableQueue(), logger });
      const error = await firstErrorOf(shard);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error.message).toContain('could not get an identify turn from the identify queue');
      expect(error.message).toContain('connect ECONNREFUSED');
      expect(error.message).not.toContain('access token');
      const retry = (): string | undefined =>
        lines.find((line) => line.includes('reconnect attempt 1 failed'));
      await advanceUntil(() => retry() !== undefined, 30_000, 50);
      expect(retry()).toContain('could not get an identify turn from the identify queue');
      expect(retry()).toContain('connect ECONNREFUSED');
    },
  );

  emulatorTest(
    'an access token that could not be had: the error names the token and its cause, not the identify queue',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator();
      const { shard, tokens } = makeShard(emulator.gatewayUrl);
      tokens.failWith = new NetworkError('POST', '/app/getAppAccessToken', 'ECONNREFUSED');
      const error = await firstErrorOf(shard);
      expect(error.message).toContain('could not get an access token');
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).not.toContain('identify turn');
    },
  );
});

import { afterEach, describe, expect, it } from 'vitest';
import { AbandonedEventsError, type ClientError } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let harness: Harness | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await harness?.emulator.stop();
  harness = undefined;
});

describe('READY and RESUMED at a shutdown that gives up', () => {
  it('a RESUMED queued behind a handler that never settles is abandoned without an unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    const errors: ClientError[] = [];
    let stuck = 0;
    let resumed = 0;
    harness = await startHarness(
      [
        {
          groupMessageCreate: () => {
            stuck += 1;
            return new Promise<void>(() => undefined); // never settles
          },
          resumed: () => void (resumed += 1),
          error: (error) => void errors.push(error),
        },
      ],
      (builder) => builder.dispatchPolicy({ mode: 'sequential' }),
    );
    const { client, emulator } = harness;
    emulator.simulate.groupAtMessage({ content: 'hold the lane' });
    await expect.poll(() => stuck).toBe(1);
    const readyCount = (): number =>
      client.shardManager.status().filter((status) => status.state === 'ready').length;
    emulator.faults.closeShard(0, 4009);
    await expect
      .poll(() => client.shardManager.shards.get(0)?.status().reconnects, { timeout: 10_000 })
      .toBe(1);
    await expect.poll(readyCount, { timeout: 10_000 }).toBe(1);

    await client.shutdown({ deadlineMs: 50 });
    await harness.running.catch(() => undefined);
    await sleep(20); // a rejection nobody handles is reported after a macrotask turn

    expect(resumed).toBe(0);
    const abandoned = errors.find(
      (error): error is AbandonedEventsError => error instanceof AbandonedEventsError,
    );
    expect(abandoned?.events.map((event) => [event.event, event.started])).toEqual([
      ['GROUP_AT_MESSAGE_CREATE', true],
      ['RESUMED', false],
    ]);
    expect(unhandled).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { AbandonedEventsError, type ClientError, type EventHandler, type GroupMessage } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps this thread busy: the worker thread meanwhile reads and posts what the emulator sent. */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

describe('Client.shutdown with shards on worker threads', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.emulator.stop();
    harness = undefined;
  });

  it('every event that crossed is handled before REST is released or reported as abandoned; no handler runs on after', async () => {
    const started = new Set<string>();
    const finished = new Set<string>();
    const abandoned = new Set<string>();
    let released = false;
    const afterRelease: string[] = [];
    let runningAtRelease: string[] = [];
    const handler: EventHandler = {
      async groupMessageCreate(_ctx, message: GroupMessage) {
        if (released) afterRelease.push(`started ${message.cleanContent}`);
        started.add(message.cleanContent);
        await sleep(20); // a reply over REST, say
        finished.add(message.cleanContent);
      },
      error(error: ClientError) {
        if (error instanceof AbandonedEventsError) {
          for (const event of error.events) {
            const payload = event.payload as { d?: { content?: string } };
            abandoned.add(String(payload.d?.content ?? '').trim());
          }
        }
      },
    };
    harness = await startHarness([handler], (builder) =>
      builder.workers(1, { maxBatch: 8, maxUnacked: 512 }).dispatchPolicy({ mode: 'concurrent', limit: 64 }),
    );
    const { client, emulator } = harness;
    const destroy = client.rest.destroy.bind(client.rest);
    client.rest.destroy = () => {
      released = true;
      runningAtRelease = [...started].filter((content) => !finished.has(content));
      destroy();
    };
    for (let index = 0; index < 200; index += 1) emulator.simulate.groupAtMessage({ content: String(index) });
    // The events pile up between the threads while this one is busy; the shutdown starts with them in flight.
    block(300);
    await client.shutdown({ deadlineMs: 5_000 });
    await harness.running.catch(() => undefined);
    expect(started.size).toBeGreaterThan(0);
    expect(afterRelease).toEqual([]);
    expect(runningAtRelease.filter((content) => !abandoned.has(content))).toEqual([]);
  }, 30_000);
});

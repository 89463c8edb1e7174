import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../src/workers/messages.js';
import type { ServedCalls } from '../../src/workers/ServedCalls.js';
import { StoppingThread } from '../../src/workers/StoppingThread.js';
import { ThreadLogLines } from '../../src/workers/ThreadLogLines.js';
import { capturingLogger } from '../support/harness.js';

/** A thread as the main thread sees it: what it was posted, and whether it was ended. */
class FakeThread extends EventEmitter {
  public readonly posted: ToWorker[] = [];
  public terminated = false;
  public postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  public terminate(): Promise<number> {
    this.terminated = true;
    this.emit('exit', 1);
    return Promise.resolve(1);
  }
}

const line = (n: number): Extract<FromWorker, { type: 'log' }> => ({
  type: 'log',
  level: 3,
  levelName: 'INFO',
  name: 'thread 0',
  args: [`close line ${n}`],
});
const facts = { ownsShard: () => true, maxBatch: 256, handlerModule: true };

function stopping() {
  const { logger, lines } = capturingLogger();
  const warnings: string[] = [];
  const thread = new FakeThread();
  const worker = thread as unknown as Worker;
  const stop = new StoppingThread((text) => warnings.push(text));
  const parts = { logs: new ThreadLogLines(() => logger), calls: {} as ServedCalls };
  stop.stop(worker, true);
  const receive = (message: FromWorker): void => stop.receive(worker, message, facts, parts);
  return { thread, receive, lines, warnings };
}

describe('StoppingThread: the log lines of a thread whose handler closes', () => {
  it('prints them and acknowledges them as a running thread is acknowledged, every 64, so more may come', () => {
    const { thread, receive, lines } = stopping();
    for (let n = 1; n <= 130; n += 1) receive(line(n));
    expect(lines.filter((printed) => printed.includes('close line'))).toHaveLength(130);
    const acks = thread.posted.filter((message) => message.type === 'ack');
    expect(acks).toEqual([
      { type: 'ack', dispatches: 0, logs: 64 },
      { type: 'ack', dispatches: 0, logs: 64 },
    ]);
  });

  it('warns of the lines the thread says it dropped, once, as it says it stopped; then ends it', () => {
    const { thread, receive, warnings } = stopping();
    receive({ type: 'stopped', droppedLogs: 12 });
    expect(warnings).toEqual([
      "dropped 12 log line(s) while its dispatch handler's close() ran, sent faster than this thread took them: log less in close()",
    ]);
    expect(thread.terminated).toBe(true);
  });
});

describe('ThreadLogLines counts the lines of each thread apart', () => {
  it('a thread still stopping and the one started after it are each acknowledged for their own lines', () => {
    const { logger } = capturingLogger();
    const logs = new ThreadLogLines(() => logger);
    const [stoppingThread, newThread] = [{}, {}];
    for (let n = 1; n <= 10; n += 1) expect(logs.print(newThread, line(n))).toBe(false);
    const due = Array.from({ length: 64 }, (_, n) => logs.print(stoppingThread, line(n)));
    expect(due.indexOf(true)).toBe(63);
    expect(logs.takeCount(stoppingThread)).toBe(64);
    expect(logs.takeCount(newThread)).toBe(10);
    expect(logs.takeCount(newThread)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { FromWorker } from '../../src/workers/messages.js';
import { Outbox } from '../../src/workers/Outbox.js';

describe("Outbox: how far a thread's handler got, in order", () => {
  it("crosses a shard's handled seq before anything that shard reports after it", () => {
    const sent: FromWorker[] = [];
    const outbox = new Outbox(
      (message) => sent.push(message),
      16,
      64,
      () => undefined,
    );
    outbox.handled(0, 9);
    outbox.handled(1, 4);
    outbox.push([0, 'debug', 'a new session']);
    outbox.handled(0, 1);
    outbox.flush();
    expect(sent).toEqual([
      {
        type: 'items',
        items: [
          [0, 'handled', 9],
          [0, 'debug', 'a new session'],
        ],
        dispatches: 0,
      },
      {
        type: 'items',
        items: [
          [1, 'handled', 4],
          [0, 'handled', 1],
        ],
        dispatches: 0,
      },
    ]);
  });

  it('sends only the last handled seq of each shard per message, in batches of maxBatch', () => {
    const sent: FromWorker[] = [];
    const outbox = new Outbox(
      (message) => sent.push(message),
      2,
      64,
      () => undefined,
    );
    for (let seq = 1; seq <= 5; seq++) outbox.handled(0, seq);
    outbox.handled(1, 7);
    outbox.handled(2, 8);
    outbox.flush();
    expect(sent).toEqual([
      {
        type: 'items',
        items: [
          [0, 'handled', 5],
          [1, 'handled', 7],
        ],
        dispatches: 0,
      },
      { type: 'items', items: [[2, 'handled', 8]], dispatches: 0 },
    ]);
  });
});

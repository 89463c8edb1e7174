/**
 * For any sequence of pauses and resumes by several holders, a shard reads if and only if no
 * holder holds it: checked on a live shard against the emulator, and on a worker shard's
 * main-thread side, which must tell its thread only the aggregate.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_PAUSE_HOLDER,
  type DispatchPayload,
  type PauseHolder,
  type ShardManager,
} from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import type { ToWorker } from '../src/workers/messages.js';
import type { WorkerLink } from '../src/workers/WorkerLink.js';
import { WorkerShard } from '../src/workers/WorkerShard.js';
import { emulatorManager, startEmulator } from './support/emulator.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

const OWN = Symbol('own');
const HOLDERS: readonly PauseHolder[] = ['publisher', 'lanes', 'shutdown', OWN, DEFAULT_PAUSE_HOLDER];

/** One step: a holder pauses or resumes (undefined: the call without a holder), or an event arrives. */
type Step = { kind: 'pause' | 'resume'; holder: PauseHolder | undefined } | { kind: 'event' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('pause' as const, 'resume' as const),
    holder: fc.constantFrom<PauseHolder | undefined>(...HOLDERS, undefined),
  }),
  fc.constant({ kind: 'event' as const }),
);

/** The oracle: the holders in the order they paused. */
function applyToModel(model: PauseHolder[], step: Step): void {
  if (step.kind === 'event') return;
  const holder = step.holder ?? DEFAULT_PAUSE_HOLDER;
  const at = model.indexOf(holder);
  if (step.kind === 'pause' && at === -1) model.push(holder);
  if (step.kind === 'resume' && at !== -1) model.splice(at, 1);
}

describe('a live shard reads iff no holder holds it', () => {
  let emulator: Emulator;
  let manager: ShardManager;

  beforeAll(async () => {
    useFakeClock();
    emulator = await startEmulator({ heartbeatInterval: 41_250, resumeBufferSize: 5_000 });
    manager = emulatorManager(emulator);
    manager.start().catch(() => undefined);
    await advanceUntil(() => manager.status()[0]?.state === 'ready', 10_000);
  });

  afterAll(async () => {
    await manager.shutdownAll();
    await emulator.stop();
    vi.useRealTimers();
  });

  it('for any sequence of pauses, resumes and events', async () => {
    const shard = manager.shards.get(0);
    if (shard === undefined) throw new Error('shard 0 is not running');
    let received = 0;
    manager.on('dispatch', (payload: DispatchPayload) => {
      if (payload.t === 'GROUP_AT_MESSAGE_CREATE') received += 1;
    });
    let published = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { maxLength: 12 }), async (steps) => {
        const model: PauseHolder[] = [];
        let receivedWhenHeld = received;
        for (const step of steps) {
          const wasHeld = model.length > 0;
          if (step.kind === 'event') {
            emulator.simulate.groupAtMessage({ content: `#${published}` });
            published += 1;
          } else if (step.kind === 'pause') shard.pause(step.holder);
          else shard.resume(step.holder);
          applyToModel(model, step);
          if (!wasHeld && model.length > 0) receivedWhenHeld = received;

          expect(shard.paused).toBe(model.length > 0);
          expect(shard.status().paused).toBe(model.length > 0);
          expect(shard.pausedBy).toEqual(model);
          if (model.length > 0) {
            await advanceBy(300, 100);
            expect(received).toBe(receivedWhenHeld);
          } else {
            await advanceUntil(() => received === published, 5_000);
          }
        }
        for (const holder of HOLDERS) shard.resume(holder);
        await advanceUntil(() => received === published, 5_000);
        expect(shard.state).toBe('ready');
      }),
      { numRuns: 30 },
    );
    expect(emulator.recorder.filter((record) => record.kind === 'open')).toHaveLength(1);
  });
});

describe('a worker shard tells its thread only the aggregate', () => {
  it('posts pause when the first holder pauses and resume when the last one resumes, nothing else', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 40 }), (steps) => {
        const posted: ToWorker['type'][] = [];
        const link: WorkerLink = {
          attach: () => undefined,
          post: (message) => posted.push(message.type) > 0,
          nextCall: () => 0,
          detach: () => undefined,
          unresponsive: () => undefined,
        };
        const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:1', link);
        const model: PauseHolder[] = [];
        let expected: ToWorker['type'][] = [];
        for (const step of steps) {
          if (step.kind === 'event') continue;
          const wasHeld = model.length > 0;
          if (step.kind === 'pause') shard.pause(step.holder);
          else shard.resume(step.holder);
          applyToModel(model, step);
          if (!wasHeld && model.length > 0) expected = [...expected, 'pause'];
          if (wasHeld && model.length === 0) expected = [...expected, 'resume'];
          expect(shard.paused).toBe(model.length > 0);
          expect(shard.status().paused).toBe(model.length > 0);
          expect(shard.pausedBy).toEqual(model);
        }
        expect(posted).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

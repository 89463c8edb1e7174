import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryIdentifyQueue, type IdentifyQueue } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, makeShard, useFakeClock } from './support/harness.js';

/** A socket event the test inflicts on the shard's current connection. */
type Fault =
  | { kind: 'close'; code: number }
  | { kind: 'drop' }
  | { kind: 'reconnect' }
  | { kind: 'invalidSession'; resumable: boolean }
  | { kind: 'zombie' }
  | { kind: 'dispatch'; count: number }
  | { kind: 'idle'; ms: number };

/** What the platform's rules say must follow each fault (the oracle, independent of the shard's table). */
const RESUMING_CLOSES = [1000, 1001, 4000, 4008, 4009, 4100];
const IDENTIFYING_CLOSES = [4003, 4005, 4006, 4007, 4900, 4902, 4903, 4913];

function expectedRecovery(fault: Fault): 'resume' | 'identify' | 'none' {
  switch (fault.kind) {
    case 'close':
      return RESUMING_CLOSES.includes(fault.code) ? 'resume' : 'identify';
    case 'invalidSession':
      return fault.resumable ? 'resume' : 'identify';
    case 'dispatch':
    case 'idle':
      return 'none';
    default:
      return 'resume';
  }
}

const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('close' as const),
    code: fc.constantFrom(...RESUMING_CLOSES, ...IDENTIFYING_CLOSES),
  }),
  fc.constant({ kind: 'drop' as const }),
  fc.constant({ kind: 'reconnect' as const }),
  fc.record({ kind: fc.constant('invalidSession' as const), resumable: fc.boolean() }),
  fc.constant({ kind: 'zombie' as const }),
  fc.record({ kind: fc.constant('dispatch' as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('idle' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
);

/** Wraps a queue to record when it granted identify turns. */
class RecordingQueue implements IdentifyQueue {
  public readonly grants: number[] = [];
  public constructor(private readonly inner: IdentifyQueue) {}
  public async wait(shardId: number, signal?: AbortSignal): Promise<void> {
    await this.inner.wait(shardId, signal);
    this.grants.push(Date.now());
  }
}

const WINDOW_MS = 5_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('Shard state machine (property)', () => {
  it('never gets stuck, recovers the way the platform expects, delivers each seq once, and never out-identifies the queue', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(faultArbitrary, { minLength: 1, maxLength: 8 }), async (faults) => {
        useFakeClock();
        const gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
        const queue = new RecordingQueue(
          new InMemoryIdentifyQueue({
            maxConcurrency: 1,
            total: 100,
            remaining: 100,
            resetAfterMs: 86_400_000,
            windowMs: WINDOW_MS,
          }),
        );
        const { shard } = makeShard(gateway.url, { identifyQueue: queue });
        const delivered = new Map<string, number[]>();
        shard.on('dispatch', (payload) => {
          if (payload.t === 'RESUMED') return; // carries no event seq on the fake gateway
          const session = shard.status().sessionId ?? '?';
          delivered.set(session, [...(delivered.get(session) ?? []), payload.s ?? -1]);
        });
        try {
          await shard.start();
          for (const fault of faults) {
            const greetingsBefore = gateway.received(2).length + gateway.received(6).length;
            const connection = gateway.last;
            const connectionsBefore = gateway.connections.length;
            switch (fault.kind) {
              case 'close':
                if (IDENTIFYING_CLOSES.includes(fault.code)) connection.forgetSession(gateway);
                connection.close(fault.code);
                break;
              case 'drop':
                connection.socket.terminate();
                break;
              case 'reconnect':
                connection.send({ op: 7 });
                break;
              case 'invalidSession':
                if (!fault.resumable) connection.forgetSession(gateway);
                connection.send({ op: 9, d: fault.resumable });
                break;
              case 'zombie':
                connection.ackHeartbeats = false;
                break;
              case 'dispatch':
                for (let i = 0; i < fault.count; i++) connection.dispatch('AT_MESSAGE_CREATE');
                break;
              case 'idle':
                await vi.advanceTimersByTimeAsync(fault.ms);
                break;
            }
            const expected = expectedRecovery(fault);
            const recovered = (): boolean =>
              shard.state === 'ready' &&
              (expected === 'none' || gateway.connections.length > connectionsBefore) &&
              shard.status().seq === gateway.last.session?.seq;
            // Never stuck: back to ready within the worst legitimate delay (a zombie needs two intervals).
            await advanceUntil(recovered, 200_000, 500);

            if (expected !== 'none') {
              const greeting = [...gateway.received(2), ...gateway.received(6)].sort((a, b) => a.at - b.at)[
                greetingsBefore
              ];
              expect(greeting?.op, `recovery after ${JSON.stringify(fault)}`).toBe(
                expected === 'resume' ? 6 : 2,
              );
            }
          }

          // Every identify used a turn, and turns came at most one per window.
          expect(gateway.received(2).length).toBeLessThanOrEqual(queue.grants.length);
          for (let i = 1; i < queue.grants.length; i++) {
            expect((queue.grants[i] ?? 0) - (queue.grants[i - 1] ?? 0)).toBeGreaterThanOrEqual(WINDOW_MS);
          }
          for (const [session, seqs] of delivered) {
            expect(seqs, `seqs of ${session}`).toEqual(seqs.map((_, index) => index + 1));
          }
        } finally {
          await shard.close();
          await gateway.close();
          vi.useRealTimers();
        }
      }),
      { numRuns: 100 },
    );
  });
});

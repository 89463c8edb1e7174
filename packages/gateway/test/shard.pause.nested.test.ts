/**
 * A dispatch listener may pause and resume its shard while the shard replays the frames it held
 * back during an earlier pause: every frame still arrives once, in order, and none is skipped.
 */
import { describe, expect } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

describe('Shard resume() called again while held frames are replayed', () => {
  emulatorTest(
    'a listener that pauses and resumes under other holders mid-replay loses no event',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const { emulator, manager } = await emulatorOfTest.start({
        heartbeatInterval: 41_250,
        resumeBufferSize: 1_000,
      });
      manager.start().catch(() => undefined);
      await advanceUntil(() => manager.status()[0]?.state === 'ready', 10_000);
      const shard = manager.shards.get(0);
      if (shard === undefined) throw new Error('shard 0 is not running');

      const received: string[] = [];
      manager.on('dispatch', (payload: DispatchPayload) => {
        if (payload.t !== 'AT_MESSAGE_CREATE') return;
        received.push(payload.id ?? '');
        if (received.length === 1) {
          // The rest of the burst is now held by the connection, read but not handled.
          shard.pause('first');
          setTimeout(() => shard.resume('first'), 100);
        } else if (received.length === 2) {
          shard.pause('nested'); // a nested resume() during the replay of the held frames
          shard.resume('nested');
        } else if (received.length === 3) {
          shard.pause('later');
          setTimeout(() => shard.resume('later'), 100);
        }
      });

      // Published while paused, so the socket hands all of them over in one read once reading resumes.
      shard.pause('burst');
      const sent = Array.from(
        { length: 6 },
        (_, n) => emulator.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${n}` }).id,
      );
      await advanceBy(1_000, 250);
      shard.resume('burst');
      await advanceBy(3_000, 50);

      expect(received).toEqual(sent);
      expect(shard.paused).toBe(false);
    },
  );
});

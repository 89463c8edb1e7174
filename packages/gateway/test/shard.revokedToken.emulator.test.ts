/**
 * The platform revokes the access token and the connection drops: the Resume with the cached token
 * is closed with 4004. The shard identified a new session (a session start spent, and what the old
 * session held for it never delivered) although a Resume with a fresh token would have been taken.
 * It now refreshes the token and resumes once, and identifies only when that resume is refused too.
 */
import { expect } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

const greetings = (emulator: Emulator): string[] =>
  emulator.recorder
    .filter((record) => record.kind === 'gateway' && (record.op === 2 || record.op === 6))
    .map((record) => (record.kind === 'gateway' && record.op === 2 ? 'identify' : 'resume'));

emulatorTest(
  'tokens revoked, socket dropped: the shard refreshes its token and resumes, and the events sent meanwhile arrive',
  async ({ emulatorOfTest }) => {
    useFakeClock();
    const { emulator, manager } = await emulatorOfTest.start();
    const delivered = new Set<string>();
    manager.on('dispatch', (payload: DispatchPayload) => {
      if (payload.t === 'GROUP_AT_MESSAGE_CREATE' && payload.id !== undefined) delivered.add(payload.id);
    });
    const closes: { code: number | undefined; next: string }[] = [];
    manager.on('close', (event) => closes.push({ code: event.code, next: event.next }));
    const run = manager.start();
    run.catch(() => undefined);
    await advanceUntilAllReady(manager, 1);

    const published = [emulator.simulate.groupAtMessage({ content: 'before' }).id];
    await advanceUntil(() => delivered.size === 1, 1_000, 50);
    emulator.faults.expireTokens();
    emulator.faults.dropSocket(0);
    // Sent while the shard is away: only a resume of this session gets them.
    for (let n = 0; n < 20; n++)
      published.push(emulator.simulate.groupAtMessage({ content: `away ${n}` }).id);
    await advanceUntil(() => closes.length >= 2 && manager.status()[0]?.state === 'ready', 30_000, 50);

    await advanceUntil(() => delivered.size === published.length, 5_000, 50).catch(() => undefined);
    // Before the fix: 20 of 21 lost, a second session identified.
    expect(published.filter((id) => !delivered.has(id))).toEqual([]);
    expect(greetings(emulator)).toEqual(['identify', 'resume', 'resume']);
    expect(closes).toEqual([
      { code: 1006, next: 'resume' },
      { code: 4004, next: 'resume' },
    ]);
    expect(emulator.recorder.filter((record) => record.kind === 'token')).toHaveLength(2);
    expect([...delivered]).toEqual(published);
    expect(emulator.sessionStartLimit().remaining).toBe(emulator.sessionStartLimit().total - 1);
  },
);

import { describe, expect, it } from 'vitest';
import { isPendingAudit, type Message } from '@bot/client';
import { useHarness } from './support/harness.js';

/*
 * Guild channels have no streaming: a stream's text goes out as one reply on end(), and that
 * reply may be held for audit (HTTP 202, code 304024) as reply() is. Its result says so, with the
 * audit id MESSAGE_AUDIT_PASS / MESSAGE_AUDIT_REJECT will name, instead of looking like a send.
 */
describe('a streamed guild reply held for audit', () => {
  const harnesses = useHarness();

  it('resolves with the PendingAudit, as reply() does; a reply not held carries none', async () => {
    const arrived: Message[] = [];
    const harness = await harnesses.start([{ messageCreate: (_ctx, message) => void arrived.push(message) }]);
    harness.emulator.simulate.guildAtMessage({ content: 'hi' });
    await expect.poll(() => arrived.length, { timeout: 5000 }).toBe(1);
    const message = arrived[0]!;

    const plain = await message.replyStreamFrom(['not ', 'held']);
    expect(plain).toMatchObject({ text: 'not held', frames: 1, streamed: false, pendingAudit: undefined });

    harness.emulator.setAuditMode(true);
    const held = await message.replyStreamFrom(['streamed ', 'under audit']);
    expect(held).toMatchObject({ text: 'streamed under audit', frames: 1, streamed: false });
    expect(isPendingAudit(held.pendingAudit)).toBe(true);
    expect(held.pendingAudit?.auditId).toEqual(expect.any(String));
    expect(harness.emulator.pendingAudits().map((audit) => audit.auditId)).toContain(
      held.pendingAudit?.auditId,
    );
  });
});

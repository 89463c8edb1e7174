import { describe, expect, it, vi } from 'vitest';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

/** Replies sent to one anchor: past the 5 that C2C and groups allow. */
const REPLIES = 8;

describe('reply counts where the platform documents none (docs/protocol.md §8.2)', () => {
  const setup = useEmulatorOfTest();
  const { post } = setup;

  /** Sends {@link REPLIES} replies, one second apart so the channel rate (5 per second) never refuses. */
  async function replyRepeatedly(path: string, anchor: Record<string, string>): Promise<unknown[]> {
    const answers: unknown[] = [];
    for (let i = 1; i <= REPLIES; i++) {
      const answer = await post(path, { content: `reply ${i}`, ...anchor });
      answers.push(answer.status === 200 ? 200 : answer.body);
      vi.advanceTimersByTime(1000);
    }
    return answers;
  }

  it('accepts more than 5 replies to one guild channel message', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'talk to me' });
    const answers = await replyRepeatedly(`/channels/${inbound.d.channel_id}/messages`, {
      msg_id: inbound.d.id,
    });
    expect(answers).toEqual(Array(REPLIES).fill(200));
  });

  it('accepts more than 5 replies to one guild DM', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const inbound = setup.emu.simulate.directMessage({ content: 'psst' });
    const answers = await replyRepeatedly(`/dms/${inbound.d.guild_id}/messages`, { msg_id: inbound.d.id });
    expect(answers).toEqual(Array(REPLIES).fill(200));
  });

  it('accepts more than 5 answers to one guild event', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'react to me' });
    const reacted = setup.emu.simulate.reactionAdd({ messageId: inbound.d.id });
    const answers = await replyRepeatedly(`/channels/${inbound.d.channel_id}/messages`, {
      event_id: reacted.id,
    });
    expect(answers).toEqual(Array(REPLIES).fill(200));
  });

  it('still refuses the 6th reply to a group message with 40034128', async () => {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'talk to me' });
    const path = `/v2/groups/${inbound.d.group_openid}/messages`;
    for (let seq = 1; seq <= 5; seq++) {
      const answer = await post(path, {
        msg_type: 0,
        content: `r${seq}`,
        msg_id: inbound.d.id,
        msg_seq: seq,
      });
      expect(answer.status).toBe(200);
    }
    const sixth = await post(path, { msg_type: 0, content: 'r6', msg_id: inbound.d.id, msg_seq: 6 });
    expect(sixth.body).toMatchObject({ code: 40034128 });
  });
});

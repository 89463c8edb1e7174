import { describe, expect, it, vi } from 'vitest';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

describe('C2C typing notices and wakeup messages', () => {
  const setup = useEmulatorOfTest();
  const { post } = setup;
  const c2c = () => `/v2/users/${setup.emu.world.defaults.userOpenid}/messages`;
  const group = () => `/v2/groups/${setup.emu.world.defaults.groupOpenid}/messages`;
  const typing = (msgId: string, msgSeq: number, seconds = 3) => ({
    msg_type: 6,
    input_notify: { input_type: 1, input_second: seconds },
    msg_id: msgId,
    msg_seq: msgSeq,
  });

  it('accepts a typing notice anchored to a message, taking its msg_seq but not one of its 5 replies', async () => {
    const inbound = setup.emu.simulate.c2cMessage({ content: 'hi' });
    const answer = await post(c2c(), typing(inbound.d.id, 1));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ timestamp: expect.stringMatching(/\+08:00$/) });
    const reused = await post(c2c(), { msg_type: 0, content: 'x', msg_id: inbound.d.id, msg_seq: 1 });
    expect(reused.body).toMatchObject({ code: 40054005 });
    for (let seq = 2; seq <= 6; seq++) {
      const reply = await post(c2c(), {
        msg_type: 0,
        content: `r${seq}`,
        msg_id: inbound.d.id,
        msg_seq: seq,
      });
      expect(reply.status).toBe(200);
    }
  });

  it('refuses a typing notice without an anchor, with a malformed input_notify, or in a group', async () => {
    const inbound = setup.emu.simulate.c2cMessage({ content: 'hi' });
    const bare = { msg_type: 6, input_notify: { input_type: 1, input_second: 3 } };
    expect((await post(c2c(), bare)).body).toMatchObject({ code: 40034102 });
    for (const notify of [
      undefined,
      { input_type: 2, input_second: 3 },
      { input_type: 1, input_second: 0 },
      { input_type: 1, input_second: 61 },
      { input_type: 1, input_second: 1.5 },
    ]) {
      const answer = await post(c2c(), {
        msg_type: 6,
        input_notify: notify,
        msg_id: inbound.d.id,
        msg_seq: 1,
      });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(/input_notify/);
    }
    const g = setup.emu.simulate.groupAtMessage({ content: 'hi' });
    const inGroup = await post(group(), typing(g.d.id, 1));
    expect(inGroup.status).toBe(400);
    expect(JSON.stringify(inGroup.body)).toMatch(/msg_type/);
  });

  it("accepts is_wakeup without msg_id within 30 days of the user's last message, then refuses it", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const wakeup = { msg_type: 0, content: 'still there?', is_wakeup: true };
    expect((await post(c2c(), wakeup)).body).toMatchObject({ code: 40034102 });
    setup.emu.simulate.c2cMessage({ content: 'hi' });
    vi.setSystemTime(Date.now() + 29 * 24 * 3600_000);
    const inside = await post(c2c(), wakeup);
    expect(inside.status).toBe(200);
    expect(inside.body).toMatchObject({ id: expect.any(String) });
    vi.setSystemTime(Date.now() + 2 * 24 * 3600_000);
    expect((await post(c2c(), wakeup)).body).toMatchObject({ code: 40034102 });
    const g = setup.emu.simulate.groupAtMessage({ content: 'hi' });
    const inGroup = await post(group(), { ...wakeup, msg_id: g.d.id });
    expect(inGroup.status).toBe(400);
    expect(JSON.stringify(inGroup.body)).toMatch(/is_wakeup/);
  });
});

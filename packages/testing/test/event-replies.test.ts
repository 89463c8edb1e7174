import { describe, expect, it, vi } from 'vitest';
import { SEED } from '@bot/testing';
import { call } from './helpers/http.js';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

/** Answers to events by `event_id` (docs/protocol.md §13), against the emulator's REST rules. */
describe('event_id answers', () => {
  const setup = useEmulatorOfTest();
  const { post } = setup;
  const channel = (id: string) => `/channels/${id}/messages`;

  it('accepts an answer to a member event in any text channel of its guild, and in no other guild', async () => {
    const joined = setup.emu.simulate.memberJoin({ guildId: SEED.guilds[0], username: 'Newcomer' });
    const general = await post(channel(SEED.channels.hallGeneral), {
      content: 'welcome',
      event_id: joined.id,
    });
    expect(general.status).toBe(200);
    const news = await post(channel(SEED.channels.hallAnnouncements), { content: 'hi', event_id: joined.id });
    expect(news.status).toBe(200);
    const elsewhere = await post(channel(SEED.channels.loungeGeneral), { content: 'x', event_id: joined.id });
    expect(elsewhere.body).toMatchObject({ code: 40034025 });
  });

  it('accepts an answer to a reaction in its channel only', async () => {
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'react to me' });
    const reacted = setup.emu.simulate.reactionAdd({ messageId: inbound.d.id });
    const here = await post(channel(inbound.d.channel_id), { content: 'noted', event_id: reacted.id });
    expect(here.status).toBe(200);
    const other = await post(channel(SEED.channels.hallAnnouncements), {
      content: 'x',
      event_id: reacted.id,
    });
    expect(other.body).toMatchObject({ code: 40034025 });
  });

  it("takes an interaction's own id as event_id, sharing the 5 answers with its dispatch id", async () => {
    const click = setup.emu.simulate.interaction({
      scene: 'group',
      buttonId: 'b1',
      buttonData: 'yes',
      allowUnsentButton: true,
    });
    const group = `/v2/groups/${click.d.group_openid}/messages`;
    const answers = [];
    for (let seq = 1; seq <= 5; seq++) {
      const eventId = seq % 2 === 0 ? click.id : click.d.id;
      answers.push(
        (await post(group, { msg_type: 0, content: `n${seq}`, event_id: eventId, msg_seq: seq })).status,
      );
    }
    expect(answers).toEqual([200, 200, 200, 200, 200]);
    const sixth = await post(group, { msg_type: 0, content: 'n6', event_id: click.d.id, msg_seq: 6 });
    expect(sixth.body).toMatchObject({ code: 40034128 });
  });

  it('makes forum and member events published as given answerable guild-wide, other events not', async () => {
    const guildId = SEED.guilds[0];
    const thread = setup.emu.simulate.dispatch(
      'FORUM_THREAD_CREATE',
      { guild_id: guildId, channel_id: SEED.channels.hallForum, author_id: 'u1', thread_info: {} },
      { guildId },
    );
    const answer = await post(channel(SEED.channels.hallGeneral), {
      content: 'nice thread',
      event_id: thread.id,
    });
    expect(answer.status).toBe(200);
    const created = setup.emu.simulate.dispatch(
      'CHANNEL_CREATE',
      { id: 'c9', guild_id: guildId },
      { guildId },
    );
    const refused = await post(channel(SEED.channels.hallGeneral), { content: 'x', event_id: created.id });
    expect(refused.body).toMatchObject({ code: 40034025 });
  });

  it('refuses an event answer after the window (5 min in a guild) with 40034026', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const joined = setup.emu.simulate.memberJoin({ guildId: SEED.guilds[0] });
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1);
    const late = await post(channel(SEED.channels.hallGeneral), { content: 'late', event_id: joined.id });
    expect(late.body).toMatchObject({ code: 40034026 });
  });

  it('records each acknowledgement with its code and refuses codes outside 0-5', async () => {
    const click = setup.emu.simulate.interaction({ scene: 'c2c', buttonId: 'ok', allowUnsentButton: true });
    const put = (code: unknown) =>
      call(setup.emu.restUrl, 'PUT', `/interactions/${click.d.id}`, { token: setup.token, body: { code } });
    expect((await put(4)).status).toBe(204);
    expect(setup.emu.world.content.interactions.get(click.d.id)).toEqual({ ackCode: 4 });
    expect((await put(6)).status).toBe(400);
  });
});

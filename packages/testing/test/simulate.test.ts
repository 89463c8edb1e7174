import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator, EmulatorError, SEED } from '@bot/testing';

describe('simulated users produce platform-shaped events', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await Emulator.start();
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('escapes inbound content and prefixes the @-mention in guild channels', () => {
    const event = emu.simulate.guildAtMessage({ content: 'a < b & c > d' });
    expect(event.t).toBe('AT_MESSAGE_CREATE');
    expect(event.d).toMatchObject({
      content: `<@!${emu.world.bot.id}> a &lt; b &amp; c &gt; d`,
      channel_id: SEED.channels.hallGeneral,
      guild_id: SEED.guilds[0],
      author: { id: SEED.users.alice, username: 'Alice', bot: false },
      member: { roles: ['4'], nick: 'Alice' },
      mentions: [{ id: emu.world.bot.id, bot: true }],
      seq_in_channel: String(event.d.seq),
    });
    expect(emu.simulate.guildMessage({ content: '<raw>', raw: true }).d.content).toBe('<raw>');
  });

  it('shapes group and C2C messages with openids', () => {
    const group = emu.simulate.groupAtMessage({ content: 'hi' });
    expect(group.d).toEqual({
      id: expect.stringMatching(/^ROBOT1\.0_/),
      author: {
        id: SEED.groupMembers.erin,
        member_openid: SEED.groupMembers.erin,
        union_openid: expect.any(String),
      },
      content: ' hi',
      group_id: SEED.groups.bookClub,
      group_openid: SEED.groups.bookClub,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
    });
    const c2c = emu.simulate.c2cMessage({
      content: 'yo',
      attachments: [{ url: 'https://example.com/a.png', content_type: 'image/png' }],
    });
    expect(c2c.d).toMatchObject({
      author: { id: SEED.c2cUsers.judy, user_openid: SEED.c2cUsers.judy },
      content: 'yo',
      attachments: [{ url: 'https://example.com/a.png' }],
    });
  });

  it('marks DMs with direct_message and the source guild', () => {
    const dm = emu.simulate.directMessage({ content: 'secret' });
    expect(dm.d).toMatchObject({
      direct_message: true,
      src_guild_id: SEED.guilds[0],
      guild_id: SEED.dm.guildId,
      channel_id: SEED.dm.channelId,
    });
  });

  it('shapes interactions per scene with chat_type 0/1/2', () => {
    const guild = emu.simulate.interaction({
      scene: 'guild',
      buttonId: 'b',
      buttonData: 'data',
      allowUnsentButton: true,
    });
    expect(guild.d).toMatchObject({
      scene: 'guild',
      chat_type: 0,
      guild_id: SEED.guilds[0],
      channel_id: SEED.channels.hallGeneral,
      application_id: emu.appId,
      data: { resolved: { button_id: 'b', button_data: 'data', user_id: SEED.users.alice } },
    });
    expect(
      emu.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true }).d,
    ).toMatchObject({
      chat_type: 1,
      group_openid: SEED.groups.bookClub,
      group_member_openid: SEED.groupMembers.erin,
    });
    expect(
      emu.simulate.interaction({ scene: 'c2c', buttonId: 'b', allowUnsentButton: true }).d,
    ).toMatchObject({
      chat_type: 2,
      user_openid: SEED.c2cUsers.judy,
    });
  });

  it('changes the world with membership events', () => {
    const joined = emu.simulate.memberJoin({ guildId: SEED.guilds[1], username: 'Zed' });
    const userId = joined.d.user?.id ?? '';
    expect(joined.d).toMatchObject({ guild_id: SEED.guilds[1], roles: ['1'], user: { username: 'Zed' } });
    expect(emu.world.guilds.memberRecord(SEED.guilds[1], userId)).toBeDefined();
    emu.simulate.memberLeave({ guildId: SEED.guilds[1], userId });
    expect(emu.world.guilds.memberRecord(SEED.guilds[1], userId)).toBeUndefined();
    expect(() => emu.simulate.memberLeave({ guildId: SEED.guilds[1], userId })).toThrow(EmulatorError);
  });

  it('tracks group and friend state through robot and friend events', () => {
    const openid = '1234567890ABCDEF1234567890ABCDEF';
    const added = emu.simulate.groupAddRobot({
      groupOpenid: openid,
      opMemberOpenid: SEED.groupMembers.heidi,
    });
    expect(added.d).toEqual({
      timestamp: expect.any(Number),
      group_openid: openid,
      op_member_openid: SEED.groupMembers.heidi,
    });
    expect(() => emu.simulate.groupAddRobot({ groupOpenid: openid })).toThrow(/already in group/);
    emu.simulate.groupMsgReject({ groupOpenid: openid });
    emu.simulate.groupMsgReceive({ groupOpenid: openid });
    emu.simulate.groupDelRobot({ groupOpenid: openid });
    expect(() => emu.simulate.groupAtMessage({ groupOpenid: openid, content: 'x' })).toThrow(/not in group/);

    expect(() => emu.simulate.friendAdd()).toThrow(/already has the bot/);
    const friend = emu.simulate.friendAdd({ userOpenid: 'ABCDEF0123456789ABCDEF0123456789', name: 'Nina' });
    expect(friend.d).toEqual({ timestamp: expect.any(Number), openid: 'ABCDEF0123456789ABCDEF0123456789' });
    expect(emu.world.open.users.get(friend.d.openid)).toMatchObject({ name: 'Nina', friend: true });
    emu.simulate.c2cMsgReject({ userOpenid: friend.d.openid });
    emu.simulate.c2cMsgReceive({ userOpenid: friend.d.openid });
    emu.simulate.friendDel({ userOpenid: friend.d.openid });
    expect(() => emu.simulate.c2cMessage({ userOpenid: friend.d.openid, content: 'x' })).toThrow(
      /has not added the bot/,
    );
  });

  it('shapes reactions and voice events and validates their targets', () => {
    const message = emu.simulate.guildAtMessage({ content: 'react' });
    const added = emu.simulate.reactionAdd({ messageId: message.d.id, emoji: { id: '21', type: 1 } });
    expect(added.d).toEqual({
      user_id: SEED.users.alice,
      guild_id: SEED.guilds[0],
      channel_id: SEED.channels.hallGeneral,
      target: { id: message.d.id, type: 0 },
      emoji: { id: '21', type: 1 },
    });
    expect(() => emu.simulate.reactionAdd({ messageId: message.d.id, emoji: { id: '21', type: 1 } })).toThrow(
      /already reacted/,
    );
    emu.simulate.reactionRemove({ messageId: message.d.id, emoji: { id: '21', type: 1 } });
    expect(emu.simulate.voiceEnter({ channelId: SEED.channels.hallVoice }).d).toMatchObject({
      channel_type: 2,
      user_id: SEED.users.alice,
    });
    emu.simulate.voiceExit({ channelId: SEED.channels.hallVoice });
    expect(() => emu.simulate.voiceEnter({ channelId: SEED.channels.hallGeneral })).toThrow(/not a voice/);
  });

  it('refuses impossible simulations with EmulatorError', () => {
    expect(() => emu.simulate.guildAtMessage({ content: 'x', channelId: 'nope' })).toThrow(/unknown channel/);
    expect(() => emu.simulate.guildAtMessage({ content: 'x', authorId: SEED.users.dave })).toThrow(
      /not a member/,
    );
    expect(() => emu.simulate.groupAtMessage({ content: 'x', groupOpenid: 'nope' })).toThrow(/unknown group/);
    expect(() => emu.simulate.dispatch('lower_case', {})).toThrow(/UPPER_SNAKE/);
    expect(() => emu.simulate.auditPass('nope')).toThrow(/no pending audit/);
  });

  it('adds the bot to a guild, renames it and removes the bot: GUILD_CREATE, GUILD_UPDATE, GUILD_DELETE', () => {
    const created = emu.simulate.guildCreate({ name: 'Chess Club', opUserId: SEED.users.bob });
    const guildId = created.d.id;
    expect(created.t).toBe('GUILD_CREATE');
    expect(created.d).toMatchObject({
      name: 'Chess Club',
      owner_id: SEED.users.bob,
      owner: false,
      member_count: 2,
      op_user_id: SEED.users.bob,
    });
    const [general] = emu.world.guilds.channelsOf(guildId);
    expect(general).toMatchObject({ name: 'general', type: 0 });
    // The new guild is usable at once: a member can write in it.
    expect(emu.simulate.guildAtMessage({ guildId, content: 'hi' }).d.author.id).toBe(SEED.users.bob);
    expect(() => emu.simulate.guildCreate({ guildId })).toThrow(/already in guild/);

    const updated = emu.simulate.guildUpdate({ guildId, name: 'Chess & Go' });
    expect(updated.d).toMatchObject({ id: guildId, name: 'Chess & Go', op_user_id: SEED.users.bob });
    expect(emu.world.guilds.guild(guildId)?.name).toBe('Chess & Go');

    const deleted = emu.simulate.guildDelete({ guildId });
    expect(deleted.d).toMatchObject({ id: guildId, name: 'Chess & Go', op_user_id: SEED.users.bob });
    expect(emu.world.guilds.guild(guildId)).toBeUndefined();
    expect(emu.world.guilds.channel(general?.id ?? '')).toBeUndefined();
    expect(() => emu.simulate.guildDelete({ guildId })).toThrow(/unknown guild/);
    expect(() => emu.simulate.guildUpdate({ guildId })).toThrow(/unknown guild/);
  });

  it("changes a member's nickname and roles with GUILD_MEMBER_UPDATE", () => {
    const updated = emu.simulate.memberUpdate({
      userId: SEED.users.alice,
      nick: 'Ally',
      roles: ['4', '5'],
      opUserId: SEED.users.alice,
    });
    expect(updated.t).toBe('GUILD_MEMBER_UPDATE');
    expect(updated.d).toMatchObject({
      guild_id: SEED.guilds[0],
      nick: 'Ally',
      roles: ['4', '5'],
      user: { id: SEED.users.alice },
      op_user_id: SEED.users.alice,
    });
    expect(emu.world.guilds.memberRecord(SEED.guilds[0], SEED.users.alice)).toMatchObject({
      nick: 'Ally',
      roles: ['4', '5'],
    });
    expect(() => emu.simulate.memberUpdate({ userId: SEED.users.alice, roles: ['999'] })).toThrow(
      /no role 999/,
    );
    expect(() => emu.simulate.memberUpdate({ userId: SEED.users.dave })).toThrow(/not a member/);
    emu.simulate.memberUpdate({ userId: SEED.users.alice, nick: 'Alice', roles: ['4'] });
  });

  it('recalls a message with the delete event of its scene and forgets it', () => {
    const mention = emu.simulate.guildAtMessage({ content: 'oops' });
    const recalled = emu.simulate.messageDelete({ messageId: mention.d.id, opUserId: SEED.users.alice });
    expect(recalled.t).toBe('PUBLIC_MESSAGE_DELETE');
    expect(recalled.d).toEqual({
      message: {
        id: mention.d.id,
        channel_id: SEED.channels.hallGeneral,
        guild_id: SEED.guilds[0],
        author: expect.objectContaining({ id: SEED.users.alice, bot: false }),
      },
      op_user: { id: SEED.users.alice },
    });
    expect(emu.world.messages.find(mention.d.id)).toBeUndefined();
    expect(() => emu.simulate.messageDelete({ messageId: mention.d.id })).toThrow(
      /unknown guild or DM message/,
    );

    const plain = emu.simulate.guildMessage({ content: 'plain' });
    expect(emu.simulate.messageDelete({ messageId: plain.d.id }).t).toBe('MESSAGE_DELETE');

    const dm = emu.simulate.directMessage({ content: 'secret' });
    const dmRecall = emu.simulate.messageDelete({ messageId: dm.d.id });
    expect(dmRecall.t).toBe('DIRECT_MESSAGE_DELETE');
    expect(dmRecall.d.message).toMatchObject({ direct_message: true, src_guild_id: SEED.guilds[0] });

    const group = emu.simulate.groupAtMessage({ content: 'group' });
    expect(() => emu.simulate.messageDelete({ messageId: group.d.id })).toThrow(
      /unknown guild or DM message/,
    );
  });

  it('marks a message posted as the bot with author.bot true', () => {
    const asBot = emu.simulate.guildMessage({ content: 'from the bot', authorId: emu.world.bot.id });
    expect(asBot.d.author).toMatchObject({ id: emu.world.bot.id, bot: true });
    expect(emu.simulate.guildMessage({ content: 'from Alice' }).d.author.bot).toBe(false);
  });
});

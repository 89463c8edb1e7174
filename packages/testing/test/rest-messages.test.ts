import { describe, expect, it, vi } from 'vitest';
import { Intent } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

describe('message sending rules', () => {
  const setup = useEmulatorOfTest();
  const { post } = setup;
  const group = () => `/v2/groups/${setup.emu.world.defaults.groupOpenid}/messages`;
  const c2c = () => `/v2/users/${setup.emu.world.defaults.userOpenid}/messages`;
  const channel = () => `/channels/${setup.emu.world.defaults.channelId}/messages`;

  it('refuses sends that reply to nothing with 40034102 in every scene', async () => {
    for (const [path, body] of [
      [group(), { msg_type: 0, content: 'hello' }],
      [c2c(), { msg_type: 0, content: 'hello' }],
      [channel(), { content: 'hello' }],
      [`/dms/${setup.emu.world.defaults.dmGuildId}/messages`, { content: 'hello' }],
    ] as const) {
      const answer = await post(path, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 40034102 });
    }
  });

  it('accepts a group reply and answers {id, timestamp}', async () => {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'ping' });
    const answer = await post(group(), { msg_type: 0, content: 'pong', msg_id: inbound.d.id, msg_seq: 1 });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^ROBOT1\.0_/),
      timestamp: expect.stringMatching(/\+08:00$/),
    });
  });

  it('refuses a repeated msg_seq (missing counts as 1) with 40054005', async () => {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'ping' });
    expect((await post(group(), { msg_type: 0, content: 'one', msg_id: inbound.d.id })).status).toBe(200);
    const again = await post(group(), { msg_type: 0, content: 'two', msg_id: inbound.d.id, msg_seq: 1 });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 40054005 });
    expect(
      (await post(group(), { msg_type: 0, content: 'two', msg_id: inbound.d.id, msg_seq: 2 })).status,
    ).toBe(200);
  });

  it('allows 5 replies per inbound message, then 40034128', async () => {
    const inbound = setup.emu.simulate.c2cMessage({ content: 'talk to me' });
    for (let seq = 1; seq <= 5; seq++) {
      expect(
        (await post(c2c(), { msg_type: 0, content: `reply ${seq}`, msg_id: inbound.d.id, msg_seq: seq }))
          .status,
      ).toBe(200);
    }
    const sixth = await post(c2c(), { msg_type: 0, content: 'reply 6', msg_id: inbound.d.id, msg_seq: 6 });
    expect(sixth.body).toMatchObject({ code: 40034128 });
  });

  it('enforces reply windows: group 5 min, C2C 60 min, guild 5 min', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const g = setup.emu.simulate.groupAtMessage({ content: 'late' });
    const u = setup.emu.simulate.c2cMessage({ content: 'late' });
    const c = setup.emu.simulate.guildAtMessage({ content: 'late' });
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1);
    expect((await post(group(), { msg_type: 0, content: 'too late', msg_id: g.d.id })).body).toMatchObject({
      code: 40034005,
    });
    expect((await post(channel(), { content: 'too late', msg_id: c.d.id })).body).toMatchObject({
      code: 304027,
    });
    expect((await post(c2c(), { msg_type: 0, content: 'still fine', msg_id: u.d.id })).status).toBe(200);
    vi.setSystemTime(Date.now() + 55 * 60_000);
    expect(
      (await post(c2c(), { msg_type: 0, content: 'too late', msg_id: u.d.id, msg_seq: 2 })).body,
    ).toMatchObject({ code: 40034005 });
  });

  it('refuses a msg_id from another conversation with 40034024', async () => {
    const elsewhere = setup.emu.simulate.c2cMessage({ content: 'private' });
    expect((await post(group(), { msg_type: 0, content: 'x', msg_id: elsewhere.d.id })).body).toMatchObject({
      code: 40034024,
    });
    expect(
      (await post(group(), { msg_type: 0, content: 'x', msg_id: 'ROBOT1.0_made-up' })).body,
    ).toMatchObject({ code: 40034024 });
  });

  it('accepts event_id replies to GROUP_ADD_ROBOT, FRIEND_ADD and INTERACTION_CREATE', async () => {
    const added = setup.emu.simulate.groupAddRobot({
      groupOpenid: 'ABCDEF0123456789ABCDEF0123456789',
      name: 'Fresh',
    });
    expect(
      (
        await post('/v2/groups/ABCDEF0123456789ABCDEF0123456789/messages', {
          msg_type: 0,
          content: 'thanks',
          event_id: added.id,
        })
      ).status,
    ).toBe(200);
    const friend = setup.emu.simulate.friendAdd({ userOpenid: '0123456789ABCDEF0123456789ABCDEF' });
    expect(
      (
        await post('/v2/users/0123456789ABCDEF0123456789ABCDEF/messages', {
          msg_type: 0,
          content: 'hi',
          event_id: friend.id,
        })
      ).status,
    ).toBe(200);
    const click = setup.emu.simulate.interaction({ scene: 'group', buttonId: 'b1', allowUnsentButton: true });
    expect((await post(group(), { msg_type: 0, content: 'clicked', event_id: click.id })).status).toBe(200);
    expect(
      (await post(group(), { msg_type: 0, content: 'x', event_id: 'GROUP_ADD_ROBOT:forged' })).body,
    ).toMatchObject({ code: 40034025 });
  });

  it('refuses empty content with 50006, per msg_type', async () => {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'ping' });
    const id = inbound.d.id;
    expect((await post(group(), { msg_type: 0, content: '   ', msg_id: id })).body).toMatchObject({
      code: 50006,
    });
    expect((await post(group(), { msg_type: 2, content: '', msg_id: id })).body).toMatchObject({
      code: 50006,
    });
    expect((await post(group(), { msg_type: 7, media: { file_info: 'x' }, msg_id: id })).body).toMatchObject({
      code: 50006,
    });
    expect((await post(group(), { msg_type: 5, content: 'x', msg_id: id })).body).toMatchObject({
      code: 12002,
      message: expect.stringContaining('msg_type'),
    });
    const guild = setup.emu.simulate.guildAtMessage({ content: 'ping' });
    expect((await post(channel(), { content: '', msg_id: guild.d.id })).body).toMatchObject({ code: 50006 });
  });

  it('sends media with an uploaded file_info and a non-empty content', async () => {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'picture please' });
    const upload = await post(`/v2/groups/${setup.emu.world.defaults.groupOpenid}/files`, {
      file_type: 1,
      url: 'https://example.com/cat.png',
      srv_send_msg: false,
    });
    expect(upload.body).toEqual({ file_uuid: expect.any(String), file_info: expect.any(String), ttl: 3600 });
    const sent = await post(group(), {
      msg_type: 7,
      content: ' ',
      media: { file_info: upload.body['file_info'] },
      msg_id: inbound.d.id,
    });
    expect(sent.status).toBe(200);
    const wrongTarget = await post(c2c(), {
      msg_type: 7,
      content: ' ',
      media: { file_info: upload.body['file_info'] },
      msg_id: setup.emu.simulate.c2cMessage({ content: 'x' }).d.id,
    });
    expect(wrongTarget.status).toBe(400);
    const proactiveUpload = await post(`/v2/groups/${setup.emu.world.defaults.groupOpenid}/files`, {
      file_type: 1,
      url: 'https://example.com/cat.png',
      srv_send_msg: true,
    });
    expect(proactiveUpload.body).toMatchObject({ code: 40034102 });
  });

  it('accepts an uploaded file_info for its ttl on the steady clock: a wall clock stepped forward does not expire it', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const upload = await post(`/v2/groups/${setup.emu.world.defaults.groupOpenid}/files`, {
      file_type: 1,
      url: 'https://example.com/cat.png',
      srv_send_msg: false,
    });
    const media = { file_info: upload.body['file_info'] };
    // Each reply answers a message received after the step: its reply window is open.
    const reply = () =>
      post(group(), {
        msg_type: 7,
        content: ' ',
        media,
        msg_id: setup.emu.simulate.groupAtMessage({ content: 'picture please' }).d.id,
      });
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    expect((await reply()).status).toBe(200);
    vi.advanceTimersByTime(3_600_000 + 1);
    expect((await reply()).body).toMatchObject({ message: expect.stringMatching(/expired/) });
  });

  it('limits a channel to 5 messages per second with 429 / 22009, a second counted on the steady clock', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const inbound = Array.from({ length: 2 }, () =>
      setup.emu.simulate.guildAtMessage({ content: 'spam me' }),
    );
    for (let i = 0; i < 5; i++) {
      expect((await post(channel(), { content: `m${i}`, msg_id: inbound[0]?.d.id })).status).toBe(200);
    }
    const limited = await post(channel(), { content: 'one too many', msg_id: inbound[1]?.d.id });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 22009 });
    // A wall clock stepped forward opens no room early; the reply answers a message received after it.
    vi.setSystemTime(Date.now() + 3_600_000);
    const afterStep = setup.emu.simulate.guildAtMessage({ content: 'spam me' }).d.id;
    expect((await post(channel(), { content: 'same second', msg_id: afterStep })).status).toBe(429);
    vi.advanceTimersByTime(1000);
    expect((await post(channel(), { content: 'next second', msg_id: afterStep })).status).toBe(200);
  });

  it('echoes a guild reply as a full message and stores it', async () => {
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'hi' });
    const answer = await post(channel(), {
      content: 'hello',
      msg_id: inbound.d.id,
      message_reference: { message_id: inbound.d.id },
    });
    expect(answer.body).toMatchObject({
      channel_id: setup.emu.world.defaults.channelId,
      guild_id: setup.emu.world.defaults.guildId,
      content: 'hello',
      author: { id: setup.emu.world.bot.id, bot: true },
      message_reference: { message_id: inbound.d.id },
      seq_in_channel: String(answer.body['seq']),
    });
    const fetched = await call(setup.emu.restUrl, 'GET', `${channel()}/${String(answer.body['id'])}`, {
      token: setup.token,
    });
    expect(fetched.body).toEqual({ message: answer.body });
  });

  it('accepts multipart sends with file_image and JSON-string object fields', async () => {
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'image?' });
    const form = new FormData();
    form.set('msg_id', inbound.d.id);
    form.set('content', 'here');
    form.set('message_reference', JSON.stringify({ message_id: inbound.d.id }));
    form.set('file_image', new Blob([Buffer.from('PNGDATA')], { type: 'image/png' }), 'cat.png');
    const response = await fetch(`${setup.emu.restUrl}${channel()}`, {
      method: 'POST',
      headers: { Authorization: `QQBot ${setup.token}` },
      body: form,
    });
    const body = (await response.json()) as {
      attachments: Array<{ filename: string; size: number }>;
      message_reference: unknown;
    };
    expect(response.status).toBe(200);
    expect(body.attachments[0]).toMatchObject({ filename: 'cat.png', size: 7 });
    expect(body.message_reference).toEqual({ message_id: inbound.d.id });

    const bad = new FormData();
    bad.set('msg_id', inbound.d.id);
    bad.set('embed', 'not json');
    const refused = await fetch(`${setup.emu.restUrl}${channel()}`, {
      method: 'POST',
      headers: { Authorization: `QQBot ${setup.token}` },
      body: bad,
    });
    expect(refused.status).toBe(400);
  });

  it('holds guild sends in audit mode (202 / 304024) until the audit passes or fails', async () => {
    setup.emu.setAuditMode(true);
    const client = await GatewayClient.connect(setup.emu.gatewayUrl);
    setup.emu.setGrantedIntents(Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES | Intent.MESSAGE_AUDIT);
    await client.identify(setup.token, Intent.MESSAGE_AUDIT);
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'audit me' });
    const held = await post(channel(), { content: 'pending', msg_id: inbound.d.id });
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({
      code: 304024,
      data: { message_audit: { audit_id: expect.any(String) } },
    });
    const auditId = (held.body['data'] as { message_audit: { audit_id: string } }).message_audit.audit_id;
    expect(setup.emu.pendingAudits().map((a) => a.auditId)).toEqual([auditId]);

    const passed = setup.emu.simulate.auditPass(auditId);
    const event = await client.dispatch('MESSAGE_AUDIT_PASS');
    expect(event.d).toMatchObject({
      audit_id: auditId,
      message_id: passed.d.message_id,
      channel_id: setup.emu.world.defaults.channelId,
    });
    const stored = await call(setup.emu.restUrl, 'GET', `${channel()}/${passed.d.message_id ?? ''}`, {
      token: setup.token,
    });
    expect(stored.status).toBe(200);
    expect(() => setup.emu.simulate.auditPass(auditId)).toThrow(/no pending audit/);

    const second = await post(channel(), { content: 'rejected', msg_id: inbound.d.id });
    const rejectedId = (second.body['data'] as { message_audit: { audit_id: string } }).message_audit
      .audit_id;
    setup.emu.simulate.auditReject(rejectedId);
    expect((await client.dispatch('MESSAGE_AUDIT_REJECT')).d).not.toHaveProperty('message_id');
    await client.close();
  });

  it("recalls the bot's own messages within 2 minutes only", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'ping' });
    const sent = await post(group(), { msg_type: 0, content: 'oops', msg_id: inbound.d.id });
    const recall = (id: string) =>
      call(setup.emu.restUrl, 'DELETE', `${group()}/${id}`, { token: setup.token });
    expect((await recall(inbound.d.id)).body).toMatchObject({ code: 306004 });
    const late = await post(group(), { msg_type: 0, content: 'old', msg_id: inbound.d.id, msg_seq: 2 });
    expect((await recall(String(sent.body['id']))).status).toBe(200);
    vi.setSystemTime(Date.now() + 120_001);
    expect((await recall(String(late.body['id']))).body).toMatchObject({ code: 306004 });
    expect((await recall('ROBOT1.0_unknown')).status).toBe(404);
  });

  it('refuses sends to groups the bot left and users who removed it', async () => {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'bye' });
    setup.emu.simulate.groupDelRobot();
    expect((await post(group(), { msg_type: 0, content: 'x', msg_id: inbound.d.id })).body).toMatchObject({
      code: 1100301,
    });
    setup.emu.simulate.friendDel();
    expect((await post(c2c(), { msg_type: 0, content: 'x', msg_id: 'whatever' })).status).toBe(404);
  });
});

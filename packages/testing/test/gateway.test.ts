import { afterEach, describe, expect, it } from 'vitest';
import { Emulator, Intent, SEED, shardForGuild } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';

const PUBLIC = Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES;

describe('gateway session', () => {
  let emu: Emulator;
  const clients: GatewayClient[] = [];
  const connect = async (): Promise<GatewayClient> => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu.stop();
  });

  it('reports the gateway URL, shards and session budget over REST', async () => {
    emu = await Emulator.start({ shards: 4, sessionStartLimit: { total: 100, maxConcurrency: 2 } });
    const token = emu.createAccessToken();
    expect((await call(emu.restUrl, 'GET', '/gateway', { token })).body).toEqual({ url: emu.gatewayUrl });
    const bot = await call(emu.restUrl, 'GET', '/gateway/bot', { token });
    expect(bot.body).toEqual({
      url: emu.gatewayUrl,
      shards: 4,
      session_start_limit: {
        total: 100,
        remaining: 100,
        reset_after: expect.any(Number),
        max_concurrency: 2,
      },
    });
  });

  it('sends Hello, accepts Identify and answers READY with the platform shape', async () => {
    emu = await Emulator.start({ heartbeatInterval: 45_000 });
    const client = await connect();
    const hello = await client.next();
    expect(hello).toEqual({ op: 10, d: { heartbeat_interval: 45_000 } });
    client.send({
      op: 2,
      d: {
        token: `QQBot ${emu.createAccessToken()}`,
        intents: PUBLIC,
        shard: [0, 1],
        properties: { $os: 'linux' },
      },
    });
    const ready = await client.dispatch('READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toEqual({
      version: 1,
      session_id: expect.any(String),
      user: { id: emu.world.bot.id, username: 'emulator-bot', bot: true, status: 1 },
      shard: [0, 1],
    });
  });

  it('acknowledges heartbeats with op 11', async () => {
    emu = await Emulator.start();
    const client = await connect();
    await client.identify(emu.createAccessToken(), PUBLIC);
    client.send({ op: 1, d: 1 });
    expect(await client.next((f) => f.op === 11)).toEqual({ op: 11 });
    client.send({ op: 1, d: null });
    expect((await client.next((f) => f.op === 11)).op).toBe(11);
  });

  it('numbers every dispatch of a session in order and gives each an event id', async () => {
    emu = await Emulator.start();
    const client = await connect();
    await client.identify(emu.createAccessToken(), PUBLIC);
    const sent = [1, 2, 3].map((n) => emu.simulate.guildAtMessage({ content: `message ${n}` }));
    const received = [];
    for (let i = 0; i < 3; i++) received.push(await client.dispatch('AT_MESSAGE_CREATE'));
    expect(received.map((f) => f.s)).toEqual([2, 3, 4]);
    expect(received.map((f) => f.id)).toEqual(sent.map((e) => e.id));
    expect(received[0]?.id).toMatch(/^AT_MESSAGE_CREATE:/);
    expect((received[0]?.d as { content: string }).content).toBe(`<@!${emu.world.bot.id}> message 1`);
  });

  it('closes with 4014 when asking for intents the bot is not granted', async () => {
    emu = await Emulator.start();
    const client = await connect();
    await client.next();
    client.send({
      op: 2,
      d: { token: `QQBot ${emu.createAccessToken()}`, intents: Intent.GROUP_AND_C2C_EVENT, shard: [0, 1] },
    });
    expect((await client.closed).code).toBe(4014);
  });

  it('refuses intents with op 9 (d: false) instead, spending a session start, when the fault says so', async () => {
    emu = await Emulator.start();
    emu.faults.refuseDisallowedIntentsWith('invalidSession');
    const before = emu.sessionStartLimit().remaining;
    const client = await connect();
    await client.next();
    client.send({
      op: 2,
      d: { token: `QQBot ${emu.createAccessToken()}`, intents: Intent.GROUP_AND_C2C_EVENT, shard: [0, 1] },
    });
    expect(await client.next()).toEqual({ op: 9, d: false });
    expect(emu.sessionStartLimit().remaining).toBe(before - 1);
    emu.faults.reset();
    const again = await connect();
    await again.next();
    again.send({
      op: 2,
      d: { token: `QQBot ${emu.createAccessToken()}`, intents: Intent.GROUP_AND_C2C_EVENT, shard: [0, 1] },
    });
    expect((await again.closed).code).toBe(4014);
  });

  it('closes with 4013 for intents that are not a valid bit set', async () => {
    emu = await Emulator.start({ grantedIntents: 'all' });
    const client = await connect();
    client.send({ op: 2, d: { token: `QQBot ${emu.createAccessToken()}`, intents: 1 << 3, shard: [0, 1] } });
    expect((await client.closed).code).toBe(4013);
  });

  it('closes with 4010 for a shard outside [0, count)', async () => {
    emu = await Emulator.start();
    for (const shard of [[2, 2], [-1, 1], [0, 0], 'zero']) {
      const client = await connect();
      client.send({ op: 2, d: { token: `QQBot ${emu.createAccessToken()}`, intents: PUBLIC, shard } });
      expect((await client.closed).code).toBe(4010);
    }
  });

  it('closes with 4004 for an expired, unknown or unprefixed token', async () => {
    emu = await Emulator.start();
    const token = emu.createAccessToken();
    for (const given of ['QQBot nonsense', token]) {
      const client = await connect();
      client.send({ op: 2, d: { token: given, intents: PUBLIC, shard: [0, 1] } });
      expect((await client.closed).code).toBe(4004);
    }
    emu.faults.expireTokens();
    const client = await connect();
    client.send({ op: 2, d: { token: `QQBot ${token}`, intents: PUBLIC, shard: [0, 1] } });
    expect((await client.closed).code).toBe(4004);
  });

  it('closes with 4005 when identifying twice on one connection', async () => {
    emu = await Emulator.start({ identifyWindow: 0 });
    const client = await connect();
    await client.identify(emu.createAccessToken(), PUBLIC);
    client.send({ op: 2, d: { token: `QQBot ${emu.createAccessToken()}`, intents: PUBLIC, shard: [0, 1] } });
    expect((await client.closed).code).toBe(4005);
  });

  it('routes guild events by (guild_id >> 22) % shard_count and group/C2C events to shard 0', async () => {
    emu = await Emulator.start({
      shards: 2,
      identifyWindow: 0,
      grantedIntents: 'all',
      sessionStartLimit: { maxConcurrency: 2 },
    });
    const token = emu.createAccessToken();
    const shard0 = await connect();
    const shard1 = await connect();
    await shard0.identify(token, PUBLIC | Intent.GROUP_AND_C2C_EVENT, [0, 2]);
    await shard1.identify(token, PUBLIC | Intent.GROUP_AND_C2C_EVENT, [1, 2]);

    const [hall, lounge] = SEED.guilds;
    expect(shardForGuild(hall, 2)).toBe(0);
    expect(shardForGuild(lounge, 2)).toBe(1);
    const onLounge = emu.simulate.guildAtMessage({ guildId: lounge, content: 'to shard 1' });
    const onHall = emu.simulate.guildAtMessage({ guildId: hall, content: 'to shard 0' });
    const group = emu.simulate.groupAtMessage({ content: 'group' });

    expect((await shard1.dispatch('AT_MESSAGE_CREATE')).id).toBe(onLounge.id);
    expect((await shard0.dispatch('AT_MESSAGE_CREATE')).id).toBe(onHall.id);
    expect((await shard0.dispatch('GROUP_AT_MESSAGE_CREATE')).id).toBe(group.id);
    emu.simulate.c2cMessage({ content: 'marker' });
    await shard0.dispatch('C2C_MESSAGE_CREATE');
    expect(
      shard1.frames.filter((f) => f.t === 'GROUP_AT_MESSAGE_CREATE' || f.t === 'C2C_MESSAGE_CREATE'),
    ).toEqual([]);
    expect(shard0.frames.filter((f) => f.id === onLounge.id)).toEqual([]);
  });

  it('finds or creates a guild for any shard of any shard count', async () => {
    emu = await Emulator.start();
    for (const [shard, count] of [
      [5, 8],
      [0, 3],
      [11, 12],
    ] as const) {
      expect(shardForGuild(emu.world.guildOnShard(shard, count).id, count)).toBe(shard);
    }
  });

  it('delivers only the events the session subscribed to', async () => {
    emu = await Emulator.start({ grantedIntents: 'all' });
    const client = await connect();
    await client.identify(emu.createAccessToken(), Intent.GROUP_AND_C2C_EVENT);
    emu.simulate.guildAtMessage({ content: 'not subscribed' });
    const c2c = emu.simulate.c2cMessage({ content: 'subscribed' });
    const first = await client.next((f) => f.op === 0 && f.t !== 'READY');
    expect(first.id).toBe(c2c.id);
    expect(first.s).toBe(2);
  });

  it('delivers unknown events to every session on the routed shard', async () => {
    emu = await Emulator.start();
    const client = await connect();
    await client.identify(emu.createAccessToken(), Intent.GUILDS);
    emu.simulate.dispatch('SUBSCRIBE_MESSAGE_STATUS', { result: 1 });
    expect((await client.dispatch('SUBSCRIBE_MESSAGE_STATUS')).d).toEqual({ result: 1 });
  });

  it("records the bot's frames with their shard and session", async () => {
    emu = await Emulator.start();
    const client = await connect();
    const ready = await client.identify(emu.createAccessToken(), PUBLIC);
    client.send({ op: 1, d: 1 });
    const beat = await emu.recorder.waitFor((r) => r.kind === 'gateway' && r.op === 1);
    expect(beat).toMatchObject({ shard: [0, 1], sessionId: ready.session_id, d: 1 });
    const identify = emu.recorder.filter((r) => r.kind === 'gateway' && r.op === 2);
    expect(identify).toHaveLength(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Emulator, Intent } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';

const INTENTS = Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES;

describe('strictResume: a resume from behind what heartbeats acknowledged', () => {
  let emu: Emulator | undefined;
  const clients: GatewayClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu?.stop();
  });

  /** A session that received three events and acknowledged the last with a heartbeat, then lost its socket. */
  async function acknowledgedSession(strictResume: boolean) {
    emu = await Emulator.start({ identifyWindow: 0, strictResume });
    const token = emu.createAccessToken();
    const first = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(first);
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    for (let n = 0; n < 3; n++) emu.simulate.guildAtMessage({ content: `#${n}` });
    for (let n = 0; n < 3; n++) await first.dispatch('AT_MESSAGE_CREATE');
    const acknowledged = Math.max(...first.frames.map((f) => f.s ?? 0));
    first.send({ op: 1, d: acknowledged });
    await first.next((f) => f.op === 11);
    emu.faults.dropSocket(0);
    await first.closed;
    const resume = async (seq: number): Promise<GatewayClient> => {
      const client = await GatewayClient.connect(emu?.gatewayUrl ?? '');
      clients.push(client);
      await client.next((f) => f.op === 10);
      client.send({ op: 6, d: { token: `QQBot ${token}`, session_id: sessionId, seq } });
      return client;
    };
    return { acknowledged, resume };
  }

  it('is closed with 4007 when strict', async () => {
    const { acknowledged, resume } = await acknowledgedSession(true);
    const behind = await resume(acknowledged - 2);
    expect((await behind.closed).code).toBe(4007);
  });

  it('resumes from the acknowledged seq when strict', async () => {
    const { acknowledged, resume } = await acknowledgedSession(true);
    const client = await resume(acknowledged);
    expect((await client.next((f) => f.op === 0)).t).toBe('RESUMED');
  });

  it('replays from behind it when not strict (the default)', async () => {
    const { acknowledged, resume } = await acknowledgedSession(false);
    const client = await resume(acknowledged - 2);
    expect((await client.next((f) => f.op === 0)).s).toBe(acknowledged - 1);
  });
});

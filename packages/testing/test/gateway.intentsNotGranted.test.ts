import { afterEach, describe, expect, it } from 'vitest';
import { Logger, type ILogObj } from 'tslog';
import { Emulator, Intent } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';

/** A logger at the emulator's default level (warn) keeping each line's level and text. */
function recordingLogger(): { logger: Logger<ILogObj>; lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const logger = new Logger<ILogObj>({ type: 'hidden', minLevel: 4 });
  logger.attachTransport((log) => {
    const meta = (log as { _meta?: { logLevelName?: string } })._meta;
    const text = Object.entries(log)
      .filter(([key]) => key !== '_meta')
      .map(([, value]) => String(value))
      .join(' ');
    lines.push({ level: meta?.logLevelName ?? '?', text });
  });
  return { logger, lines };
}

/*
 * A bot started against Emulator.start() with its defaults is granted what a new bot is on the
 * platform; a group bot then meets a fatal 4014. The close is the platform's (its reason says
 * nothing about the emulator); the emulator's own log says which intents were missing and that
 * grantedIntents grants them.
 */
describe('an Identify asking for intents the emulator does not grant', () => {
  let emu: Emulator | undefined;
  const clients: GatewayClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu?.stop();
    emu = undefined;
  });

  const identify = async (emulator: Emulator, intents: number): Promise<GatewayClient> => {
    const client = await GatewayClient.connect(emulator.gatewayUrl);
    clients.push(client);
    await client.next();
    const token = `QQBot ${emulator.createAccessToken()}`;
    client.send({ op: 2, d: { token, intents, shard: [0, 1] } });
    return client;
  };

  it('closes 4014 as the platform does, and logs a warning naming the intents and grantedIntents', async () => {
    const { logger, lines } = recordingLogger();
    emu = await Emulator.start({ logger });
    const client = await identify(emu, Intent.GUILDS | Intent.GROUP_AND_C2C_EVENT);

    const closed = await client.closed;
    expect(closed.code).toBe(4014);
    expect(closed.reason).not.toMatch(/grantedIntents|emulator/i);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('WARN');
    expect(lines[0]?.text).toMatch(/4014/);
    expect(lines[0]?.text).toMatch(/GROUP_AND_C2C_EVENT/);
    expect(lines[0]?.text).not.toMatch(/\bGUILDS\b.*not granted/);
    expect(lines[0]?.text).toMatch(/grantedIntents/);
  });

  it('logs the same warning when it refuses them with op 9, once per set of missing intents', async () => {
    const { logger, lines } = recordingLogger();
    emu = await Emulator.start({ logger });
    emu.faults.refuseDisallowedIntentsWith('invalidSession');
    const first = await identify(emu, Intent.GROUP_AND_C2C_EVENT);
    expect(await first.next()).toEqual({ op: 9, d: false });
    const again = await identify(emu, Intent.GROUP_AND_C2C_EVENT);
    expect(await again.next()).toEqual({ op: 9, d: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toMatch(/op 9/);
    expect(lines[0]?.text).toMatch(/grantedIntents/);

    const other = await identify(emu, Intent.INTERACTION);
    expect(await other.next()).toEqual({ op: 9, d: false });
    expect(lines).toHaveLength(2);
    expect(lines[1]?.text).toMatch(/INTERACTION/);
  });

  it('logs nothing for a 4014 a test sends on purpose', async () => {
    const { logger, lines } = recordingLogger();
    emu = await Emulator.start({ logger });
    const client = await identify(emu, Intent.GUILDS);
    await client.dispatch('READY');
    emu.faults.closeShard(0, 4014);
    expect((await client.closed).code).toBe(4014);
    expect(lines).toEqual([]);
  });
});

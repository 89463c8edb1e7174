import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Intent, SEED } from '@bot/testing';
import { GatewayClient, type Frame } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';
import { startCli } from './support/startCli.js';

const INTENTS = Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES;

/** The shard a guild's events go to with `count` shards (docs/protocol.md §5.1). */
function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

describe('qq-emulator CLI: shards and resumes', () => {
  let running: ChildProcess | undefined;
  const clients: GatewayClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    if (running && running.exitCode === null) running.kill('SIGKILL');
    running = undefined;
  });

  async function connect(url: string): Promise<GatewayClient> {
    const client = await GatewayClient.connect(url);
    clients.push(client);
    return client;
  }

  it('with --shards 8 seeds a guild on every shard, keeping the seed ids, so shard 5 gets guild events', async () => {
    const cli = startCli(['--shards', '8']);
    running = cli.child;
    const info = JSON.parse(await cli.firstLine) as Record<string, string>;
    const control = info['controlUrl'] ?? '';
    const world = await call<{ guilds: { id: string; channels: { id: string }[] }[] }>(
      control,
      'GET',
      '/world',
    );
    const ids = world.body.guilds.map((guild) => guild.id);
    expect(ids).toEqual(expect.arrayContaining([...SEED.guilds]));
    expect(new Set(ids.map((id) => shardOf(id, 8)))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));

    const token = (await call<{ access_token: string }>(control, 'POST', '/token')).body.access_token;
    const shard5 = await connect(info['gatewayUrl'] ?? '');
    await shard5.identify(token, INTENTS, [5, 8]);
    const guildId = ids.find((id) => shardOf(id, 8) === 5) ?? '';
    const sent = await call(control, 'POST', '/simulate/guildAtMessage', {
      body: { guildId, content: 'hi five' },
    });
    expect(sent.status).toBe(200);
    const event = await shard5.dispatch('AT_MESSAGE_CREATE');
    expect(event.d).toMatchObject({ guild_id: guildId });
  });

  it('--strict-resume closes a Resume from behind the acknowledged seq with 4007', async () => {
    const cli = startCli(['--strict-resume']);
    running = cli.child;
    const info = JSON.parse(await cli.firstLine) as Record<string, string>;
    const { token, sessionId, acknowledged } = await lostSession(info);
    const behind = await resume(info, token, sessionId, acknowledged - 2);
    expect((await behind.closed).code).toBe(4007);
  });

  it('--resume-window forgets a disconnected session after that many ms', async () => {
    const cli = startCli(['--resume-window', '300']);
    running = cli.child;
    const info = JSON.parse(await cli.firstLine) as Record<string, string>;
    const { token, sessionId, acknowledged } = await lostSession(info);
    const within = await resume(info, token, sessionId, acknowledged);
    expect((await within.next((frame) => frame.op === 0)).t).toBe('RESUMED');
    await within.close(4000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const late = await resume(info, token, sessionId, acknowledged);
    expect(await late.next((frame) => frame.op === 9)).toMatchObject({ op: 9, d: false });
  });

  it('refuses a resume window that is not a number of ms, with usage naming both flags', async () => {
    const bad = startCli(['--resume-window', 'soon']);
    running = bad.child;
    await expect(bad.firstLine).rejects.toThrow('exited with 2 before printing');
    expect(bad.stderr()).toContain('--resume-window must be a non-negative integer, got "soon"');
    expect(bad.stderr()).toContain('--strict-resume');
    expect(bad.stderr()).toContain('--resume-window <ms>');
  });

  /** A session that received three events, acknowledged them with a heartbeat, then lost its socket. */
  async function lostSession(info: Record<string, string>) {
    const control = info['controlUrl'] ?? '';
    const token = (await call<{ access_token: string }>(control, 'POST', '/token')).body.access_token;
    const first = await connect(info['gatewayUrl'] ?? '');
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    for (let n = 0; n < 3; n++) {
      await call(control, 'POST', '/simulate/guildAtMessage', { body: { content: `#${n}` } });
      await first.dispatch('AT_MESSAGE_CREATE');
    }
    const acknowledged = Math.max(...first.frames.map((frame: Frame) => frame.s ?? 0));
    first.send({ op: 1, d: acknowledged });
    await first.next((frame) => frame.op === 11);
    await call(control, 'POST', '/faults/dropSocket', { body: { shard: 0 } });
    await first.closed;
    return { token, sessionId, acknowledged };
  }

  async function resume(
    info: Record<string, string>,
    token: string,
    sessionId: string,
    seq: number,
  ): Promise<GatewayClient> {
    const client = await connect(info['gatewayUrl'] ?? '');
    await client.next((frame) => frame.op === 10);
    client.send({ op: 6, d: { token: `QQBot ${token}`, session_id: sessionId, seq } });
    return client;
  }
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator, Intent } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';

describe('bad input to the gateway', () => {
  let emu: Emulator;
  const clients: GatewayClient[] = [];
  const connect = async (): Promise<GatewayClient> => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(client);
    await client.next((f) => f.op === 10);
    return client;
  };
  beforeEach(async () => {
    emu = await Emulator.start({ maxFrameBytes: 1024 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu.stop();
  });

  const cases: Array<[string, string | Buffer, boolean, number]> = [
    ['malformed JSON', '{"op": 1,', false, 4002],
    ['a JSON array', '[1, 2]', false, 4002],
    ['a payload without op', '{"d": null}', false, 4002],
    ['a non-integer op', '{"op": "1"}', false, 4002],
    ['a binary frame', Buffer.from('{"op":1}'), true, 4002],
    ['an oversized payload', JSON.stringify({ op: 1, d: null, pad: 'x'.repeat(2000) }), false, 4002],
    ['an unknown opcode', '{"op": 99}', false, 4001],
    ['a server-only opcode', '{"op": 10, "d": {}}', false, 4001],
    ['a heartbeat with a bad seq', '{"op": 1, "d": "seven"}', false, 4002],
    ['an identify with a non-object d', '{"op": 2, "d": "token"}', false, 4002],
    ['a resume without a session id', '{"op": 6, "d": {"token": "t", "seq": 1}}', false, 4002],
  ];

  for (const [what, frame, binary, code] of cases) {
    it(`closes with ${code} on ${what}, and keeps serving`, async () => {
      const client = await connect();
      client.sendRaw(frame, binary);
      expect((await client.closed).code).toBe(code);
      const next = await GatewayClient.connect(emu.gatewayUrl);
      clients.push(next);
      const ready = await next.identify(emu.createAccessToken(), Intent.GUILDS);
      expect(ready.session_id).toEqual(expect.any(String));
    });
  }

  it('records a bad frame with op null', async () => {
    const client = await connect();
    client.sendRaw('not json at all');
    await client.closed;
    const record = await emu.recorder.waitFor((r) => r.kind === 'gateway' && r.op === null);
    expect(record).toMatchObject({ raw: 'not json at all' });
  });

  it('closes with 4009 when heartbeats stop arriving', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const quiet = await Emulator.start({ heartbeatInterval: 30_000 });
    try {
      const client = await GatewayClient.connect(quiet.gatewayUrl);
      clients.push(client);
      await quiet.recorder.waitFor((r) => r.kind === 'sent' && r.payload.op === 10, { timeout: 1e9 });
      vi.advanceTimersByTime(59_999);
      expect(quiet.recorder.filter((r) => r.kind === 'close')).toEqual([]);
      vi.advanceTimersByTime(1);
      vi.useRealTimers();
      expect((await client.closed).code).toBe(4009);
    } finally {
      await quiet.stop();
    }
  });

  it('answers upgrades on other paths with 404', async () => {
    await expect(GatewayClient.connect(emu.gatewayUrl.replace('/websocket', '/elsewhere'))).rejects.toThrow(
      /404/,
    );
  });
});

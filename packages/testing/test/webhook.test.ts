import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Emulator, validationAnswer } from '@bot/testing';

/** Official vector from the platform docs. */
const VECTOR = {
  secret: 'DG5g3B4j9X2KOErG',
  eventTs: '1725442341',
  plainToken: 'Arq0D5A61EgUu4OxUvOp',
  signature:
    '87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706',
};

/** The bot side's public key, derived independently of the emulator's code. */
function publicKeyFor(secret: string) {
  let seed = secret;
  while (seed.length < 32) seed = seed.repeat(2);
  const der = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(seed.slice(0, 32)),
  ]);
  return createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

interface Delivery {
  headers: IncomingMessage['headers'];
  raw: string;
  body: { op: number; d: Record<string, unknown>; t?: string; id?: string };
}

/** A bot's webhook endpoint: answers op 13 with `answer13`, op 0 with `ack(n)` (status, body). */
async function botServer(
  answer13: (d: Record<string, string>) => unknown,
  ack: (n: number) => [number, unknown],
) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as Delivery['body'];
      if (body.op === 13) {
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify(answer13(body.d as Record<string, string>)));
        return;
      }
      deliveries.push({ headers: req.headers, raw, body });
      const [status, reply] = ack(deliveries.length);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/qq`;
  return { url, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('webhook pusher', () => {
  let emu: Emulator | undefined;
  let bot: Awaited<ReturnType<typeof botServer>> | undefined;
  afterEach(async () => {
    await emu?.stop();
    await bot?.close();
    emu = undefined;
    bot = undefined;
  });

  it('computes the official op 13 validation vector', () => {
    expect(validationAnswer(VECTOR.secret, VECTOR.plainToken, VECTOR.eventTs)).toEqual({
      plain_token: VECTOR.plainToken,
      signature: VECTOR.signature,
    });
  });

  it('validates a callback URL with op 13 and refuses a wrong answer', async () => {
    const secret = 'a-short-secret';
    bot = await botServer(
      (d) => validationAnswer(secret, d['plain_token'] ?? '', d['event_ts'] ?? ''),
      () => [200, { op: 12, d: 0 }],
    );
    emu = await Emulator.start({ secret });
    await emu.webhook.setUrl(bot.url);
    expect(emu.webhook.url).toBe(bot.url);

    const liar = await botServer(
      (d) => ({ plain_token: d['plain_token'], signature: 'ab'.repeat(64) }),
      () => [200, { op: 12, d: 0 }],
    );
    try {
      await expect(emu.webhook.setUrl(liar.url)).rejects.toThrow(/signature does not verify/);
      expect(await emu.webhook.validate('http://127.0.0.1:1/nothing-listens')).toMatchObject({ ok: false });
    } finally {
      await liar.close();
    }
  });

  it('signs each delivery over timestamp + raw body with the app secret', async () => {
    const secret = 'webhook-secret';
    bot = await botServer(
      (d) => validationAnswer(secret, d['plain_token'] ?? '', d['event_ts'] ?? ''),
      () => [200, { op: 12, d: 0 }],
    );
    emu = await Emulator.start({ appId: '102030', secret, webhook: { url: bot.url } });
    const event = emu.simulate.groupAtMessage({ content: 'over the webhook' });
    const record = await emu.recorder.waitFor((r) => r.kind === 'webhook' && r.payload.id === event.id);
    expect(record).toMatchObject({ status: 200, ack: 0, attempt: 1 });

    const [delivery] = bot.deliveries;
    expect(delivery?.headers['user-agent']).toBe('QQBot-Callback');
    expect(delivery?.headers['x-bot-appid']).toBe('102030');
    const timestamp = String(delivery?.headers['x-signature-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const signature = Buffer.from(String(delivery?.headers['x-signature-ed25519']), 'hex');
    expect(signature).toHaveLength(64);
    expect(
      verify(null, Buffer.from(timestamp + (delivery?.raw ?? '')), publicKeyFor(secret), signature),
    ).toBe(true);
    expect(delivery?.body).toMatchObject({
      op: 0,
      id: event.id,
      t: 'GROUP_AT_MESSAGE_CREATE',
      d: { content: ' over the webhook' },
    });
  });

  it('retries a delivery answered with d: 1 or a non-200 status', async () => {
    const secret = 'retry-secret';
    const answers: Array<[number, unknown]> = [
      [200, { op: 12, d: 1 }],
      [503, { error: 'busy' }],
      [200, { op: 12, d: 0 }],
    ];
    bot = await botServer(
      (d) => validationAnswer(secret, d['plain_token'] ?? '', d['event_ts'] ?? ''),
      (n) => answers[n - 1] ?? [200, { op: 12, d: 0 }],
    );
    emu = await Emulator.start({ secret, webhook: { url: bot.url, retryDelays: [10, 10, 10] } });
    const event = emu.simulate.c2cMessage({ content: 'retry me' });
    const attempts = await emu.recorder.waitForCount(
      (r) => r.kind === 'webhook' && r.payload.id === event.id,
      3,
    );
    expect(attempts.map((a) => (a.kind === 'webhook' ? [a.attempt, a.status, a.ack] : []))).toEqual([
      [1, 200, 1],
      [2, 503, null],
      [3, 200, 0],
    ]);
    await emu.webhook.idle();
    expect(bot.deliveries).toHaveLength(3);
  });

  it('gives up after the configured retries', async () => {
    const secret = 'give-up-secret';
    bot = await botServer(
      (d) => validationAnswer(secret, d['plain_token'] ?? '', d['event_ts'] ?? ''),
      () => [500, {}],
    );
    emu = await Emulator.start({ secret, webhook: { url: bot.url, retryDelays: [5] } });
    emu.simulate.friendAdd({ userOpenid: 'F'.repeat(32) });
    await emu.recorder.waitForCount((r) => r.kind === 'webhook', 2);
    await emu.webhook.idle();
    expect(bot.deliveries).toHaveLength(2);
  });
});

describe('webhook pusher under a burst', () => {
  it('keeps twenty deliveries in flight, then twenty retries waiting, without a listener leak warning', async () => {
    const secret = 'burst-secret';
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    // The first twenty deliveries are answered only once all twenty are in flight, with a retry asked for.
    const held: Array<() => void> = [];
    let deliveries = 0;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          op: number;
          d: Record<string, string>;
        };
        const answer = (value: unknown): void => {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
        };
        if (body.op === 13)
          return answer(validationAnswer(secret, body.d['plain_token']!, body.d['event_ts']!));
        deliveries += 1;
        if (deliveries > 20) return answer({ op: 12, d: 0 });
        held.push(() => answer({ op: 12, d: 1 }));
        if (held.length === 20) for (const release of held) release();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/qq`;
    const emu = await Emulator.start({ secret, webhook: { url, retryDelays: [50] } });
    try {
      for (let index = 0; index < 20; index++) emu.simulate.c2cMessage({ content: `burst ${index}` });
      await emu.recorder.waitForCount((record) => record.kind === 'webhook' && record.attempt === 2, 20);
      await emu.webhook.idle();
      expect(deliveries).toBe(40);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await emu.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stops at once with retries still waiting', async () => {
    const secret = 'stop-secret';
    const bot = await botServer(
      (d) => validationAnswer(secret, d['plain_token'] ?? '', d['event_ts'] ?? ''),
      () => [500, {}],
    );
    const emu = await Emulator.start({ secret, webhook: { url: bot.url, retryDelays: [60_000] } });
    try {
      emu.simulate.friendAdd({ userOpenid: 'F'.repeat(32) });
      await emu.recorder.waitForCount((record) => record.kind === 'webhook', 1);
      let timer: NodeJS.Timeout | undefined;
      const stopped = emu.stop().then(() => 'stopped');
      const later = new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting'), 2_000)));
      expect(await Promise.race([stopped, later])).toBe('stopped');
      clearTimeout(timer);
      await emu.webhook.idle();
      expect(bot.deliveries).toHaveLength(1);
    } finally {
      await emu.stop();
      await bot.close();
    }
  });
});

describe('webhook configuration at start', () => {
  it('refuses to start when the callback URL fails validation', async () => {
    await expect(
      Emulator.start({ webhook: { url: 'http://127.0.0.1:1/nothing-listens', timeout: 2000 } }),
    ).rejects.toThrow(/validation failed/);
  });
});

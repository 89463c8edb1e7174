import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, IntentFlags, Intents, Token, createLogger, type IntentName } from '@bot/client';
import { intentBuilderMethod, uncoveredMethods } from '../src/events/intentCoverage.js';

/** A logger printing nothing that keeps every WARN: its logger name and first argument. */
function warningLogger() {
  const warnings: Array<{ name: unknown; message: unknown }> = [];
  const log = createLogger('test', 0);
  log.settings.type = 'hidden';
  log.attachTransport((record) => {
    const entry = record as Record<string, unknown> & { _meta: { logLevelName: string; name?: unknown } };
    if (entry._meta.logLevelName === 'WARN') warnings.push({ name: entry._meta.name, message: entry['0'] });
  });
  return { log, warnings };
}

class Bot {
  public groupMessageCreate(): void {}
  public interactionCreate(): void {}
  public messageCreate(): void {}
  public ready(): void {}
}

describe('handler methods the intents leave without events', () => {
  it('names each method, its handler, the intent and the Intents method adding it', () => {
    expect(uncoveredMethods([new Bot()], Intents.default())).toEqual([
      {
        method: 'groupMessageCreate',
        event: 'GROUP_AT_MESSAGE_CREATE',
        intent: 'GROUP_AND_C2C_EVENT',
        handlers: ['Bot#0'],
      },
      {
        method: 'interactionCreate',
        event: 'INTERACTION_CREATE',
        intent: 'INTERACTION',
        handlers: ['Bot#0'],
      },
    ]);
    expect(uncoveredMethods([new Bot()], Intents.default().withGroupAndC2cEvent().withInteraction())).toEqual(
      [],
    );
    // ready and resumed reach every session; a handler without the method is not named.
    expect(
      uncoveredMethods([{ ready: () => undefined }, new Bot()], Intents.none()).map((m) => m.handlers),
    ).toEqual([['Bot#1'], ['Bot#1'], ['Bot#1']]);
  });

  it('names an Intents method that exists and adds exactly that intent, for every intent', () => {
    for (const name of Object.keys(IntentFlags) as IntentName[]) {
      const method = intentBuilderMethod(name);
      const add = (Intents.none() as unknown as Record<string, () => Intents>)[method];
      expect(add, method).toBeTypeOf('function');
      expect(add!.call(Intents.none()).bits).toBe(IntentFlags[name]);
    }
  });

  it('are warned of once, under start, when a gateway start begins', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const { log, warnings } = warningLogger();
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(log)
        .eventHandler(new Bot());
      expect(warnings).toEqual([]); // building connects nothing and says nothing yet
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      await ready;
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.name).toBe('start');
      const message = String(warnings[0]!.message);
      expect(message).toContain(
        'groupMessageCreate (Bot#0) needs GROUP_AND_C2C_EVENT: add .withGroupAndC2cEvent()',
      );
      expect(message).toContain('interactionCreate (Bot#0) needs INTERACTION: add .withInteraction()');
      expect(message).not.toContain('messageCreate (');
      await client.startShard(0, 1).catch(() => undefined); // a second start: no second warning
      expect(warnings).toHaveLength(1);
      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });

  it('are not warned of for a webhook, which has no intents', async () => {
    const { log, warnings } = warningLogger();
    const client = await Client.builder(new Token('102000000', 'secret'), Intents.default())
      .logger(log)
      .eventHandler(new Bot());
    const server = await client.startWebhook({ port: 0, host: '127.0.0.1' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    await client.shutdown();
    expect(warnings).toEqual([]);
  });

  it('are not warned of when every method is covered', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const { log, warnings } = warningLogger();
      const intents = Intents.default().withGroupAndC2cEvent().withInteraction();
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), intents)
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(log)
        .eventHandler(new Bot())
        .rawEventHandler({ raw: () => undefined });
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      await ready;
      expect(warnings).toEqual([]);
      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });
});

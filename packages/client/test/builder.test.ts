import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  Client,
  ClientBuilder,
  Intents,
  Token,
  ValidationError,
  defineKey,
  type EventHandler,
  type RawEventHandler,
} from '@bot/client';

const token = new Token('app', 'secret');
const handler: EventHandler = { messageCreate: () => undefined };

async function buildError(builder: ClientBuilder): Promise<ValidationError> {
  const error = await builder.build().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('ClientBuilder', () => {
  it('awaiting the builder builds the client without opening a socket or fetching a token', async () => {
    const emulator = await Emulator.start();
    try {
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .eventHandler(handler);
      expect(client).toBeInstanceOf(Client);
      expect(client.intents.bits).toBe(Intents.default().bits);
      expect(emulator.recorder.records).toEqual([]);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });

  it('returning the builder from an async function builds it too', async () => {
    const make = async (): Promise<Client> => Client.builder(token, Intents.default()).eventHandler(handler);
    const client = await make();
    expect(client).toBeInstanceOf(Client);
    await client.shutdown();
  });

  it('keeps every setting and exposes it through getters', () => {
    const Key = defineKey<number>('n');
    const raw = { raw: () => undefined };
    const builder = Client.builder(token, Intents.default())
      .eventHandler(handler)
      .eventHandler({})
      .rawEventHandler(raw)
      .status('idle')
      .activity({ name: '!help', type: 0 })
      .intents(Intents.default().withGroupAndC2cEvent())
      .dispatchPolicy({ mode: 'sequential' })
      .data(Key, 7);
    expect(builder.getEventHandlers()).toHaveLength(2);
    expect(builder.getEventHandlers()[0]).toBe(handler);
    expect(builder.getRawEventHandlers()).toEqual([raw]);
    expect(builder.getPresence()).toEqual({ status: 'idle', activity: { name: '!help', type: 0 } });
    expect((builder.getIntents() as Intents).has(Intents.GROUP_AND_C2C_EVENT)).toBe(true);
    expect(builder.getDispatchPolicy()).toEqual({ mode: 'sequential' });
    expect(builder.getData().get(Key)).toBe(7);
    expect(builder.getToken()).toBe(token);
  });

  it('refuses missing credentials, naming the option', async () => {
    const error = await buildError(
      Client.builder(undefined as unknown as Token, Intents.default()).eventHandler(handler),
    );
    expect(error.field).toBe('token');
    expect(() => new Token('', 'secret')).toThrow(ValidationError);
  });

  it('refuses intents that are not a valid bit set', async () => {
    expect((await buildError(Client.builder(token, 1 << 3).eventHandler(handler))).field).toBe('intents');
    expect((await buildError(Client.builder(token, -5).eventHandler(handler))).field).toBe('intents');
  });

  it('refuses conflicting and malformed options', async () => {
    const base = () => Client.builder(token, Intents.default()).eventHandler(handler);
    expect((await buildError(base().sandbox().baseUrl('http://127.0.0.1:1'))).field).toBe('sandbox');
    expect((await buildError(base().baseUrl('not a url'))).field).toBe('baseUrl');
    expect((await buildError(base().dispatchPolicy({ mode: 'concurrent', limit: 0 }))).field).toBe(
      'dispatchPolicy.limit',
    );
    expect((await buildError(Client.builder(token, Intents.default()))).field).toBe('eventHandler');
  });

  it('refuses handlers whose methods are not functions, naming the handler and the method', async () => {
    const base = () => Client.builder(token, Intents.default()).eventHandler(handler);
    const wrongMethod = { c2cMessageCreate: 'reply pong' } as unknown as EventHandler;
    const error = await buildError(base().eventHandler(wrongMethod));
    expect(error.field).toBe('eventHandler[1].c2cMessageCreate');
    expect(error.message).toMatch(/must be a function \(got string\)/);
    expect((await buildError(base().eventHandler(null as unknown as EventHandler))).field).toBe(
      'eventHandler[1]',
    );
    expect((await buildError(base().rawEventHandler({} as RawEventHandler))).field).toBe(
      'rawEventHandler[0].raw',
    );
  });

  it('refuses wrong shard arguments before connecting', async () => {
    const client = await Client.builder(token, Intents.default())
      .baseUrl('http://127.0.0.1:1')
      .eventHandler(handler);
    await expect(client.startShard(3, 2)).rejects.toBeInstanceOf(ValidationError);
    await expect(client.startShardRange({ from: 4, to: 2 }, 10)).rejects.toBeInstanceOf(ValidationError);
    await expect(client.startShards(-1)).rejects.toBeInstanceOf(ValidationError);
    await client.shutdown();
  });
});

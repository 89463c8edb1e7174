import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  Client,
  ClientBuilder,
  Intents,
  Token,
  ValidationError,
  createLogger,
  defineKey,
  type EventHandler,
  type GatewayOptions,
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

  it('Client.builder gives a fresh ClientBuilder each call, as constructing one does', async () => {
    const first = Client.builder(token, Intents.default());
    const second = Client.builder(token, 1);
    expect(first).toBeInstanceOf(ClientBuilder);
    expect(second).not.toBe(first);
    expect(first.getToken()).toBe(token);
    expect(second.getIntents()).toBe(1);
    // Not an enumerable own property: `Client`'s keys are what they are for a static method.
    expect(Object.keys(Client)).not.toContain('builder');
    const client = await new ClientBuilder(token, Intents.default()).eventHandler(handler);
    expect(client).toBeInstanceOf(Client);
    await client.shutdown();
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
    expect((await buildError(base().dispatchPolicy({ mode: 'concurrent', limit: 0 }))).field).toBe(
      'dispatchPolicy.limit',
    );
    expect((await buildError(Client.builder(token, Intents.default()))).field).toBe('eventHandler');
  });

  it('refuses a REST URL that is not http(s) in baseUrl() itself, with the spelling to use', () => {
    const base = () => Client.builder(token, Intents.default()).eventHandler(handler);
    const refusal = (apiUrl: string, tokenUrl?: string): ValidationError => {
      try {
        base().baseUrl(apiUrl, tokenUrl);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return error as ValidationError;
      }
      throw new Error(`baseUrl(${apiUrl}, ${tokenUrl}) was accepted`);
    };
    const scheme = refusal('localhost:8080');
    expect(scheme.field).toBe('baseUrl');
    expect(scheme.message).toContain("write 'http://localhost:8080'");
    expect(refusal('not a url').field).toBe('baseUrl');
    expect(refusal('http://127.0.0.1:1', 'ftp://127.0.0.1/token').field).toBe('baseUrl.tokenUrl');
    expect(base().baseUrl('https://api.example.com').getBaseUrl().apiUrl).toBe('https://api.example.com');
  });

  it('passes gateway options through to the shard manager, and checks them when built', async () => {
    const base = () => Client.builder(token, Intents.default()).eventHandler(handler);
    const options = {
      identifyWindowMs: 2_000,
      timeouts: { helloMs: 1_000 },
      closeCodes: { 4009: 'identify' },
    };
    const builder = base().gateway(options as GatewayOptions);
    expect(builder.getGateway()).toBe(options);
    const client = await builder;
    await client.shutdown();
    const field = async (gateway: GatewayOptions): Promise<string> =>
      (await buildError(base().gateway(gateway))).field;
    expect(await field({ timeouts: { handshakeMs: -1 } })).toBe('gateway.timeouts.handshakeMs');
    expect(await field({ maxAuthFailures: 0 })).toBe('gateway.maxAuthFailures');
    expect(await field({ closeCodes: { 4009: 'reboot' as 'identify' } })).toBe('gateway.closeCodes.4009');
    expect(await field({ identifyWindowMs: 0 })).toBe('gateway.identifyWindowMs');
    expect(await field({ shutdownTimeoutMs: Number.NaN })).toBe('gateway.shutdownTimeoutMs');
    expect(await field({ backoff: { baseMs: -5 } })).toBe('gateway.backoff.baseMs');
    expect(await field({ sendLimit: { limit: 10, reserved: 10 } })).toBe('gateway.sendLimit.reserved');
    expect(await field({ sendLimit: { maxQueued: 0 } })).toBe('gateway.sendLimit.maxQueued');
    expect(await field({ onFatal: 'panic' as 'stopAll' })).toBe('gateway.onFatal');
    const message = (await buildError(base().gateway({ timeouts: { helloMs: 0 } }))).message;
    expect(message).toBe(
      'gateway.timeouts.helloMs must be a positive number of milliseconds, at most 2147483647 (got 0)',
    );
  });

  it('hands gateway options to the shards: a close-code override decides what a close means', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000 });
    try {
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .gateway({ closeCodes: { 4009: 'fatal' } })
        .eventHandler(handler);
      const running = client.start();
      await expect.poll(() => client.shardManager.status()[0]?.state).toBe('ready');
      emulator.faults.closeShard(0, 4009);
      await expect(running).rejects.toMatchObject({ kind: 'gateway', code: 4009 });
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });

  it('checks the back-pressure marks and the shutdown deadline when built', async () => {
    const base = () => Client.builder(token, Intents.default()).eventHandler(handler);
    expect(base().backpressure({ highWaterMark: 100 }).getBackpressure()).toEqual({ highWaterMark: 100 });
    expect(base().shutdownDeadline(2_000).getShutdownDeadline()).toBe(2_000);
    expect(base().getShutdownDeadline()).toBe(10_000);
    const field = async (builder: ClientBuilder): Promise<string> => (await buildError(builder)).field;
    // Below the default concurrency of 64, the lane would pause before running at full width.
    expect(await field(base().backpressure({ highWaterMark: 10 }))).toBe('backpressure.highWaterMark');
    expect(await field(base().backpressure({ highWaterMark: 100, lowWaterMark: 100 }))).toBe(
      'backpressure.lowWaterMark',
    );
    expect(await field(base().backpressure({ lowWaterMark: -1 }))).toBe('backpressure.lowWaterMark');
    expect(await field(base().shutdownDeadline(Number.POSITIVE_INFINITY))).toBe('shutdownDeadline');
    const sequential = await base().dispatchPolicy({ mode: 'sequential' }).backpressure({ highWaterMark: 1 });
    await expect(sequential.shutdown({ deadlineMs: -1 })).rejects.toMatchObject({ field: 'deadlineMs' });
    await sequential.shutdown();
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

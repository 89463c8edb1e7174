import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  AuthenticationError,
  Client,
  FatalGatewayError,
  Intents,
  IntentsRefusedError,
  NetworkError,
  Token,
  ValidationError,
  createLogger,
  type ClientError,
  type EventHandler,
} from '@bot/client';

/** A handler that records what `error()` receives. */
function errorRecorder(): { handler: EventHandler; errors: ClientError[] } {
  const errors: ClientError[] = [];
  return { errors, handler: { error: (error) => void errors.push(error) } };
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('start failures reach error() as well as rejecting start*()', () => {
  it('reports a wrong secret as the AuthenticationError start() rejects with', async () => {
    const emulator = await Emulator.start();
    try {
      const { handler, errors } = errorRecorder();
      const client = await Client.builder(new Token(emulator.appId, 'not the secret'), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .eventHandler(handler);
      const failure = await client.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthenticationError);
      expect(errors).toEqual([failure]);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });

  it('reports a refused connection as the NetworkError startShards() rejects with', async () => {
    const port = await closedPort();
    const { handler, errors } = errorRecorder();
    const client = await Client.builder(new Token('102000000', 'secret'), Intents.default())
      .baseUrl(`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}/app/getAppAccessToken`)
      .logger(createLogger('test', 7))
      .eventHandler(handler);
    const failure = await client.startShards(2).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkError);
    expect(errors).toEqual([failure]);
    expect((errors[0] as NetworkError).reason).toBe('ECONNREFUSED');
    await client.shutdown();
  });

  it('reports wrong shard arguments as the ValidationError the call rejects with', async () => {
    const { handler, errors } = errorRecorder();
    const client = await Client.builder(new Token('102000000', 'secret'), Intents.default())
      .baseUrl('http://127.0.0.1:1')
      .logger(createLogger('test', 7))
      .eventHandler(handler);
    const failure = await client.startShardRange({ from: 4, to: 2 }, 10).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
    expect(errors).toEqual([failure]);
    await client.shutdown();
  });

  it('names refused intents with the client’s intent names', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000 });
    try {
      emulator.faults.refuseDisallowedIntentsWith('invalidSession');
      const { handler, errors } = errorRecorder();
      const client = await Client.builder(
        new Token(emulator.appId, emulator.secret),
        Intents.default().withGroupAndC2cEvent(),
      )
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .eventHandler(handler);
      const failure = await client.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(IntentsRefusedError);
      expect((failure as Error).message).toContain('1<<25 GROUP_AND_C2C_EVENT');
      expect(errors.filter((error) => error === failure)).toHaveLength(1);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });

  it('reports a fatal close once, though both the shard and start() carry it', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000 });
    try {
      const { handler, errors } = errorRecorder();
      // The emulator grants only the default intents: asking for all of them is closed with 4014.
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .eventHandler(handler);
      const failure = await client.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FatalGatewayError);
      expect(errors.filter((error) => error === failure)).toHaveLength(1);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });
});

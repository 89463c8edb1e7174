import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  AbandonedEventsError,
  Client,
  ClientDestroyedError,
  HandlerError,
  Intents,
  Token,
  createLogger,
  type ClientError,
} from '@bot/client';

describe('a handler failing after the shutdown gave up on its event', () => {
  it('is reported once more, after the AbandonedEventsError, as an abandoned HandlerError caused by ClientDestroyedError', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const errors: ClientError[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .dispatchPolicy({ mode: 'concurrent', limit: 8 })
        .shutdownDeadline(50)
        .eventHandler({
          async groupMessageCreate(_ctx, message) {
            started += 1;
            await held; // a slow handler: it replies only once the shutdown is over
            await message.reply('too late');
          },
          error: (error) => void errors.push(error),
        });
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      await ready;
      const sent = [1, 2, 3].map((n) => emulator.simulate.groupAtMessage({ content: `slow ${n}` }));
      await expect.poll(() => started).toBe(3);

      await client.shutdown();
      await running;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(AbandonedEventsError);
      expect((errors[0] as AbandonedEventsError).events.map((event) => event.id)).toEqual(
        sent.map((event) => event.id),
      );

      release();
      await expect.poll(() => errors.length).toBe(4);
      for (const late of errors.slice(1)) {
        expect(late).toBeInstanceOf(HandlerError);
        expect(late).toMatchObject({ kind: 'handler', abandoned: true, event: 'GROUP_AT_MESSAGE_CREATE' });
        expect(late.message).toContain('an event the shutdown had given up on (reported as abandoned)');
        const cause = (late as HandlerError).cause;
        expect(cause).toBeInstanceOf(ClientDestroyedError);
        expect(cause).toMatchObject({
          kind: 'clientDestroyed',
          method: 'POST',
          route: '/v2/groups/{group_openid}/messages',
        });
      }
      expect(
        emulator.recorder.filter((record) => record.kind === 'rest' && record.method === 'POST'),
      ).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });

  it('is not marked abandoned when the event was still waited for', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const errors: ClientError[] = [];
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .eventHandler({
          groupMessageCreate() {
            throw new Error('handler bug');
          },
          error: (error) => void errors.push(error),
        });
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      await ready;
      emulator.simulate.groupAtMessage({ content: 'hi' });
      await expect.poll(() => errors.length).toBe(1);
      expect(errors[0]).toMatchObject({ kind: 'handler', abandoned: false });
      expect(errors[0]!.message).not.toContain('given up on');
      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });
});

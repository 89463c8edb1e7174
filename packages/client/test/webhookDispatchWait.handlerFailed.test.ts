import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, type EmulatorRecord, type WebhookRecord } from '@bot/testing';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

/**
 * What a failing handler costs its delivery today, with the answer waiting for the handlers: the
 * event is acknowledged and reported to `error()`, and the platform (here the emulator, which
 * redelivers after a non-2xx answer) never sends it again. Handing a failure back to the platform
 * needs the dispatcher to tell the receiver which events' handlers failed and to forget their ids
 * (its duplicate filter would drop the redelivery): until then this test pins what users get.
 */
describe('startWebhook dispatchWaitMs when a handler fails', () => {
  for (const how of ['throws', 'rejects'] as const) {
    it(`acknowledges the delivery of an event whose handler ${how}, which is not delivered again`, async () => {
      const emulator = await Emulator.start({
        grantedIntents: 'all',
        webhook: { retryDelays: [20, 20] },
      });
      onTestFinished(() => emulator.stop());
      let runs = 0;
      const errors: ClientError[] = [];
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .eventHandler({
          c2cMessageCreate() {
            runs += 1;
            const failure = new Error('reply failed: upstream 502');
            if (how === 'throws') throw failure;
            return Promise.reject(failure);
          },
          error(error) {
            errors.push(error);
          },
        });
      onTestFinished(() => client.shutdown({ deadlineMs: 0 }));
      const server = await client.startWebhook({
        port: 0,
        host: '127.0.0.1',
        path: '/qq',
        dispatchWaitMs: 5_000,
      });
      await emulator.webhook.setUrl(server.url);

      emulator.simulate.c2cMessage({ content: 'fails' });
      await emulator.webhook.idle();
      expect(emulator.recorder.filter(isWebhook).map((record) => record.status)).toEqual([200]);
      expect(runs).toBe(1);
      expect(errors.map((error) => error.name)).toEqual(['HandlerError']);
    });
  }
});

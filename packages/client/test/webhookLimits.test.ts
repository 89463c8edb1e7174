import { describe, expect, it } from 'vitest';
import { Client, Intents, Token, createLogger } from '@bot/client';

describe('Client.startWebhook limits', () => {
  it("applies the caller's limits to the server: a body over maxBodyBytes is refused with 413", async () => {
    const client = await Client.builder(new Token('102000000', 'secret'), Intents.all())
      .logger(createLogger('test', 7))
      .eventHandler({});
    const server = await client.startWebhook({
      port: 0,
      host: '127.0.0.1',
      limits: { maxBodyBytes: 2_048 },
    });
    try {
      const body = JSON.stringify({ op: 0, t: 'C2C_MESSAGE_CREATE', d: { content: 'x'.repeat(4_096) } });
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature-ed25519': 'ab'.repeat(64),
          'x-signature-timestamp': String(Math.floor(Date.now() / 1000)),
        },
        body,
      });
      expect(response.status).toBe(413);
    } finally {
      await client.shutdown();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Client, Intents, Token, ValidationError, type DispatchPolicy, type EventHandler } from '@bot/client';

const handler: EventHandler = { messageCreate: () => undefined };
const base = () => Client.builder(new Token('app', 'secret'), Intents.default()).eventHandler(handler);

async function refusal(policy: unknown): Promise<unknown> {
  return base()
    .dispatchPolicy(policy as DispatchPolicy)
    .build()
    .catch((error: unknown) => error);
}

describe('ClientBuilder.dispatchPolicy', () => {
  // From JS or a config file, a misspelt mode ran concurrently, and the user lost event order.
  it('refuses an unknown dispatch mode, naming the field and the modes there are', async () => {
    for (const mode of ['sequental', 'Sequential', undefined, 1]) {
      const error = await refusal({ mode });
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'dispatchPolicy.mode' });
      expect((error as ValidationError).message).toContain('"sequential", "concurrent"');
    }
  });

  it('refuses a policy that is not an object', async () => {
    for (const policy of [null, 'sequential']) {
      const error = await refusal(policy);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'dispatchPolicy' });
    }
  });

  it('builds with either mode', async () => {
    for (const policy of [{ mode: 'sequential' }, { mode: 'concurrent', limit: 8 }] as const) {
      const client = await base().dispatchPolicy(policy);
      expect(client).toBeInstanceOf(Client);
      await client.shutdown();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { WebhookReceiver } from '@bot/gateway';
import { thrown } from '../../core/test/support/thrown.js';

// `new WebhookReceiver({ secret: process.env.QQ_BOT_SECRET! })` with the variable unset passes
// `undefined`: it is refused as a ValidationError naming the option and what to set.

describe('WebhookReceiver without a secret', () => {
  it('says the secret is missing and which variable to set', () => {
    const error = thrown(() => new WebhookReceiver({ secret: undefined as unknown as string }));
    expect(error.field).toBe('secret');
    expect(error.message).toMatch(/^secret is missing \(got undefined\)/);
    expect(error.message).toContain('QQ_BOT_SECRET');
  });

  it('says a secret of the wrong type is one, without showing it', () => {
    const error = thrown(() => new WebhookReceiver({ secret: 123456789 as unknown as string }));
    expect(error.message).toMatch(/^secret must be a string \(got a value of type number\)/);
    expect(error.message).not.toContain('123456789');
  });

  it('says an empty secret is empty, and what to set', () => {
    expect(thrown(() => new WebhookReceiver({ secret: '' })).message).toMatch(
      /^secret must not be empty.*QQ_BOT_SECRET/,
    );
  });

  it('refuses no options at all the same way', () => {
    const error = thrown(() => new (WebhookReceiver as unknown as new () => WebhookReceiver)());
    expect(error.field).toBe('options');
    expect(error.message).toMatch(/^options is missing/);
  });
});

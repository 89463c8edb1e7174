import { describe, expect, it } from 'vitest';
import {
  KeyboardBuilder,
  KeyboardLimitError,
  MessageParams,
  OpenMessageParams,
  ValidationError,
} from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

// The send body's mutual-exclusion rules, refused before any request leaves the machine.

const keyboard = new KeyboardBuilder().row((row) => row.callback('OK', 'ok')).build();

describe('send body exclusions', () => {
  const fake = useFakeApi();

  const refusals: { name: string; call: () => Promise<unknown>; field: string }[] = [
    {
      name: 'guild markdown with content',
      call: () => fake.api.messages.send('c1', MessageParams.markdown('# x').withContent('also text')),
      field: 'params.content',
    },
    {
      name: 'guild markdown with an image',
      call: () =>
        fake.api.messages.send('c1', MessageParams.markdown('# x').withImage('https://e.com/a.png')),
      field: 'params.image',
    },
    {
      name: 'guild keyboard without markdown',
      call: () => fake.api.messages.send('c1', MessageParams.text('hi').withKeyboard(keyboard)),
      field: 'params.keyboard',
    },
    {
      name: 'open text message carrying markdown',
      call: () =>
        fake.api.groups.send('g1', { msg_type: 0, content: 'hi', markdown: { content: '#' }, msg_id: 'm' }),
      field: 'params.markdown',
    },
    {
      name: 'open keyboard on a text message',
      call: () => fake.api.c2c.send('u1', OpenMessageParams.text('hi').withKeyboard(keyboard).withReply('m')),
      field: 'params.keyboard',
    },
    {
      name: 'markdown params without a template',
      call: () =>
        fake.api.groups.send('g1', OpenMessageParams.markdown({ content: '#', params: [] }).withReply('m')),
      field: 'params.markdown.params',
    },
  ];

  for (const { name, call, field } of refusals) {
    it(`refuses ${name} before sending`, async () => {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field });
      expect(fake.platform.requests.filter((r) => r.path.includes('/messages'))).toEqual([]);
    });
  }

  it('refuses a wire keyboard over the limits with the typed keyboard error', async () => {
    const rows = Array.from({ length: 6 }, () => ({ buttons: keyboard.content?.rows[0]?.buttons ?? [] }));
    const error = await fake.api.groups
      .send('g1', OpenMessageParams.markdown('# x').withKeyboard({ content: { rows } }).withReply('m'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyboardLimitError);
    expect(error).toMatchObject({ rule: 'rows', field: 'params.keyboard.content.rows' });
  });

  it('sends markdown with a keyboard built by the builder', async () => {
    await fake.api.groups.send('g1', OpenMessageParams.markdown('# x').withKeyboard(keyboard).withReply('m'));
    expect(fake.platform.requests.at(-1)?.json).toMatchObject({ msg_type: 2, keyboard });
  });
});

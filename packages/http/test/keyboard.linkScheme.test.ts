import { describe, expect, it } from 'vitest';
import {
  ButtonActionType,
  ButtonPermissions,
  KeyboardBuilder,
  KeyboardLimitError,
  MessageParams,
  OpenMessageParams,
  ValidationError,
  type MessageKeyboard,
} from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

// A link button (action type 0) opens "http or a scheme the client recognizes"; the only scheme
// the platform's pages name is mqqapi (docs/protocol.md §12.1). Anything else (javascript:, data:,
// file:, …) is refused before a request, from the builder and in a wire keyboard alike.

const REFUSED = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  '  javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'vbscript:msgbox(1)',
  'ftp://example.com/a',
  'intent://scan/#Intent;scheme=zxing;end',
  'mqq://im/chat?uin=1',
  // Sent as written: only a string the client cannot read any other way is accepted.
  'h\nttps://example.com',
  '\u0001https://example.com',
  'https://example.com\n',
  ' https://example.com',
  'https:example.com',
  'https:\\\\example.com',
  'mqqapi:',
  'mqqapi://',
  'mqqapi:javascript:alert(1)',
];
const ACCEPTED = [
  'https://example.com/docs',
  'http://example.com',
  'mqqapi://im/chat?uin=1',
  'MQQAPI://card/show',
];

const wireKeyboard = (data: string): MessageKeyboard => ({
  content: {
    rows: [
      {
        buttons: [
          {
            render_data: { label: 'Open', visited_label: 'Open', style: 1 },
            action: {
              type: ButtonActionType.Jump,
              data,
              permission: ButtonPermissions.everyone(),
              unsupport_tips: 'update QQ',
            },
          },
        ],
      },
    ],
  },
});

describe('RowBuilder.link', () => {
  const row = (url: string) => () => new KeyboardBuilder().row((r) => r.link('Open', url)).build();

  it.each(REFUSED)('refuses %j, naming the field and what it takes', (url) => {
    const error = (() => {
      try {
        row(url)();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', field: 'url' });
    expect((error as Error).message).toMatch(/http:\/\/, https:\/\/ or mqqapi:\/\//);
  });

  it.each(ACCEPTED)('accepts %j', (url) => {
    expect(row(url)).not.toThrow();
  });
});

describe('a wire keyboard with a link button', () => {
  const fake = useFakeApi();

  it.each(REFUSED)('refuses %j before sending, guild and group alike', async (data) => {
    const keyboard = wireKeyboard(data);
    const refusals = await Promise.all([
      fake.api.messages
        .send('c1', MessageParams.markdown('# x').withKeyboard(keyboard))
        .catch((e: unknown) => e),
      fake.api.groups
        .send('g1', OpenMessageParams.markdown('# x').withKeyboard(keyboard).withReply('m'))
        .catch((e: unknown) => e),
    ]);
    for (const error of refusals) {
      expect(error).toBeInstanceOf(KeyboardLimitError);
      expect(error).toMatchObject({
        rule: 'link',
        field: 'params.keyboard.content.rows[0].buttons[0].action.data',
      });
      expect((error as Error).message).toMatch(/http:\/\/, https:\/\/ or mqqapi:\/\//);
    }
    expect(fake.platform.requests.filter((r) => r.path.includes('/messages'))).toEqual([]);
  });

  it('sends an http(s) or mqqapi link, and leaves the data of other buttons alone', async () => {
    for (const data of ACCEPTED)
      await fake.api.messages.send('c1', MessageParams.markdown('# x').withKeyboard(wireKeyboard(data)));
    const callback = new KeyboardBuilder().row((r) => r.callback('Run', 'javascript:alert(1)')).build();
    await fake.api.messages.send('c1', MessageParams.markdown('# x').withKeyboard(callback));
    expect(fake.platform.requests.filter((r) => r.path.includes('/messages'))).toHaveLength(
      ACCEPTED.length + 1,
    );
  });
});

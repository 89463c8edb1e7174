import { describe, expectTypeOf, it } from 'vitest';
import {
  KeyboardBuilder,
  markdownTemplate,
  type MessageKeyboard,
  type MessageMarkdown,
} from '../src/index.js';

describe('keyboard and template types', () => {
  it('takes command options on command buttons only', () => {
    new KeyboardBuilder().row((row) => row.command('Help', '/help', { enter: true, anchor: 1 }));
    // @ts-expect-error `enter` belongs to command buttons
    new KeyboardBuilder().row((row) => row.link('Docs', 'https://example.com', { enter: true }));
    // @ts-expect-error `anchor` is 1 or nothing
    new KeyboardBuilder().row((row) => row.command('Pick', '/pick', { anchor: 2 }));
    expectTypeOf(new KeyboardBuilder().build()).toEqualTypeOf<MessageKeyboard>();
  });

  it('asks for a value per declared template key', () => {
    expectTypeOf(
      markdownTemplate<'title' | 'items'>('tpl', { title: 'x', items: ['a'] }),
    ).toEqualTypeOf<MessageMarkdown>();
    // @ts-expect-error `items` is missing
    markdownTemplate<'title' | 'items'>('tpl', { title: 'x' });
    // @ts-expect-error a value is a string or a list of strings
    markdownTemplate('tpl', { title: 1 });
  });
});

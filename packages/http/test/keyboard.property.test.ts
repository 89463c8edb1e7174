import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ButtonActionType,
  ButtonPermissions,
  ButtonPermissionType,
  KeyboardBuilder,
  KeyboardLimitError,
  MAX_BUTTONS_PER_ROW,
  MAX_KEYBOARD_ROWS,
  markdownTemplate,
  ValidationError,
} from '@bot/http';

// The builder against an independent oracle: a keyboard builds exactly when it has 1–5 rows of
// 1–5 buttons with ids unique, and the rule named by the error is the first one broken.

/** A button as the property draws it: its kind and an id out of a small pool, so ids collide. */
const buttonArb = fc.record({
  kind: fc.constantFrom('callback', 'command', 'link'),
  id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { nil: undefined }),
});
const keyboardArb = fc.array(fc.array(buttonArb, { maxLength: 7 }), { maxLength: 7 });

type DrawnButton = { kind: string; id: string | undefined };

function build(rows: DrawnButton[][]) {
  const builder = new KeyboardBuilder();
  for (const row of rows) {
    builder.row((r) => {
      for (const button of row) {
        const options = button.id === undefined ? {} : { id: button.id };
        if (button.kind === 'callback') r.callback('Yes', 'vote:yes', options);
        else if (button.kind === 'command') r.command('Help', '/help', { ...options, enter: true });
        else r.link('Docs', 'https://example.com', options);
      }
    });
  }
  return builder.build();
}

/** The oracle: the first rule the drawn keyboard breaks, in the order the builder checks them. */
function firstBrokenRule(rows: DrawnButton[][]): string | undefined {
  if (rows.length === 0) return 'emptyKeyboard';
  if (rows.length > MAX_KEYBOARD_ROWS) return 'rows';
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.length === 0) return 'emptyRow';
    if (row.length > MAX_BUTTONS_PER_ROW) return 'buttonsPerRow';
    for (const button of row) {
      if (button.id === undefined) continue;
      if (seen.has(button.id)) return 'duplicateId';
      seen.add(button.id);
    }
  }
  return undefined;
}

describe('KeyboardBuilder limits (property)', () => {
  it('builds exactly the keyboards within the limits, and names the first rule broken otherwise', () => {
    fc.assert(
      fc.property(keyboardArb, (rows) => {
        const expected = firstBrokenRule(rows);
        let outcome: unknown;
        try {
          outcome = build(rows);
        } catch (error) {
          outcome = error;
        }
        if (expected === undefined) {
          expect(outcome).not.toBeInstanceOf(Error);
          const content = (outcome as { content: { rows: { buttons: unknown[] }[] } }).content;
          expect(content.rows.map((row) => row.buttons.length)).toEqual(rows.map((row) => row.length));
        } else {
          expect(outcome).toBeInstanceOf(KeyboardLimitError);
          expect(outcome).toBeInstanceOf(ValidationError);
          expect((outcome as KeyboardLimitError).rule).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every button it was given, in order, with the wire fields the platform requires', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom('callback', 'command', 'link'), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (kinds) => {
          const keyboard = build(kinds.map((row) => row.map((kind) => ({ kind, id: undefined }))));
          const types = keyboard.content?.rows.map((row) => row.buttons.map((button) => button.action.type));
          const expected = {
            callback: ButtonActionType.Callback,
            command: ButtonActionType.Command,
            link: ButtonActionType.Jump,
          };
          expect(types).toEqual(kinds.map((row) => row.map((kind) => expected[kind])));
          for (const button of keyboard.content?.rows.flatMap((row) => row.buttons) ?? []) {
            expect(button.render_data.visited_label).not.toBe('');
            expect(button.action.unsupport_tips).not.toBe('');
            expect(button.action.permission.type).toBe(ButtonPermissionType.Everyone);
          }
        },
      ),
    );
  });
});

describe('KeyboardBuilder', () => {
  it('writes a button as the platform documents it', () => {
    const keyboard = new KeyboardBuilder()
      .row((row) =>
        row.command('Help', '/help', {
          id: 'help',
          enter: true,
          visitedLabel: 'Asked',
          permission: ButtonPermissions.users('u1', 'u2'),
        }),
      )
      .build();
    expect(keyboard).toEqual({
      content: {
        rows: [
          {
            buttons: [
              {
                id: 'help',
                render_data: { label: 'Help', visited_label: 'Asked', style: 1 },
                action: {
                  type: 2,
                  data: '/help',
                  enter: true,
                  permission: { type: 0, specify_user_ids: ['u1', 'u2'] },
                  unsupport_tips: expect.any(String) as string,
                },
              },
            ],
          },
        ],
      },
    });
  });

  it('refuses a sixth row with a message that says the limit and what to do', () => {
    const builder = new KeyboardBuilder();
    for (let i = 0; i < 6; i++) builder.row((row) => row.callback(`b${i}`, `d${i}`));
    expect(() => builder.build()).toThrow(/has 6 rows; the platform allows at most 5/);
  });

  it('refuses an empty label, naming the button', () => {
    expect(() => new KeyboardBuilder().row((row) => row.callback(' ', 'x')).build()).toThrow(
      expect.objectContaining({
        rule: 'label',
        field: 'keyboard.content.rows[0].buttons[0].render_data.label',
      }),
    );
  });

  it('gives a template keyboard by id', () => {
    expect(KeyboardBuilder.template('kb_1')).toEqual({ id: 'kb_1' });
  });
});

describe('markdownTemplate', () => {
  it('turns typed values into {key, values} params', () => {
    expect(markdownTemplate('tpl_1', { title: 'Weekly', items: ['a', 'b'] })).toEqual({
      custom_template_id: 'tpl_1',
      params: [
        { key: 'title', values: ['Weekly'] },
        { key: 'items', values: ['a', 'b'] },
      ],
    });
  });

  it('refuses an empty value, which the platform refuses with 50041', () => {
    expect(() => markdownTemplate('tpl_1', { title: '' })).toThrow(
      expect.objectContaining({ field: 'markdown.params.title[0]' }),
    );
    expect(() => markdownTemplate('tpl_1', { items: [] })).toThrow(ValidationError);
  });

  it('a link button takes an http(s) URL or a client scheme, and refuses an empty or bare-host URL when the row is built', () => {
    const row = (url: string) => () => new KeyboardBuilder().row((r) => r.link('Open', url)).build();
    expect(row('https://example.com/docs')).not.toThrow();
    expect(row('mqqapi://im/chat?uin=1')).not.toThrow();
    for (const url of ['', 'example.com/docs', '   '])
      expect(row(url)).toThrow(expect.objectContaining({ kind: 'validation', field: 'url' }));
  });
});

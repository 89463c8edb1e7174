import type { MessageKeyboard } from '@bot/core';
import { checkKeyboardLimits } from './keyboardRules.js';
import { RowBuilder } from './RowBuilder.js';

/**
 * A fluent builder of inline keyboards (message buttons), checked against the platform's limits
 * when built: at most 5 rows of at most 5 buttons, ids unique, labels and data present.
 *
 * ```ts
 * const keyboard = new KeyboardBuilder()
 *   .row((row) => row.callback('👍', 'vote:up', { id: 'up' }).callback('👎', 'vote:down', { id: 'down' }))
 *   .row((row) => row.command('Help', '/help', { enter: true }).link('Docs', 'https://example.com/docs'))
 *   .build();
 * await api.groups.send(groupOpenid, OpenMessageParams.markdown('**Vote**').withKeyboard(keyboard).withReply(msgId));
 * ```
 */
export class KeyboardBuilder {
  readonly #rows: RowBuilder[] = [];

  /**
   * Adds a row; the callback adds its buttons.
   *
   * @param fill - receives the row's builder
   */
  public row(fill: (row: RowBuilder) => unknown): this {
    const row = new RowBuilder();
    fill(row);
    this.#rows.push(row);
    return this;
  }

  /** Rows added so far. */
  public get rowCount(): number {
    return this.#rows.length;
  }

  /**
   * The keyboard as the send body's `keyboard` field.
   *
   * @throws {@link KeyboardLimitError} naming the rule and the row or button that breaks it
   */
  public build(): MessageKeyboard {
    const content = { rows: this.#rows.map((row) => row.toJSON()) };
    checkKeyboardLimits(content, 'keyboard.content');
    return { content };
  }

  /**
   * A registered keyboard template, by id (the platform fills in its buttons).
   *
   * @param id - the template id from the developer console
   */
  public static template(id: string): MessageKeyboard {
    return { id };
  }
}

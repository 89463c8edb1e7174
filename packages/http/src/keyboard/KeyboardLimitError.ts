import { ValidationError } from '@bot/core';

/**
 * Which rule of the platform (or of the framework, where the platform says nothing) a keyboard
 * broke; docs/protocol.md §12 lists each with its source.
 */
export type KeyboardRule =
  | 'rows'
  | 'buttonsPerRow'
  | 'emptyKeyboard'
  | 'emptyRow'
  | 'duplicateId'
  | 'label'
  | 'data'
  | 'link'
  | 'permission'
  | 'commandOnly';

/**
 * A keyboard breaks one of the platform's limits, found before any request was sent. A
 * {@link ValidationError} (`kind` `'validation'`) whose `rule` says which limit, and whose `field`
 * names the row or button (`keyboard.rows[5]`, `keyboard.rows[0].buttons[2].id`).
 */
export class KeyboardLimitError extends ValidationError {
  /**
   * @param rule - the rule broken
   * @param field - where: the row or button, as a path
   * @param problem - what is wrong and what to do, as a phrase
   */
  public constructor(
    public readonly rule: KeyboardRule,
    field: string,
    problem: string,
  ) {
    super(field, problem);
  }
}

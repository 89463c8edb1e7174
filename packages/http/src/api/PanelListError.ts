import { BotError } from '@bot/core';

/**
 * Why {@link PanelListError} was raised: `'pageCap'`, the cursor went on past the most pages
 * `api.panels.all()` reads; `'malformed'`, a page had no `records` array or a record that is not
 * an object.
 */
export type PanelListFailure = 'pageCap' | 'malformed';

/**
 * `api.panels.all()` could not read every panel (docs/protocol.md §14). The panels read before
 * were yielded already. For `'pageCap'` list the pages yourself with `api.panels.list()`; for
 * `'malformed'` report the answer with its trace id.
 */
export class PanelListError extends BotError {
  public readonly kind = 'panelList' as const;

  /**
   * @param reason - what went wrong
   * @param page - the page (1-based) it went wrong on
   * @param message - what happened and what to do
   */
  public constructor(
    public readonly reason: PanelListFailure,
    public readonly page: number,
    message: string,
  ) {
    super(message);
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    panelList: PanelListError;
  }
}

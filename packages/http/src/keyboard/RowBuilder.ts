import {
  type ButtonAction,
  ButtonActionType,
  type ButtonPermission as WireButtonPermission,
  ButtonStyle,
  type KeyboardButton,
  type KeyboardRow,
  ValidationError,
} from '@bot/core';
import { ButtonPermissions } from './buttonPermission.js';
import { linkTargetProblem } from './linkTarget.js';

/** What every kind of button may set besides its label and data. */
export interface ButtonOptions {
  /** Button id, unique within the keyboard; an interaction names the clicked button by it. */
  id?: string | undefined;
  /** Label after a click; the label by default. */
  visitedLabel?: string | undefined;
  /** Looks; blue outline by default. */
  style?: ButtonStyle | undefined;
  /** Who may click; everyone by default (see {@link ButtonPermissions}). */
  permission?: WireButtonPermission | undefined;
  /** Toast for clients that cannot perform the action; a generic one by default. */
  unsupportTips?: string | undefined;
  /** Buttons sharing a group grey out together after one is clicked. */
  groupId?: string | undefined;
}

/** Options of a command button: what the inserted command does. */
export interface CommandButtonOptions extends ButtonOptions {
  /** Quote the keyboard's message in the command. */
  reply?: boolean | undefined;
  /** Send the command at once instead of leaving it in the input box. */
  enter?: boolean | undefined;
  /** `1` opens the image picker (mobile C2C only); `enter` is then ignored. */
  anchor?: 1 | undefined;
}

const DEFAULT_TIPS = 'Please update QQ to use this button';

/**
 * The buttons of one keyboard row, added left to right. Limits are checked when the keyboard is
 * built ({@link KeyboardBuilder.build}), not here.
 */
export class RowBuilder {
  readonly #buttons: KeyboardButton[] = [];

  /**
   * Adds a button that sends an `INTERACTION_CREATE` event carrying `data` (action type 1).
   *
   * @param label - text on the button
   * @param data - handed to the bot in the interaction (`data.resolved.button_data`)
   * @param options - id, looks, permission
   */
  public callback(label: string, data: string, options: ButtonOptions = {}): this {
    return this.#add(label, { type: ButtonActionType.Callback, data }, options);
  }

  /**
   * Adds a button that puts `@bot data` into the user's input box (action type 2).
   *
   * @param label - text on the button
   * @param command - the command text
   * @param options - id, looks, permission, and whether to quote, send at once or pick an image
   */
  public command(label: string, command: string, options: CommandButtonOptions = {}): this {
    const action: Partial<ButtonAction> = { type: ButtonActionType.Command, data: command };
    if (options.reply !== undefined) action.reply = options.reply;
    if (options.enter !== undefined) action.enter = options.enter;
    if (options.anchor !== undefined) action.anchor = options.anchor;
    return this.#add(label, action, options);
  }

  /**
   * Adds a button that opens a link (action type 0): an `http://` or `https://` URL, or an
   * `mqqapi://` URL the QQ client opens itself, the one client scheme the platform's pages name.
   *
   * @param label - text on the button
   * @param url - where it leads
   * @param options - id, looks, permission
   * @throws `ValidationError` (field `url`) for anything else: empty, a bare host like
   *   `example.com`, or another scheme such as `javascript:`, `data:` or `file:`
   */
  public link(label: string, url: string, options: ButtonOptions = {}): this {
    const problem = linkTargetProblem(url);
    if (problem !== undefined) throw new ValidationError('url', problem);
    return this.#add(label, { type: ButtonActionType.Jump, data: url }, options);
  }

  /** The row as the platform takes it (a copy). */
  public toJSON(): KeyboardRow {
    return { buttons: this.#buttons.map((button) => structuredClone(button)) };
  }

  #add(label: string, action: Partial<ButtonAction>, options: ButtonOptions): this {
    const button: KeyboardButton = {
      render_data: {
        label,
        visited_label: options.visitedLabel ?? label,
        style: options.style ?? ButtonStyle.BlueOutline,
      },
      action: {
        ...(action as Pick<ButtonAction, 'type' | 'data'>),
        permission: options.permission ?? ButtonPermissions.everyone(),
        unsupport_tips: options.unsupportTips ?? DEFAULT_TIPS,
      },
    };
    if (options.id !== undefined) button.id = options.id;
    if (options.groupId !== undefined) button.group_id = options.groupId;
    this.#buttons.push(button);
    return this;
  }
}

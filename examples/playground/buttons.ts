import type { Emulator, EmulatorRecord, RestRecord } from '@bot/testing';
import type { Scene } from '../support/index.js';

/** A button of a keyboard the bot sent, as the console offers it. */
export interface OfferedButton {
  /** 1, 2, 3…: what `/press` takes. */
  number: number;
  id: string;
  label: string;
  /** `action.data`, handed back in the interaction. */
  data: string;
  /** Whether a press sends an interaction (callback buttons, `action.type` 1). */
  callback: boolean;
}

/** A keyboard the bot sent in reply, with where it went. */
export interface OfferedKeyboard {
  /** The markdown (or text) above the buttons. */
  text: string;
  buttons: OfferedButton[];
  /** The conversation: group openid, user openid or channel id. */
  target: string;
  scene: 'group' | 'c2c' | 'guild';
  /** The bot's message carrying the keyboard. */
  messageId: string | undefined;
}

/** A press the console made: the event published and the button pressed. */
export interface Press {
  interactionId: string;
  button: OfferedButton;
}

/** Messages remembered (sent, and answered with a keyboard), each map at most: the oldest go first. */
export const MAX_REMEMBERED_MESSAGES = 256;

interface WireButton {
  id?: string;
  render_data?: { label?: string };
  action?: { type?: number; data?: string };
}

/**
 * The keyboards the bot sent in reply to the console's messages, as the emulator recorded them,
 * and the presses of their buttons: `/press 2` publishes the `INTERACTION_CREATE` a user's tap
 * would, in the conversation of the keyboard. Remembers the newest keyboard per scene, and the
 * last {@link MAX_REMEMBERED_MESSAGES} messages and their keyboards (a long session stays small).
 */
export class ButtonBoard {
  readonly #emulator: Emulator;
  /** Message the console sent → the scene it was sent in. */
  readonly #sentIn = new Map<string, string>();
  /** Message the console sent → keyboard the bot answered it with. */
  readonly #byMessage = new Map<string, OfferedKeyboard>();
  /** Scene label → its newest keyboard. */
  readonly #byScene = new Map<string, OfferedKeyboard>();
  readonly #stop: () => void;

  /** @param emulator - the emulator the bot talks to */
  public constructor(emulator: Emulator) {
    this.#emulator = emulator;
    this.#stop = emulator.recorder.onRecord((record) => this.#see(record));
  }

  /** Stops watching the emulator. */
  public close(): void {
    this.#stop();
  }

  /**
   * Notes a message the console sent, so a keyboard answering it belongs to `scene`.
   *
   * @param scene - where it was sent
   * @param messageId - its id
   */
  public sent(scene: Scene, messageId: string): void {
    remember(this.#sentIn, messageId, scene.label);
  }

  /** Messages remembered now: those sent, and those answered with a keyboard. */
  public get remembered(): { sent: number; answered: number } {
    return { sent: this.#sentIn.size, answered: this.#byMessage.size };
  }

  /** The keyboard the bot answered `messageId` with, if any. */
  public keyboardFor(messageId: string): OfferedKeyboard | undefined {
    return this.#byMessage.get(messageId);
  }

  /** `[1 🍎 Apple] [2 🍐 Pear]   (/press 1-2)`: a keyboard as the console shows it. */
  public static describe(keyboard: OfferedKeyboard): string {
    const buttons = keyboard.buttons.map((button) => `[${button.number} ${button.label}]`).join(' ');
    return `${buttons}   (/press 1-${keyboard.buttons.length})`;
  }

  /**
   * Presses a button of the newest keyboard of `scene`, as its user.
   *
   * @param scene - the console's scene
   * @param choice - the button's number, or the start of its label
   * @returns the press, or why there is none (no keyboard, no such button, not a callback button)
   */
  public press(scene: Scene, choice: string): Press | string {
    const keyboard = this.#byScene.get(scene.label);
    if (!keyboard) return `no buttons in ${scene.label} yet; !buttons asks the bot for some`;
    const wanted = choice.trim().toLowerCase();
    const button = keyboard.buttons.find(
      (candidate) =>
        String(candidate.number) === wanted ||
        (wanted !== '' && labelText(candidate.label).startsWith(wanted)),
    );
    if (!button) return `no button "${choice}"; ${ButtonBoard.describe(keyboard)}`;
    if (!button.callback) return `${button.label} is not a callback button: pressing it sends no event`;
    const common = {
      buttonId: button.id,
      buttonData: button.data,
      ...(keyboard.messageId && { messageId: keyboard.messageId }),
    };
    const event =
      keyboard.scene === 'group'
        ? this.#emulator.simulate.interaction({ ...common, scene: 'group', groupOpenid: keyboard.target })
        : keyboard.scene === 'c2c'
          ? this.#emulator.simulate.interaction({ ...common, scene: 'c2c', userOpenid: keyboard.target })
          : this.#emulator.simulate.interaction({ ...common, scene: 'guild', channelId: keyboard.target });
    return { interactionId: event.d.id, button };
  }

  #see(record: EmulatorRecord): void {
    if (record.kind !== 'rest' || record.method !== 'POST' || record.status !== 200) return;
    const body = record.body as {
      msg_id?: unknown;
      keyboard?: { content?: { rows?: Array<{ buttons?: WireButton[] }> } };
    };
    const messageId = typeof body.msg_id === 'string' ? body.msg_id : undefined;
    const label = messageId === undefined ? undefined : this.#sentIn.get(messageId);
    const rows = body.keyboard?.content?.rows;
    if (!label || !messageId || !rows) return;
    const where = conversationOf(record);
    if (!where) return;
    let number = 0;
    const buttons = rows.flatMap((row) =>
      (row.buttons ?? []).map((button) => ({
        number: ++number,
        id: button.id ?? String(number),
        label: button.render_data?.label ?? `button ${number}`,
        data: button.action?.data ?? '',
        callback: button.action?.type === 1,
      })),
    );
    const response = record.response as { id?: unknown } | undefined;
    const keyboard: OfferedKeyboard = {
      ...where,
      text: textOf(record.body),
      buttons,
      messageId: typeof response?.id === 'string' ? response.id : undefined,
    };
    remember(this.#byMessage, messageId, keyboard);
    this.#byScene.set(label, keyboard);
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest past {@link MAX_REMEMBERED_MESSAGES}. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_REMEMBERED_MESSAGES) map.delete(map.keys().next().value as string);
}

/** The scene and target of a send, from its route. */
function conversationOf(record: RestRecord): { scene: OfferedKeyboard['scene']; target: string } | undefined {
  const { params } = record;
  if (record.route === 'POST /v2/groups/{group_openid}/messages' && params['group_openid'])
    return { scene: 'group', target: params['group_openid'] };
  if (record.route === 'POST /v2/users/{openid}/messages' && params['openid'])
    return { scene: 'c2c', target: params['openid'] };
  if (record.route === 'POST /channels/{channel_id}/messages' && params['channel_id'])
    return { scene: 'guild', target: params['channel_id'] };
  return undefined;
}

function textOf(body: unknown): string {
  const { content, markdown } = body as { content?: unknown; markdown?: { content?: unknown } };
  if (typeof markdown?.content === 'string') return markdown.content;
  return typeof content === 'string' ? content : '';
}

/** A label without its leading emoji, lower-cased: `🍐 Pear` → `pear`. */
function labelText(label: string): string {
  return label.replace(/^[^\p{L}\p{N}]+/u, '').toLowerCase();
}

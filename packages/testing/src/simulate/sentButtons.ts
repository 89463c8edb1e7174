import { EmulatorError } from '../EmulatorError.js';
import type { Scene, StoredMessage } from '../state/MessageStore.js';
import type { World } from '../state/World.js';
import { isJsonObject } from '../util/guards.js';

/** `action.type` of a callback button: the only kind whose press the platform sends as INTERACTION_CREATE. */
const CALLBACK_ACTION = 1;

/** A button of an inline keyboard the bot sent, as far as a press needs it. */
interface SentButton {
  /** The button's id; undefined when the bot sent it without one (the id is optional). */
  id: string | undefined;
  /** `action.type`; undefined when the bot left it out. */
  actionType: number | undefined;
  /** `action.data`, handed back as `button_data`. */
  data: string;
}

/** What a press may carry, found on the message the bot sent. */
export interface PressableButton {
  /** The bot's message holding the button. */
  messageId: string;
  /** The button's `action.data`; undefined for a keyboard template, whose buttons the emulator cannot see. */
  data: string | undefined;
}

/** Where a press happens and what it names. */
export interface PressRequest {
  scene: Extract<Scene, 'guild' | 'group' | 'c2c'>;
  /** Channel id, group openid or user openid. */
  target: string;
  buttonId: string;
  buttonData: string | undefined;
  messageId: string | undefined;
}

/** The buttons of an inline keyboard, or `'template'` for a registered template (`keyboard.id`). */
function buttonsOf(keyboard: unknown): SentButton[] | 'template' | undefined {
  if (!isJsonObject(keyboard)) return undefined;
  const content = keyboard['content'];
  if (!isJsonObject(content)) return keyboard['id'] !== undefined ? 'template' : undefined;
  const rows = Array.isArray(content['rows']) ? content['rows'] : [];
  const buttons: SentButton[] = [];
  for (const row of rows) {
    const list = isJsonObject(row) && Array.isArray(row['buttons']) ? row['buttons'] : [];
    for (const button of list) {
      if (!isJsonObject(button)) continue;
      const action = isJsonObject(button['action']) ? button['action'] : {};
      buttons.push({
        id: typeof button['id'] === 'string' ? button['id'] : undefined,
        actionType: typeof action['type'] === 'number' ? action['type'] : undefined,
        data: typeof action['data'] === 'string' ? action['data'] : '',
      });
    }
  }
  return buttons;
}

const OPT_OUT = 'or pass allowUnsentButton: true to inject the press anyway';

/** A press checked against one message: the button, or why not and whether the message holds it. */
type Checked = PressableButton | { refusal: EmulatorError; holdsButton: boolean };

/** A button as refusals name it: its id, or its data when it has no id. */
function nameOf(button: SentButton): string {
  return button.id ?? `a button without id of data ${JSON.stringify(button.data)}`;
}

/** A button as a refusal quotes it: `button "id"`, or the id-less wording of {@link nameOf}. */
function quoted(button: SentButton): string {
  return button.id !== undefined ? `button "${button.id}"` : nameOf(button);
}

/**
 * The button a press names: the one with its id, else one sent without an id that carries its
 * data. The platform's pages do not say what `button_id` a press of a button sent without an id
 * carries, so such a button is matched by `buttonData` alone, whatever id the press names.
 */
function findButton(buttons: SentButton[], request: PressRequest): SentButton | undefined {
  const byId = buttons.find((candidate) => candidate.id === request.buttonId);
  if (byId || request.buttonData === undefined) return byId;
  return buttons.find((candidate) => candidate.id === undefined && candidate.data === request.buttonData);
}

/** Checks one message's keyboard for the pressed button. */
function pressOn(message: StoredMessage, request: PressRequest): Checked {
  const where = chatOf(request);
  const refuse = (holdsButton: boolean, why: string): Checked => ({
    refusal: new EmulatorError(`button press refused: ${why}; ${OPT_OUT}`),
    holdsButton,
  });
  const buttons = buttonsOf(message.keyboard);
  if (buttons === 'template') return { messageId: message.id, data: undefined };
  if (buttons === undefined)
    return refuse(false, `message ${message.id} the bot sent to ${where} has no keyboard`);
  const button = findButton(buttons, request);
  if (!button) {
    const names = buttons.map(nameOf).join(', ') || 'none';
    const idless = buttons.some((candidate) => candidate.id === undefined)
      ? '; a button without id is pressed by its data: pass its buttonData'
      : '';
    return refuse(
      false,
      `message ${message.id} the bot sent to ${where} has no button "${request.buttonId}"` +
        `${alsoIdless(request)} (its buttons: ${names}); press one of them${idless}`,
    );
  }
  if (button.actionType !== undefined && button.actionType !== CALLBACK_ACTION)
    return refuse(
      true,
      `${quoted(button)} of message ${message.id} has action.type ${button.actionType}, and ` +
        `only callback buttons (action.type ${CALLBACK_ACTION}) send INTERACTION_CREATE on the platform`,
    );
  if (request.buttonData !== undefined && request.buttonData !== button.data)
    return refuse(
      true,
      `${quoted(button)} of message ${message.id} carries data ${JSON.stringify(button.data)}, ` +
        `not ${JSON.stringify(request.buttonData)}; leave buttonData out to use the button's`,
    );
  return { messageId: message.id, data: button.data };
}

/** What else a press with `buttonData` looks for, as refusals say it. */
function alsoIdless(request: PressRequest): string {
  return request.buttonData === undefined
    ? ''
    : ` nor one without id of data ${JSON.stringify(request.buttonData)}`;
}

/** The chat of a press as messages name it: a guild press happens in a channel. */
function chatOf(request: PressRequest): string {
  return `${request.scene === 'guild' ? 'channel' : request.scene} ${request.target}`;
}

/**
 * Finds the button a simulated press names among the keyboards the bot sent to that chat, as the
 * platform only delivers presses of buttons it showed: with `messageId` on that message, else on
 * the newest bot message holding it. A button sent without an id is found by `buttonData`, as the
 * platform's pages do not say what `button_id` its press carries. A keyboard template takes any
 * button id, since its buttons live on the platform, not in the send.
 *
 * @param world - the emulator's state
 * @param request - where the press happens and what it names
 * @returns the message and the button's data
 * @throws EmulatorError naming the button, message and chat when the bot sent no such button there
 */
export function requireSentButton(world: World, request: PressRequest): PressableButton {
  const where = chatOf(request);
  if (request.messageId !== undefined) {
    const message = world.messages.find(request.messageId, request.scene, request.target);
    if (!message?.fromBot)
      throw new EmulatorError(
        `button press refused: the bot sent no message ${request.messageId} to ${where} ` +
          `(never sent, sent elsewhere or recalled); press a button of a message the bot sent there, ${OPT_OUT}`,
      );
    const checked = pressOn(message, request);
    if ('refusal' in checked) throw checked.refusal;
    return checked;
  }
  const sent = world.messages
    .inConversation(request.scene, request.target)
    .filter((message) => message.fromBot && message.keyboard !== undefined)
    .reverse();
  let nearMiss: EmulatorError | undefined;
  for (const message of sent) {
    const checked = pressOn(message, request);
    if (!('refusal' in checked)) return checked;
    // A message holding the button explains the refusal best (a jump button, other data).
    if (checked.holdsButton) nearMiss ??= checked.refusal;
  }
  if (nearMiss) throw nearMiss;
  const seen = sent.length === 0 ? 'no keyboard at all' : `${sent.length} keyboard(s), none with it`;
  throw new EmulatorError(
    `button press refused: the bot sent no button "${request.buttonId}"${alsoIdless(request)} to ${where} (${seen}); ` +
      `have the bot send a keyboard with that button there first, as the platform delivers presses ` +
      `only of buttons it showed, ${OPT_OUT}`,
  );
}

import type { Emulator, EmulatorRecord, RestRecord } from '@bot/testing';
import { c2cScene, groupScene, transcriptLine, type Scene } from '../support/index.js';
import { MENU } from './RichBot.js';

/** How long the script waits for each answer: generous, an upload of 20 MiB included. */
export const ANSWER_TIMEOUT_MS = 30_000;

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';
const DONE = 10;

/**
 * Plays the rich bot's features against the emulator and prints what each side did: a streamed
 * answer in C2C (every frame the platform received), the same question in a group (one message),
 * a large upload in a group (the bot draws the progress bar), and a button press.
 *
 * @param emulator - the emulator the bot is connected to
 * @param print - where transcript lines go
 */
export async function playRichScript(emulator: Emulator, print: (line: string) => void): Promise<void> {
  const c2c = c2cScene(emulator);
  const group = groupScene(emulator);

  say(print, c2c, '!ask what is a streamed reply?');
  let from = emulator.recorder.mark();
  const asked = c2c.send('!ask what is a streamed reply?');
  for (let frame = 1; ; frame++) {
    const record = await nextSend(emulator, from, (r) => r.route === STREAM_ROUTE);
    from = record.index + 1;
    const body = record.body as { content_raw?: string; input_state?: number; msg_id?: string };
    const done = body.input_state === DONE;
    const label = `bot (stream frame ${frame}${done ? ', done' : ''})`;
    print(transcriptLine(c2c.label, label, done ? (body.content_raw ?? '') : tail(body.content_raw ?? '')));
    if (frame === 1 && body.msg_id !== asked.messageId)
      throw new Error('the stream does not quote the question');
    if (done) break;
  }

  await exchangeInGroup(emulator, group, '!ask and in a group?', print);

  await exchangeInGroup(emulator, group, '!file', print);

  const menu = await exchangeInGroup(emulator, group, '!menu', print);
  const keyboard = (menu.body as { keyboard?: KeyboardBody }).keyboard;
  const buttons = keyboard?.content?.rows?.flatMap((row) => row.buttons) ?? [];
  print(
    transcriptLine(group.label, 'bot', buttons.map((button) => `[ ${button.render_data.label} ]`).join(' ')),
  );
  const cherry = MENU[2];
  const pressed = buttons.find((button) => button.id === cherry.id);
  if (!pressed) throw new Error(`the menu has no ${cherry.id} button`);
  print(
    transcriptLine(
      group.label,
      group.speaker,
      `(presses ${pressed.render_data.label})   (the bot receives INTERACTION_CREATE)`,
    ),
  );
  from = emulator.recorder.mark();
  const click = emulator.simulate.interaction({
    scene: 'group',
    buttonId: pressed.id,
    buttonData: pressed.action.data,
    groupOpenid: emulator.world.defaults.groupOpenid,
  });
  const ack = await nextSend(
    emulator,
    from,
    (r) => r.method === 'PUT' && r.path === `/interactions/${click.d.id}`,
  );
  print(
    transcriptLine(
      group.label,
      'bot',
      `(acknowledges: code ${(ack.body as { code?: number }).code}, HTTP ${ack.status})`,
    ),
  );
  const answer = await nextSend(emulator, from, (r) => field(r.body, 'event_id') === click.d.id);
  print(
    transcriptLine(
      group.label,
      'bot',
      `${String(field(answer.body, 'content'))}   (event_id, HTTP ${answer.status})`,
    ),
  );
}

interface KeyboardBody {
  content?: {
    rows?: Array<{
      buttons: Array<{ id: string; render_data: { label: string }; action: { data: string } }>;
    }>;
  };
}

/** Sends `text` in the group and prints the bot's accepted answer to it. */
async function exchangeInGroup(
  emulator: Emulator,
  scene: Scene,
  text: string,
  print: (line: string) => void,
): Promise<RestRecord> {
  say(print, scene, text);
  const from = emulator.recorder.mark();
  const { messageId } = scene.send(text);
  const reply = await nextSend(
    emulator,
    from,
    (r) => field(r.body, 'msg_id') === messageId && r.route?.endsWith('/messages') === true,
  );
  const kind = field(reply.body, 'msg_type');
  const what =
    kind === 7
      ? `(media) ${String(field(reply.body, 'content'))}`
      : kind === 2
        ? `(markdown) ${String(field(field(reply.body, 'markdown'), 'content'))}`
        : String(field(reply.body, 'content'));
  print(transcriptLine(scene.label, 'bot', `${what}   (HTTP ${reply.status})`));
  return reply;
}

function say(print: (line: string) => void, scene: Scene, text: string): void {
  print(transcriptLine(scene.label, scene.speaker, `${text}   (the bot receives ${scene.event})`));
}

/** The first REST call of the bot from `from` on that `matches`, accepted or not. */
async function nextSend(
  emulator: Emulator,
  from: number,
  matches: (record: RestRecord) => boolean,
): Promise<RestRecord> {
  const isMatch = (record: EmulatorRecord): record is RestRecord => record.kind === 'rest' && matches(record);
  return emulator.recorder.waitFor(isMatch, { from, timeout: ANSWER_TIMEOUT_MS });
}

/** The end of a growing text: `…the chat shows the answer` (60 characters at most). */
function tail(text: string): string {
  return text.length <= 60 ? text : `…${text.slice(-59)}`;
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

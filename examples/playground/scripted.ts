import { EmulatorError, type Emulator, type RestRecord } from '@bot/testing';
import {
  NoReplyError,
  REPLY_TIMEOUT_MS,
  describeReply,
  transcriptLine,
  type Scene,
} from '../support/index.js';
import {
  awaitPressAnswer,
  describeFrame,
  describePressAnswer,
  followStream,
  isAcceptedReplyTo,
  isFirstFrameOf,
} from './answers.js';
import { ButtonBoard } from './buttons.js';
import type { Playground } from './Playground.js';

/**
 * What the scripted run types: every scene, every command of the bot, and the per-person
 * statistics building up (Alice's `!stats` at the end counts her three messages); a streamed
 * answer in C2C, and a keyboard in the group whose button is pressed.
 */
export const SCRIPT: readonly string[] = [
  '!help',
  '!ping',
  '/group',
  '!uptime',
  '!stats',
  '!buttons',
  '/press 2',
  '/c2c',
  '!stats',
  '!dance',
  '!stream',
  '/guild',
  '!stats',
  '/quit',
];

/**
 * Plays a script as if typed at the console and prints the session: each prompt and line, and
 * each answer as the emulator recorded it (a reply, a keyboard and its buttons, the frames of a
 * streamed reply, the acknowledgement of a press and the answer to it).
 *
 * @param playground - scene state and command language
 * @param emulator - the emulator the bot is connected to
 * @param script - the lines to type ({@link SCRIPT} by default)
 * @param print - where the session goes (`console.log` by default)
 * @throws NoReplyError when a message gets no answer within a few seconds
 */
export async function runScripted(
  playground: Playground,
  emulator: Emulator,
  script: readonly string[] = SCRIPT,
  print: (line: string) => void = console.log,
): Promise<void> {
  const board = new ButtonBoard(emulator);
  try {
    print(playground.help());
    for (const line of script) {
      print(`${playground.prompt}${line}`);
      const outcome = playground.read(line);
      if (outcome.kind === 'quit') return;
      if (outcome.kind === 'notice') print(outcome.text);
      if (outcome.kind === 'message') await converse(emulator, board, outcome.scene, outcome.text, print);
      if (outcome.kind === 'press') await press(emulator, board, outcome.scene, outcome.choice, print);
    }
  } finally {
    board.close();
  }
}

/** Sends a message and prints the bot's first answer: a reply (with its buttons), or a whole stream. */
async function converse(
  emulator: Emulator,
  board: ButtonBoard,
  scene: Scene,
  text: string,
  print: (line: string) => void,
): Promise<void> {
  const from = emulator.recorder.mark();
  const { messageId } = scene.send(text);
  board.sent(scene, messageId);
  let first: RestRecord;
  try {
    first = await emulator.recorder.waitFor(
      (r): r is RestRecord =>
        r.kind === 'rest' && (isAcceptedReplyTo(r, messageId) || isFirstFrameOf(r, messageId)),
      { from, timeout: REPLY_TIMEOUT_MS },
    );
  } catch (error) {
    if (error instanceof EmulatorError) throw new NoReplyError(scene.label, text, REPLY_TIMEOUT_MS);
    throw error;
  }
  if (isFirstFrameOf(first, messageId)) {
    await followStream(emulator, messageId, { from, timeout: REPLY_TIMEOUT_MS }, (frame) =>
      print(transcriptLine(scene.label, 'bot', describeFrame(frame))),
    );
    return;
  }
  const keyboard = board.keyboardFor(messageId);
  const content = keyboard?.text ?? String((first.body as { content?: unknown }).content ?? '');
  print(
    transcriptLine(
      scene.label,
      'bot',
      describeReply({ route: first.route ?? '', content, status: first.status, msgSeq: undefined }),
    ),
  );
  if (keyboard) print(transcriptLine(scene.label, 'bot', ButtonBoard.describe(keyboard)));
}

/** Presses a button and prints the bot's acknowledgement and answer. */
async function press(
  emulator: Emulator,
  board: ButtonBoard,
  scene: Scene,
  choice: string,
  print: (line: string) => void,
): Promise<void> {
  const from = emulator.recorder.mark();
  const pressed = board.press(scene, choice);
  if (typeof pressed === 'string') {
    print(pressed);
    return;
  }
  print(
    transcriptLine(
      scene.label,
      scene.speaker,
      `(presses ${pressed.button.label})   (the bot receives INTERACTION_CREATE)`,
    ),
  );
  const answer = await awaitPressAnswer(emulator, pressed.interactionId, { from, timeout: REPLY_TIMEOUT_MS });
  if (!answer.ack && !answer.reply) throw new NoReplyError(scene.label, `/press ${choice}`, REPLY_TIMEOUT_MS);
  for (const line of describePressAnswer(answer)) print(transcriptLine(scene.label, 'bot', line));
}

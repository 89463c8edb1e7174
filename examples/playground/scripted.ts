import type { Emulator } from '@bot/testing';
import { describeReply, exchange, transcriptLine } from '../support/index.js';
import type { Playground } from './Playground.js';

/**
 * What the scripted run types: every scene, every command of the bot, and the per-person
 * statistics building up (Alice's `!stats` at the end counts her three messages).
 */
export const SCRIPT: readonly string[] = [
  '!help',
  '!ping',
  '/group',
  '!uptime',
  '!stats',
  '/c2c',
  '!stats',
  '!dance',
  '/guild',
  '!stats',
  '/quit',
];

/**
 * Plays a script as if typed at the console and prints the session: each prompt and line, and
 * each reply as the emulator recorded it.
 *
 * @param playground - scene state and command language
 * @param emulator - the emulator the bot is connected to
 * @param script - the lines to type ({@link SCRIPT} by default)
 * @param print - where the session goes (`console.log` by default)
 * @throws NoReplyError when a message gets no reply within a few seconds
 */
export async function runScripted(
  playground: Playground,
  emulator: Emulator,
  script: readonly string[] = SCRIPT,
  print: (line: string) => void = console.log,
): Promise<void> {
  print(playground.help());
  for (const line of script) {
    print(`${playground.prompt}${line}`);
    const outcome = playground.read(line);
    if (outcome.kind === 'quit') return;
    if (outcome.kind === 'notice') print(outcome.text);
    if (outcome.kind === 'message') {
      const { reply } = await exchange(emulator, outcome.scene, outcome.text);
      print(transcriptLine(outcome.scene.label, 'bot', describeReply(reply)));
    }
  }
}

import { once } from 'node:events';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Emulator } from '@bot/testing';
import { collectReplies, describeReply, transcriptLine, type Scene } from '../support/index.js';
import type { Playground } from './Playground.js';

/**
 * How long the console waits for the bot's first reply to a typed message. Short: the bot is on
 * the same machine, and a quit waits for the last of these before the process ends.
 */
const FIRST_REPLY_TIMEOUT_MS = 2_000;

/**
 * The interactive console: reads lines at a prompt naming the current scene, sends messages as
 * the scene's user, and prints the bot's replies as the emulator records them, above the prompt.
 * Resolves when the person quits (`/quit`, Ctrl-D or Ctrl-C).
 *
 * @param playground - scene state and command language
 * @param emulator - the emulator the bot is connected to
 */
export async function runInteractive(playground: Playground, emulator: Emulator): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: playground.prompt });
  let open = true;
  const show = (text: string): void => {
    if (open) printAbovePrompt(rl, text);
  };

  rl.on('line', (line) => {
    const outcome = playground.read(line);
    switch (outcome.kind) {
      case 'quit':
        rl.close();
        return;
      case 'notice':
        console.log(outcome.text);
        break;
      case 'message':
        send(emulator, outcome.scene, outcome.text, show);
        break;
      case 'none':
        break;
    }
    rl.setPrompt(playground.prompt);
    rl.prompt();
  });
  // Without a listener, Ctrl-C would only pause the console.
  rl.on('SIGINT', () => rl.close());

  console.log(playground.help());
  rl.prompt();
  await once(rl, 'close');
  open = false;
  console.log('bye');
}

/** Publishes a typed message and prints the bot's replies when they come. */
function send(emulator: Emulator, scene: Scene, text: string, show: (text: string) => void): void {
  const from = emulator.recorder.mark();
  let messageId: string;
  try {
    ({ messageId } = scene.send(text));
  } catch (error) {
    show(`could not send: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  void collectReplies(emulator, messageId, {
    from,
    timeout: FIRST_REPLY_TIMEOUT_MS,
    onReply: (reply) => show(transcriptLine(scene.label, 'bot', describeReply(reply))),
  }).then((replies) => {
    if (replies.length === 0 && text.startsWith('!')) show(`(no reply to ${text} in ${scene.label})`);
  });
}

/** Prints a line without mangling what the person is typing: clear, print, redraw the prompt. */
function printAbovePrompt(rl: Interface, text: string): void {
  clearLine(process.stdout, 0);
  cursorTo(process.stdout, 0);
  process.stdout.write(`${text}\n`);
  rl.prompt(true);
}

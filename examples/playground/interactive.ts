import { once } from 'node:events';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Emulator } from '@bot/testing';
import {
  REPLY_TIMEOUT_MS,
  collectReplies,
  describeReply,
  transcriptLine,
  type Scene,
} from '../support/index.js';
import { awaitPressAnswer, describeFrame, describePressAnswer, followStream } from './answers.js';
import { ButtonBoard } from './buttons.js';
import type { Playground } from './Playground.js';

/**
 * After a quit, how long the console still waits for replies to messages already sent. Bounded,
 * so a bot that never answers cannot keep the person at the console from leaving.
 */
export const QUIT_GRACE_MS = 3_000;

/** Where the console reads lines and prints; the process's terminal by default. */
export interface ConsoleStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether to drive the streams as a terminal (prompt redraws, Ctrl-C); default: whether `output` is a TTY. */
  terminal?: boolean;
}

/**
 * The interactive console: reads lines at a prompt naming the current scene, sends messages as
 * the scene's user, and prints the bot's replies as the emulator records them, above the prompt.
 * On a quit (`/quit`, Ctrl-D or Ctrl-C) it stops reading, waits up to {@link QUIT_GRACE_MS} for
 * the replies still owed to messages already sent and for streams still being written, saying
 * which it waits for, prints them, and resolves.
 *
 * @param playground - scene state and command language
 * @param emulator - the emulator the bot is connected to
 * @param streams - where to read and print (`process.stdin` and `process.stdout` by default)
 */
export async function runInteractive(
  playground: Playground,
  emulator: Emulator,
  streams: ConsoleStreams = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const { output } = streams;
  const rl = createInterface({
    input: streams.input,
    output,
    prompt: playground.prompt,
    ...(streams.terminal === undefined ? {} : { terminal: streams.terminal }),
  });
  let reading = true;
  let quitTyped = false;
  const print = (text: string): void => {
    if (reading) printAbovePrompt(rl, output, text);
    else output.write(`${text}\n`);
  };
  // Each wait in progress, and how its message was first answered: a quit waits for all of them
  // (an answered one only for the rest of its replies or stream), but names only the unanswered.
  const inFlight = new Map<Promise<void>, { answered: Answer | undefined }>();
  // Aborted when the grace period after a quit runs out: every wait for a reply gives up then.
  const giveUp = new AbortController();
  const board = new ButtonBoard(emulator);
  const track = (wait: (answered: (how: Answer) => void) => Promise<void>): void => {
    const progress: { answered: Answer | undefined } = { answered: undefined };
    const awaiting = wait((how) => (progress.answered ??= how));
    inFlight.set(awaiting, progress);
    void awaiting.finally(() => inFlight.delete(awaiting));
  };

  rl.on('line', (line) => {
    if (!reading) return;
    const outcome = playground.read(line);
    switch (outcome.kind) {
      case 'quit':
        quitTyped = true;
        rl.close();
        return;
      case 'notice':
        output.write(`${outcome.text}\n`);
        break;
      case 'message':
        track((answered) =>
          send(emulator, board, outcome.scene, outcome.text, { print, answered, signal: giveUp.signal }),
        );
        break;
      case 'press': {
        const from = emulator.recorder.mark();
        const pressed = board.press(outcome.scene, outcome.choice);
        if (typeof pressed === 'string') {
          output.write(`${pressed}\n`);
          break;
        }
        print(
          transcriptLine(outcome.scene.label, outcome.scene.speaker, `(presses ${pressed.button.label})`),
        );
        track(() =>
          awaitPressAnswer(emulator, pressed.interactionId, {
            from,
            timeout: REPLY_TIMEOUT_MS,
            signal: giveUp.signal,
          }).then((answer) => {
            for (const line of describePressAnswer(answer))
              print(transcriptLine(outcome.scene.label, 'bot', line));
          }),
        );
        break;
      }
      case 'none':
        break;
    }
    rl.setPrompt(playground.prompt);
    rl.prompt();
  });
  // Without a listener, Ctrl-C would only pause the console.
  rl.on('SIGINT', () => rl.close());

  const closed = once(rl, 'close');
  rl.once('close', () => {
    // Set at once: readline may still emit the remaining lines of a pasted block after a close.
    reading = false;
    // Ctrl-C or Ctrl-D leave the cursor on the prompt line, after whatever was typed: end that
    // line, so what follows is printed on lines of its own (a typed /quit already ended it).
    if (rl.terminal && !quitTyped) output.write('\n');
  });

  output.write(`${playground.help()}\n`);
  rl.prompt();
  await closed;

  if (inFlight.size > 0) {
    const waits = [...inFlight.values()];
    const owed = waits.filter((progress) => progress.answered === undefined).length;
    const streams = waits.filter((progress) => progress.answered === 'stream').length;
    const grace = `${QUIT_GRACE_MS / 1000} s`;
    if (owed > 0) {
      const count = owed === 1 ? '1 message' : `${owed} messages`;
      print(`(waiting up to ${grace} for the bot to answer ${count}; Ctrl-C leaves at once)`);
    } else if (streams > 0) {
      // Answered, but still being written: without a word the wait would look like a hang.
      const what = streams === 1 ? 'its stream' : `its ${streams} streams`;
      print(`(letting the bot finish ${what}, up to ${grace}; Ctrl-C leaves at once)`);
    }
    const deadline = setTimeout(() => giveUp.abort(), QUIT_GRACE_MS);
    await Promise.all(inFlight.keys());
    clearTimeout(deadline);
  }
  board.close();
  print('bye');
}

/** How the bot first answered a message: with a reply, or with a stream's first frame. */
type Answer = 'reply' | 'stream';

/** Where {@link send} reports, and when it stops waiting. */
interface SendReport {
  /** Prints a line of the transcript. */
  print: (text: string) => void;
  /** Called at the first reply or stream frame, with which it was. */
  answered: (how: Answer) => void;
  /** Aborted when the console stops waiting for answers. */
  signal: AbortSignal;
}

/**
 * Publishes a typed message and prints the bot's replies when they come, or what went wrong.
 *
 * @returns a promise that never rejects and settles once the replies are in, none came in time,
 *   or `signal` aborted
 */
async function send(
  emulator: Emulator,
  board: ButtonBoard,
  scene: Scene,
  text: string,
  { print, answered, signal }: SendReport,
): Promise<void> {
  const from = emulator.recorder.mark();
  // The bot answers with messages or with a stream, never both: the first of either ends the
  // wait for the other, which would otherwise last the whole reply timeout.
  const replyWait = abortedWith(signal);
  const streamWait = abortedWith(signal);
  let repliesSeen = 0;
  let framesSeen = 0;
  try {
    const { messageId } = scene.send(text);
    board.sent(scene, messageId);
    const [replies, frames] = await Promise.all([
      collectReplies(emulator, messageId, {
        from,
        timeout: REPLY_TIMEOUT_MS,
        signal: replyWait.signal,
        onReply: (reply) => {
          if (repliesSeen++ === 0) answered('reply');
          if (framesSeen === 0) streamWait.abort();
          // A keyboard comes with markdown rather than text: show that, then its buttons.
          const keyboard = board.keyboardFor(messageId);
          const shown = reply.content === '' && keyboard ? { ...reply, content: keyboard.text } : reply;
          print(transcriptLine(scene.label, 'bot', describeReply(shown)));
          if (keyboard) print(transcriptLine(scene.label, 'bot', ButtonBoard.describe(keyboard)));
        },
      }),
      // A C2C stream answers with frames instead: show each as it grows.
      followStream(
        emulator,
        messageId,
        { from, timeout: REPLY_TIMEOUT_MS, signal: streamWait.signal },
        (frame) => {
          if (framesSeen++ === 0) answered('stream');
          if (repliesSeen === 0) replyWait.abort();
          print(transcriptLine(scene.label, 'bot', describeFrame(frame)));
        },
      ),
    ]);
    // Only commands are sure to get an answer; the bot merely counts other lines.
    if (replies.length === 0 && frames.length === 0 && text.startsWith('!')) {
      print(`(no reply to ${text} in ${scene.label}${signal.aborted ? ' before leaving' : ''})`);
    }
  } catch (error) {
    print(`could not send ${text}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    // Unhooks both from `signal`.
    replyWait.abort();
    streamWait.abort();
  }
}

/** A controller aborted with `signal` too, until it is aborted itself. */
function abortedWith(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (signal.aborted) {
    abort();
    return controller;
  }
  signal.addEventListener('abort', abort, { once: true });
  controller.signal.addEventListener('abort', () => signal.removeEventListener('abort', abort), {
    once: true,
  });
  return controller;
}

/**
 * Prints a line without mangling what the person is typing: on a terminal, clear the line, print,
 * and redraw the prompt with the typed text.
 */
function printAbovePrompt(rl: Interface, output: NodeJS.WritableStream, text: string): void {
  if (!rl.terminal) {
    output.write(`${text}\n`);
    return;
  }
  clearLine(output, 0);
  cursorTo(output, 0);
  output.write(`${text}\n`);
  rl.prompt(true);
}

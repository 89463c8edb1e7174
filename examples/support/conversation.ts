import type { Emulator } from '@bot/testing';
import { collectReplies, type BotReply } from './replies.js';
import type { Scene, SentMessage } from './scenes.js';

/** How long a scripted message may wait for the bot's reply. Generous: CI machines can be slow. */
export const REPLY_TIMEOUT_MS = 5_000;

/** A scripted message got no reply the platform accepted in time. */
export class NoReplyError extends Error {
  /**
   * @param scene - where it was sent (`group Book Club`)
   * @param text - what was sent
   * @param timeoutMs - how long the script waited
   */
  public constructor(
    public readonly scene: string,
    public readonly text: string,
    public readonly timeoutMs: number,
  ) {
    super(`no reply to "${text}" in ${scene} within ${timeoutMs} ms`);
    this.name = 'NoReplyError';
  }
}

/**
 * Formats one line of a transcript: `[group Book Club] Erin › !ping`. Lines of a multi-line
 * message are indented under the first.
 *
 * @param scene - the scene's label
 * @param who - the speaker
 * @param text - what was said
 */
export function transcriptLine(scene: string, who: string, text: string): string {
  const head = `[${scene}] ${who} › `;
  return head + text.split('\n').join(`\n${' '.repeat(head.length)}`);
}

/**
 * Publishes `text` as the scene's user and waits for the bot's first reply to it that the
 * platform accepted (a send it refused, an expired reply window say, is no reply).
 *
 * @param emulator - the emulator the bot is connected to
 * @param scene - where the simulated user speaks
 * @param text - the message
 * @returns what was published and the bot's reply, as the emulator recorded it
 * @throws {@link NoReplyError} when the bot does not answer within {@link REPLY_TIMEOUT_MS}
 */
export async function exchange(
  emulator: Emulator,
  scene: Scene,
  text: string,
): Promise<{ sent: SentMessage; reply: BotReply }> {
  const from = emulator.recorder.mark();
  const sent = scene.send(text);
  const [reply] = await collectReplies(emulator, sent.messageId, {
    from,
    timeout: REPLY_TIMEOUT_MS,
    expected: 1,
    acceptedOnly: true,
  });
  if (!reply) throw new NoReplyError(scene.label, text, REPLY_TIMEOUT_MS);
  return { sent, reply };
}

/**
 * Plays a scripted exchange against the emulator: each line is published as a simulated user's
 * message and answered by the bot; both are printed, the reply as the emulator recorded it (what
 * the bot really sent over REST).
 */
export class Conversation {
  readonly #emulator: Emulator;
  readonly #print: (line: string) => void;

  /**
   * @param emulator - the emulator the bot is connected to
   * @param print - where transcript lines go (`console.log` by default)
   */
  public constructor(emulator: Emulator, print: (line: string) => void = console.log) {
    this.#emulator = emulator;
    this.#print = print;
  }

  /**
   * Sends `text` in `scene`, waits for the bot's reply and prints both.
   *
   * @param scene - where the simulated user speaks
   * @param text - the message
   * @returns what was published and the bot's reply
   * @throws {@link NoReplyError} when the bot does not answer within {@link REPLY_TIMEOUT_MS}
   */
  public async say(scene: Scene, text: string): Promise<{ sent: SentMessage; reply: BotReply }> {
    this.#print(transcriptLine(scene.label, scene.speaker, `${text}   (the bot receives ${scene.event})`));
    const exchanged = await exchange(this.#emulator, scene, text);
    this.#print(transcriptLine(scene.label, 'bot', describeReply(exchanged.reply)));
    return exchanged;
  }
}

/** A reply's text, with the emulator's verdict when it did not simply deliver it. */
export function describeReply(reply: BotReply): string {
  if (reply.status === 200) return reply.content;
  if (reply.status >= 200 && reply.status < 300)
    return `${reply.content}   (held for audit: HTTP ${reply.status})`;
  return `${reply.content}   (refused: HTTP ${reply.status})`;
}

import {
  MessageParams,
  OpenMessageParams,
  type BotError,
  type C2CMessage,
  type ClientBuilder,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Interaction,
  type Message,
  type Ready,
} from '@bot/client';
import { thinkAbout } from '../rich/model.js';
import { MENU_TITLE, answerPress, menuKeyboard } from '../rich/RichBot.js';
import { STATS_BOT_INTENTS, StatsBot } from '../stateful/StatsBot.js';
import { Stats, StatsBook, Uptime } from '../stateful/stats.js';

/** The playground bot's intents: the stats bot's, and button presses. */
export const PLAYGROUND_BOT_INTENTS = STATS_BOT_INTENTS.withInteraction();

/** The commands the playground adds to the stats bot's. */
export const PLAYGROUND_COMMANDS: ReadonlyArray<{ name: string; summary: string }> = [
  { name: '!stream', summary: 'a streamed answer (it grows in C2C; one message in groups and guilds)' },
  { name: '!buttons', summary: 'a message with buttons: /press one and the bot answers' },
];

type AnyMessage = Message | GroupMessage | C2CMessage;

/**
 * The playground's bot: the stats bot of `examples/stateful`, plus `!stream` (an answer streamed
 * from the stand-in model of `examples/rich`) and `!buttons` (its fruit menu, whose presses are
 * acknowledged and answered). Its own commands go to its own code, everything else to the stats
 * bot, so the stats bot's counts stay those of the conversation.
 */
export class PlaygroundBot implements EventHandler {
  readonly #stats = new StatsBot();
  readonly #wordDelayMs: number | undefined;

  /** @param wordDelayMs - pause between the stand-in model's words (its own default when omitted) */
  public constructor(wordDelayMs?: number) {
    this.#wordDelayMs = wordDelayMs;
  }

  /** Logs which account and shard came up. */
  ready(ctx: Context, ready: Ready): void {
    this.#stats.ready(ctx, ready);
  }

  /** A guild message that @-mentions the bot. */
  async messageCreate(ctx: Context, message: Message): Promise<void> {
    if (!(await this.#ownCommand(message, 'guild'))) await this.#stats.messageCreate(ctx, message);
  }

  /** A group message that @-mentions the bot. */
  async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    if (!(await this.#ownCommand(message, 'open'))) await this.#stats.groupMessageCreate(ctx, message);
  }

  /** A one-to-one message. */
  async c2cMessageCreate(ctx: Context, message: C2CMessage): Promise<void> {
    if (!(await this.#ownCommand(message, 'open'))) await this.#stats.c2cMessageCreate(ctx, message);
  }

  /** A button of `!buttons` was pressed. */
  async interactionCreate(ctx: Context, interaction: Interaction): Promise<void> {
    await answerPress(ctx, interaction);
  }

  /** Any failure, as the stats bot reports it. */
  error(error: BotError, ctx?: Context): void {
    this.#stats.error(error, ctx);
  }

  /** Answers `!stream` and `!buttons`; `false` for any other message. */
  async #ownCommand(message: AnyMessage, kind: 'guild' | 'open'): Promise<boolean> {
    const [command = '', ...words] = message.cleanContent.split(/\s+/);
    switch (command.toLowerCase()) {
      case '!stream':
        await message.replyStreamFrom(thinkAbout(words.join(' ') || 'streams', this.#wordDelayMs));
        return true;
      case '!buttons':
        if (kind === 'guild')
          await (message as Message).reply(MessageParams.markdown(MENU_TITLE).withKeyboard(menuKeyboard()));
        else
          await (message as GroupMessage | C2CMessage).reply(
            OpenMessageParams.markdown(MENU_TITLE).withKeyboard(menuKeyboard()),
          );
        return true;
      default:
        return false;
    }
  }
}

/**
 * Adds the playground bot to a client builder, with the stats bot's data. Build the builder with
 * {@link PLAYGROUND_BOT_INTENTS}.
 *
 * @param builder - the builder to add to
 * @param wordDelayMs - pause between the stand-in model's words
 */
export function withPlaygroundBot(builder: ClientBuilder, wordDelayMs?: number): ClientBuilder {
  return builder
    .eventHandler(new PlaygroundBot(wordDelayMs))
    .data(Stats, new StatsBook())
    .data(Uptime, { startedAt: new Date() });
}

import {
  Intents,
  type BotError,
  type C2CMessage,
  type ClientBuilder,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
  type Ready,
} from '@bot/client';
import { answerCommand } from './commands.js';
import { Stats, StatsBook, Uptime } from './stats.js';

/** Guild @-messages come with the default intents; groups and C2C need GROUP_AND_C2C_EVENT. */
export const STATS_BOT_INTENTS = Intents.default().withGroupAndC2cEvent();

/**
 * A bot with memory: it counts every message per person, answers `!ping`, `!uptime`, `!stats`
 * and `!help` in guild channels (when @-mentioned), groups and C2C chats, and keeps its state
 * in the client's typed data map, where every handler and every shard of the process sees it.
 */
export class StatsBot implements EventHandler {
  /** Logs which account and shard came up. */
  ready(ctx: Context, ready: Ready): void {
    ctx.log.info(`logged in as ${ready.user.username} on shard ${ctx.shard.id} of ${ctx.shard.total}`);
  }

  /** A guild message that @-mentions the bot. */
  async messageCreate(ctx: Context, message: Message): Promise<void> {
    if (message.isFromBot()) return;
    await this.#handle(ctx, `guild:${message.author.id}`, message.cleanContent, (text) =>
      message.reply(text),
    );
  }

  /** A group message that @-mentions the bot. */
  async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    await this.#handle(ctx, `group:${message.author.memberOpenid}`, message.cleanContent, (text) =>
      message.reply(text),
    );
  }

  /** A one-to-one message. */
  async c2cMessageCreate(ctx: Context, message: C2CMessage): Promise<void> {
    await this.#handle(ctx, `c2c:${message.author.userOpenid}`, message.cleanContent, (text) =>
      message.reply(text),
    );
  }

  /** Any failure, by kind. A failed reply (an expired reply window, an outage) lands here, not in a crash. */
  error(error: BotError, ctx?: Context): void {
    const log = ctx?.log ?? console;
    switch (error.kind) {
      case 'handler':
        log.error(`a handler failed: ${error.message}`);
        break;
      case 'authentication':
        log.error(`the platform refused the credentials: ${error.message}`);
        break;
      case 'network':
      case 'timeout':
        log.warn(`the platform is unreachable for now: ${error.message}`);
        break;
      default:
        log.error(`${error.kind} error: ${error.message}`);
    }
  }

  async #handle(
    ctx: Context,
    user: string,
    text: string,
    reply: (text: string) => Promise<unknown>,
  ): Promise<void> {
    const now = new Date();
    const book = ctx.data.get(Stats);
    const sender = book.record(user, now);
    const answer = answerCommand(text, { sender, book, startedAt: ctx.data.get(Uptime).startedAt, now });
    if (answer === undefined) return;
    ctx.log.info(`${user} asked ${text.split(/\s+/, 1)[0]}`);
    await reply(answer);
  }
}

/**
 * Adds the stats bot to a client builder: its handler, an empty {@link StatsBook} and the start
 * time in the data map. Build the builder with {@link STATS_BOT_INTENTS}.
 *
 * ```ts
 * const client = await withStatsBot(Client.builder(token, STATS_BOT_INTENTS));
 * await client.start();
 * ```
 *
 * @param builder - the builder to add to
 */
export function withStatsBot(builder: ClientBuilder): ClientBuilder {
  return builder
    .eventHandler(new StatsBot())
    .data(Stats, new StatsBook())
    .data(Uptime, { startedAt: new Date() });
}

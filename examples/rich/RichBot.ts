import {
  InteractionAckCode,
  Intents,
  KeyboardBuilder,
  MediaFileType,
  OpenMessageParams,
  type BotError,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Interaction,
  type MessageKeyboard,
  type UploadProgress,
} from '@bot/client';
import { thinkAbout } from './model.js';

/** Group and C2C messages, and button presses. */
export const RICH_BOT_INTENTS = Intents.default().withGroupAndC2cEvent().withInteraction();

/** The commands the rich bot answers, in the order `!help` lists them. */
export const RICH_COMMANDS: ReadonlyArray<{ name: string; summary: string }> = [
  { name: '!ask', summary: 'a streamed answer from a stand-in model (!ask <question>)' },
  { name: '!file', summary: 'uploads a large file (in parts, with a progress bar) and sends it' },
  { name: '!menu', summary: 'a message with buttons; press one and I answer' },
];

/** The fruit buttons of `!menu`: button id, label, and the data the press hands back. */
export const MENU = [
  { id: 'apple', label: '🍎 Apple', data: 'fruit:apple' },
  { id: 'pear', label: '🍐 Pear', data: 'fruit:pear' },
  { id: 'cherry', label: '🍒 Cherry', data: 'fruit:cherry' },
] as const;

/** The text above the menu's buttons. */
export const MENU_TITLE = '**Pick a fruit**';

/** The menu's keyboard: one row of callback buttons, checked against the platform's limits. */
export function menuKeyboard(): MessageKeyboard {
  return new KeyboardBuilder()
    .row((row) => {
      for (const item of MENU) row.callback(item.label, item.data, { id: item.id, groupId: 'fruit' });
    })
    .build();
}

/**
 * Answers a press of a menu button: acknowledges it (as failed when the button is not one of the
 * menu's), then says what was picked in the chat of the press.
 *
 * @param ctx - the handler's context
 * @param interaction - the press
 */
export async function answerPress(ctx: Context, interaction: Interaction): Promise<void> {
  const choice = MENU.find((item) => item.data === interaction.buttonData);
  await interaction.ack(choice ? InteractionAckCode.Success : InteractionAckCode.Failed);
  if (!choice) return;
  ctx.log.info(`button ${choice.id} pressed in ${interaction.scene}`);
  await interaction.reply(`You picked ${choice.label}. Good choice!`);
}

/** Settings of the rich bot. */
export interface RichBotOptions {
  /** Size of the file `!file` uploads, in bytes; 20 MiB by default (the chunked flow starts at 5). */
  fileSize?: number;
  /**
   * Makes the progress callback of one upload (one bar per upload, so `!file` twice at once
   * draws two): called with a label (`upload 1`, `upload 2`, …) as each upload starts.
   */
  progress?: (label: string) => (progress: UploadProgress) => void;
  /** Stops the uploads in flight when aborted (on Ctrl-C, say); the upload rejects with its reason. */
  signal?: AbortSignal;
  /** Pause between the stand-in model's words, in ms. */
  wordDelayMs?: number;
}

/** Is `text` one of the rich bot's commands? */
export function isRichCommand(text: string): boolean {
  const command = text.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  return RICH_COMMANDS.some(({ name }) => name === command);
}

/**
 * What bots built around a model need, in groups and C2C chats: `!ask` streams the answer of an
 * async generator as it is written (C2C shows it growing; groups, which have no streaming, get
 * one message at the end), `!file` uploads a large file with a progress bar and sends it, and
 * `!menu` sends buttons whose presses are acknowledged and answered.
 */
export class RichBot implements EventHandler {
  readonly #fileSize: number;
  readonly #progress: RichBotOptions['progress'];
  readonly #signal: AbortSignal | undefined;
  readonly #wordDelayMs: number | undefined;
  /** The file `!file` sends, made on first use and shared by every upload (never changed). */
  #sample: Buffer | undefined;
  #uploads = 0;

  /** @param options - file size, progress output, cancellation, model pace */
  public constructor(options: RichBotOptions = {}) {
    this.#fileSize = options.fileSize ?? 20 * 1024 * 1024;
    this.#progress = options.progress;
    this.#signal = options.signal;
    this.#wordDelayMs = options.wordDelayMs;
  }

  /** A group message that @-mentions the bot. */
  async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    await this.#handle(ctx, message, { scene: 'group', id: message.groupOpenid });
  }

  /** A one-to-one message. */
  async c2cMessageCreate(ctx: Context, message: C2CMessage): Promise<void> {
    await this.#handle(ctx, message, { scene: 'c2c', id: message.author.userOpenid });
  }

  /** A button of `!menu` was pressed: acknowledge it, then answer in the chat it came from. */
  async interactionCreate(ctx: Context, interaction: Interaction): Promise<void> {
    await answerPress(ctx, interaction);
  }

  /** Any failure: a refused reply or upload lands here, by kind. */
  error(error: BotError, ctx?: Context): void {
    (ctx?.log ?? console).error(`${error.kind} error: ${error.message}`);
  }

  async #handle(
    ctx: Context,
    message: GroupMessage | C2CMessage,
    chat: { scene: 'group' | 'c2c'; id: string },
  ): Promise<void> {
    const [command = '', ...words] = message.cleanContent.split(/\s+/);
    switch (command.toLowerCase()) {
      case '!ask': {
        const result = await message.replyStreamFrom(thinkAbout(words.join(' '), this.#wordDelayMs));
        ctx.log.info(`streamed ${result.text.length} characters in ${result.frames} frame(s)`);
        return;
      }
      case '!file': {
        const api = chat.scene === 'group' ? ctx.api.groups : ctx.api.c2c;
        this.#sample ??= sampleFile(this.#fileSize);
        const onProgress = this.#progress?.(`upload ${++this.#uploads}`);
        const media = await api.uploadMedia(chat.id, this.#sample, {
          fileType: MediaFileType.File,
          fileName: 'report.bin',
          ...(onProgress && { onProgress }),
          ...(this.#signal && { signal: this.#signal }),
        });
        await message.reply(OpenMessageParams.media(media, `report.bin (${media.method} upload)`));
        return;
      }
      case '!menu':
        await message.reply(OpenMessageParams.markdown(MENU_TITLE).withKeyboard(menuKeyboard()));
        return;
    }
  }
}

/** A file of `size` bytes standing in for a report: a repeating pattern, the same every time. */
function sampleFile(size: number): Buffer {
  const line = Buffer.from('quarterly report, page after page of numbers: 0123456789\n');
  const file = Buffer.alloc(size);
  for (let at = 0; at < size; at += line.length) line.copy(file, at);
  return file;
}

import type { StatsBook, UserStats } from './stats.js';

/** The bot's commands, in the order `!help` lists them. */
export const COMMANDS: ReadonlyArray<{ name: string; summary: string }> = [
  { name: '!ping', summary: 'check that I am listening' },
  { name: '!uptime', summary: 'how long I have been running' },
  { name: '!stats', summary: 'your message count and when I last saw you' },
  { name: '!help', summary: 'this list' },
];

/** What a command may need to know to answer. */
export interface CommandFacts {
  /** The sender's statistics, the current message included. */
  sender: Readonly<UserStats>;
  /** Everyone's statistics. */
  book: StatsBook;
  /** When the bot started. */
  startedAt: Date;
  /** Now. */
  now: Date;
}

/**
 * Answers one message: the reply to a `!command`, or `undefined` for plain chat (which the bot
 * only counts). Unknown commands get a pointer to `!help`.
 *
 * @param text - the message, mentions removed
 * @param facts - statistics and clock
 */
export function answerCommand(text: string, facts: CommandFacts): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('!')) return undefined;
  const command = (trimmed.split(/\s+/, 1)[0] ?? '').toLowerCase();
  switch (command) {
    case '!ping':
      return 'Pong!';
    case '!uptime':
      return `Up for ${formatDuration(facts.now.getTime() - facts.startedAt.getTime())}.`;
    case '!stats':
      return describeStats(facts);
    case '!help':
      return ['Commands:', ...COMMANDS.map(({ name, summary }) => `${name.padEnd(8)} ${summary}`)].join('\n');
    default:
      return `I do not know ${command}. Try !help.`;
  }
}

function describeStats({ sender, book, now }: CommandFacts): string {
  const count = plural(sender.messages, 'message');
  const seen =
    sender.previousSeen === undefined
      ? 'first time I see you'
      : `last seen ${formatDuration(now.getTime() - sender.previousSeen.getTime())} ago`;
  return `You: ${count}, ${seen}. Everyone: ${plural(book.people, 'person', 'people')}, ${plural(book.messages, 'message')}.`;
}

const UNITS: ReadonlyArray<readonly [name: string, seconds: number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/**
 * `250 ms`, `3 s`, `2 min 5 s`, `1 h`, `3 d 2 h`: a duration in its largest unit and the one below it.
 *
 * @param ms - the duration in milliseconds; negative counts as zero
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  let rest = Math.max(0, Math.floor(ms / 1000));
  const amounts = UNITS.map(([name, size]) => {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    return { name, amount };
  });
  // At least one second is left here, so some unit is non-zero.
  const largest = amounts.findIndex(({ amount }) => amount > 0);
  const shown = amounts.slice(largest, largest + 2).filter(({ amount }, i) => i === 0 || amount > 0);
  return shown.map(({ name, amount }) => `${amount} ${name}`).join(' ');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

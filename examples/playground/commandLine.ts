/** A typed `/command argument…` line, split. */
export interface CommandLine {
  /** The command, lower-cased: `/guild`. */
  name: string;
  /** Everything after the command and the blanks that follow it, trimmed; `''` when none. */
  argument: string;
}

/**
 * Splits a console line that starts with `/` into its command and argument; `undefined` for any
 * other line (a message for the bot). Blanks inside the argument are kept as typed: channel and
 * group names may contain spaces.
 *
 * @param line - what was typed
 */
export function parseCommandLine(line: string): CommandLine | undefined {
  const text = line.trim();
  if (!text.startsWith('/')) return undefined;
  const match = /^(\S+)\s*(.*)$/su.exec(text);
  return { name: (match?.[1] ?? text).toLowerCase(), argument: match?.[2] ?? '' };
}

/**
 * The channel a `/guild` argument names: `#general` and `general` alike (the `#` is how channels
 * are shown, in the prompt and in the help, so people type it); `undefined` for the default.
 *
 * @param argument - the argument of `/guild`
 */
export function channelArgument(argument: string): string | undefined {
  const name = argument.trim().replace(/^[#＃]\s*/u, '');
  return name === '' ? undefined : name;
}

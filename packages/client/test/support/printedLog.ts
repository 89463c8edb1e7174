import { vi } from 'vitest';
import { createLogger, type BotLogger } from '@bot/core';

/**
 * What a plain-text logger prints to the console while `run` logs through it: the lines a user
 * would read, with `console.log` and `console.error` stubbed meanwhile.
 *
 * @param run - logs through the logger it is given
 */
export async function printedWhile(run: (log: BotLogger) => Promise<void>): Promise<string> {
  const printed: string[] = [];
  // Warnings and errors go to standard error (console.error), the rest to standard output.
  const print = (...args: unknown[]): void => void printed.push(args.map(String).join(' '));
  const out = vi.spyOn(globalThis.console, 'log').mockImplementation(print);
  const err = vi.spyOn(globalThis.console, 'error').mockImplementation(print);
  try {
    const log = createLogger('test', 0);
    log.settings.stylePrettyLogs = false;
    await run(log);
    return printed.join('\n');
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

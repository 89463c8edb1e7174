import { vi } from 'vitest';
import { createLogger, type BotLogger } from '@bot/core';

/**
 * What a plain-text logger prints to the console while `run` logs through it: the lines a user
 * would read, with `console.log` stubbed meanwhile.
 *
 * @param run - logs through the logger it is given
 */
export async function printedWhile(run: (log: BotLogger) => Promise<void>): Promise<string> {
  const printed: string[] = [];
  const console = vi.spyOn(globalThis.console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  try {
    const log = createLogger('test', 0);
    log.settings.stylePrettyLogs = false;
    await run(log);
    return printed.join('\n');
  } finally {
    console.mockRestore();
  }
}

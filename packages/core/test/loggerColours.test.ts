import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@bot/core';

/** Whether a line printed by a fresh default logger carries ANSI colour codes. */
function printsColours(): boolean {
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    printed.push(parts.map(String).join(' '));
  });
  try {
    createLogger('colours').info('hello');
  } finally {
    spy.mockRestore();
  }
  expect(printed.join('\n')).toContain('hello');
  // eslint-disable-next-line no-control-regex
  return /\u001b\[/.test(printed.join('\n'));
}

describe('the default logger in a file, a pipe or a terminal', () => {
  const hasColors = Object.getOwnPropertyDescriptor(process.stdout, 'hasColors');

  afterEach(() => {
    vi.unstubAllEnvs();
    if (hasColors === undefined) delete (process.stdout as { hasColors?: unknown }).hasColors;
    else Object.defineProperty(process.stdout, 'hasColors', hasColors);
  });

  /** Makes standard output look like a terminal that can (or cannot) show colours. */
  function terminal(colours: boolean): void {
    Object.defineProperty(process.stdout, 'hasColors', { value: () => colours, configurable: true });
  }

  it('writes no colour codes when standard output is not a terminal (a log file, a pipe)', () => {
    delete (process.stdout as { hasColors?: unknown }).hasColors;
    vi.stubEnv('FORCE_COLOR', undefined);
    expect(printsColours()).toBe(false);
  });

  it('writes colours to a terminal that shows them, and none to one that does not (NO_COLOR)', () => {
    terminal(true);
    expect(printsColours()).toBe(true);
    terminal(false);
    expect(printsColours()).toBe(false);
  });

  it('writes colours into a pipe when FORCE_COLOR asks for them, and none when it is 0', () => {
    delete (process.stdout as { hasColors?: unknown }).hasColors;
    vi.stubEnv('FORCE_COLOR', '1');
    expect(printsColours()).toBe(true);
    vi.stubEnv('FORCE_COLOR', '0');
    expect(printsColours()).toBe(false);
  });
});

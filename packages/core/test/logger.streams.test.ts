import { afterEach, describe, expect, it, vi } from 'vitest';
import { childLogger, createLogger } from '@bot/core';

/** What a fresh default logger (and a sub-logger of it) printed to each stream, one entry a line. */
function printed(write: (logger: ReturnType<typeof createLogger>) => void): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation(
    (...parts: unknown[]) => void out.push(parts.map(String).join(' ')),
  );
  vi.spyOn(console, 'error').mockImplementation(
    (...parts: unknown[]) => void err.push(parts.map(String).join(' ')),
  );
  write(createLogger('streams', 0));
  return { out, err };
}

describe('the default logger', () => {
  const hasColors = {
    stdout: Object.getOwnPropertyDescriptor(process.stdout, 'hasColors'),
    stderr: Object.getOwnPropertyDescriptor(process.stderr, 'hasColors'),
  };

  afterEach(() => {
    vi.restoreAllMocks();
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = process[name] as { hasColors?: unknown };
      const descriptor = hasColors[name];
      if (descriptor === undefined) delete stream.hasColors;
      else Object.defineProperty(stream, 'hasColors', descriptor);
    }
  });

  it('keeps colours out of standard error when only standard output is a colour terminal', () => {
    Object.defineProperty(process.stdout, 'hasColors', { value: () => true, configurable: true });
    Object.defineProperty(process.stderr, 'hasColors', { value: () => false, configurable: true });
    const { out, err } = printed((logger) => {
      logger.info('line info', { n: 1 });
      logger.warn('line warn', { n: 2 });
    });
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(out[0]).toMatch(ansi);
    expect(err[0]).not.toMatch(ansi);
    expect(err[0]).toMatch(/WARN.*line warn \{\s+n: 2\s+\}/);
  });

  it('writes warnings, errors and fatal lines to standard error, the rest to standard output', () => {
    const { out, err } = printed((logger) => {
      logger.silly('line silly');
      logger.trace('line trace');
      logger.debug('line debug');
      logger.info('line info');
      logger.warn('line warn');
      logger.error('line error');
      logger.fatal('line fatal');
    });
    expect(out.map((line) => /line (\w+)/.exec(line)?.[1])).toEqual(['silly', 'trace', 'debug', 'info']);
    expect(err.map((line) => /line (\w+)/.exec(line)?.[1])).toEqual(['warn', 'error', 'fatal']);
    expect(err[0]).toMatch(/WARN/);
  });

  it('does the same in its sub-loggers, which keep the name and the masking', () => {
    const { out, err } = printed((logger) => {
      const sub = childLogger(logger, 'webhook');
      sub.info('line info');
      sub.error('line error', { secret: 'hunter2' });
    });
    expect(out).toHaveLength(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/streams:webhook/);
    expect(err[0]).not.toMatch(/hunter2/);
  });
});

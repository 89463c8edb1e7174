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

describe('the default logger with JSON sub-loggers', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The first argument of each JSON line (the message) and its level name. */
  function entries(lines: string[]): Array<[unknown, unknown]> {
    return lines.map((line) => {
      const entry = JSON.parse(line) as { '0': unknown; _meta: { logLevelName: unknown } };
      return [entry['0'], entry._meta.logLevelName];
    });
  }

  it('writes their warnings, errors and fatal lines to standard error, the rest to standard output', () => {
    const { out, err } = printed((logger) => {
      const json = logger.getSubLogger({ name: 'collector', type: 'json' });
      json.debug('line debug');
      json.info('line info');
      json.warn('line warn', { token: 'hunter2' });
      json.error('line error');
      json.fatal('line fatal');
    });
    expect(entries(out)).toEqual([
      ['line debug', 'DEBUG'],
      ['line info', 'INFO'],
    ]);
    expect(entries(err)).toEqual([
      ['line warn', 'WARN'],
      ['line error', 'ERROR'],
      ['line fatal', 'FATAL'],
    ]);
    expect(err[0]).not.toMatch(/hunter2/);
  });

  it('keeps the split in their own sub-loggers and in pretty loggers derived from them', () => {
    const { out, err } = printed((logger) => {
      const json = logger.getSubLogger({ type: 'json' }).getSubLogger({ name: 'shard:0' });
      json.info('line info');
      json.error('line error');
      const pretty = json.getSubLogger({ type: 'pretty' });
      pretty.info('line pretty info');
      pretty.warn('line pretty warn');
    });
    expect(entries(out.slice(0, 1))).toEqual([['line info', 'INFO']]);
    expect(entries(err.slice(0, 1))).toEqual([['line error', 'ERROR']]);
    expect(out[1]).toMatch(/INFO.*line pretty info/);
    expect(err[1]).toMatch(/WARN.*line pretty warn/);
    expect(out).toHaveLength(2);
    expect(err).toHaveLength(2);
  });

  it('prints nothing from a hidden sub-logger, and leaves a JSON transport given by the user in place', () => {
    const mine: unknown[] = [];
    const { out, err } = printed((logger) => {
      logger.getSubLogger({ type: 'hidden' }).error('line hidden');
      const own = logger.getSubLogger({
        type: 'json',
        overwrite: { transportJSON: (json) => mine.push(json) },
      });
      own.error('line own');
      own.getSubLogger({ name: 'child' }).warn('line own child');
    });
    expect(out).toEqual([]);
    expect(err).toEqual([]);
    expect(mine.map((json) => (json as { '0': unknown })['0'])).toEqual(['line own', 'line own child']);
  });
});

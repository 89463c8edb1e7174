import { createLogger, type BotLogger } from '@bot/client';

/** One WARN-or-above line kept by {@link recordingLogger}. */
export interface RecordedLine {
  readonly level: string;
  readonly name: unknown;
  readonly message: unknown;
}

/** A logger printing nothing that keeps every WARN and above: its logger name and first argument. */
export function recordingLogger(): { log: BotLogger; lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  const log = createLogger('test', 0);
  log.settings.type = 'hidden';
  log.attachTransport((record) => {
    const entry = record as Record<string, unknown> & {
      _meta: { logLevelId: number; logLevelName: string; name?: unknown };
    };
    if (entry._meta.logLevelId >= 4)
      lines.push({ level: entry._meta.logLevelName, name: entry._meta.name, message: entry['0'] });
  });
  return { log, lines };
}

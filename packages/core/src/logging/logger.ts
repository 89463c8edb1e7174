import { Logger, type ILogObj } from 'tslog';

/** The logger type accepted everywhere in the framework: any tslog logger. */
export type BotLogger = Logger<ILogObj>;

/**
 * Keys whose values never reach a log line, whatever object they are nested in. Matched without
 * regard to case, so `authorization` covers the `Authorization` header too.
 */
export const SECRET_KEYS: readonly string[] = [
  'secret',
  'clientSecret',
  'client_secret',
  'access_token',
  'accessToken',
  'authorization',
  'token',
];

/** `QQBot <token>` inside free text (a header value logged as a string, an echoed frame). */
const BEARER_PATTERN = /QQBot\s+[^\s"',}]+/g;

/**
 * Creates the framework's default logger: pretty output, secrets masked, log positions hidden in
 * production (they cost a stack trace per line), colour codes only where they are shown: in a
 * terminal that shows them, or where `FORCE_COLOR` asks.
 *
 * @param name - logger name, shown on every line
 * @param minLevel - lowest level printed (tslog levels: 0 silly … 3 info … 6 fatal); 3 by default
 */
export function createLogger(name = 'bot', minLevel = 3): BotLogger {
  return new Logger<ILogObj>({
    name,
    type: 'pretty',
    minLevel,
    maskValuesOfKeys: [...SECRET_KEYS],
    maskValuesOfKeysCaseInsensitive: true,
    maskValuesRegEx: [BEARER_PATTERN],
    hideLogPositionForProduction: process.env['NODE_ENV'] === 'production',
    stylePrettyLogs: showsColours(),
  });
}

/**
 * Whether the lines printed to standard output should carry colour codes: in a terminal that
 * shows them (Node.js weighs `NO_COLOR`, `FORCE_COLOR` and `TERM` there), and elsewhere only when
 * `FORCE_COLOR` asks. In a log file or a pipe to a collector, the codes would be noise in every line.
 */
function showsColours(): boolean {
  const stdout = process.stdout as { hasColors?: () => boolean };
  if (typeof stdout.hasColors === 'function') return stdout.hasColors();
  const force = process.env['FORCE_COLOR'];
  return force !== undefined && force !== '' && force !== '0' && force !== 'false';
}

/**
 * Derives a named sub-logger that keeps the parent's settings (and therefore its masking).
 *
 * @param parent - the user's or the default logger
 * @param name - the component's name (`rest`, `shard:3`, …)
 */
export function childLogger(parent: BotLogger, name: string): BotLogger {
  return parent.getSubLogger({ name });
}

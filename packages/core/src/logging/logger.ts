import { formatWithOptions, stripVTControlCharacters } from 'node:util';
import { Logger, type ILogObj, type IMeta, type ISettings, type ISettingsParam } from 'tslog';

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

/** tslog's level of WARN: it and the levels above it (ERROR, FATAL) go to standard error. */
const FIRST_STDERR_LEVEL = 4;

/**
 * Creates the framework's default logger: pretty output, secrets masked, log positions hidden in
 * production (they cost a stack trace per line), colour codes only where they are shown: in a
 * terminal that shows them, or where `FORCE_COLOR` asks. WARN, ERROR and FATAL lines go to
 * standard error, the others to standard output, so that a supervisor or collector that splits
 * the two streams sees the problems as such. Sub-loggers keep the split, JSON ones
 * (`getSubLogger({ type: 'json' })`) included, unless they bring their own transport.
 *
 * @param name - logger name, shown on every line
 * @param minLevel - lowest level printed (tslog levels: 0 silly … 3 info … 6 fatal); 3 by default
 */
export function createLogger(name = 'bot', minLevel = 3): BotLogger {
  // tslog hands its transport the formatted line but not its level; the placeholder hook, called
  // for every pretty line just before the transport (synchronously), notes it. Sub-loggers share
  // these hooks, and lines are written one at a time, so the note is always the current line's.
  let level = 0;
  return new SplitLogger({
    name,
    type: 'pretty',
    minLevel,
    maskValuesOfKeys: [...SECRET_KEYS],
    maskValuesOfKeysCaseInsensitive: true,
    maskValuesRegEx: [BEARER_PATTERN],
    hideLogPositionForProduction: process.env['NODE_ENV'] === 'production',
    stylePrettyLogs: showsColours(process.stdout),
    overwrite: {
      addPlaceholders: (meta: IMeta) => {
        level = meta.logLevelId;
      },
      transportFormatted: (markup, args, errors, settings) =>
        writeLine(markup, args, errors, settings, level),
    },
  });
}

/** JSON transports made by {@link SplitLogger}, told apart from one a user passes in `overwrite`. */
const splitJsonTransports = new WeakSet<object>();

/**
 * tslog's logger with JSON lines split between the streams as pretty ones are. tslog builds a
 * sub-logger with its parent's class and settings, so every logger derived from the default one
 * comes through this constructor; each gets a JSON transport that reads its own settings (its
 * meta property, and whether it is hidden: tslog calls an overwritten JSON transport even then).
 */
class SplitLogger extends Logger<ILogObj> {
  constructor(settings?: ISettingsParam<ILogObj>, logObj?: ILogObj) {
    super(settings, logObj);
    const own = this.settings;
    const given = own.overwrite?.transportJSON;
    if (given !== undefined && !splitJsonTransports.has(given)) return;
    const transportJSON = (json: unknown): void => {
      if (own.type !== 'hidden') writeJson(json, own.metaProperty);
    };
    splitJsonTransports.add(transportJSON);
    own.overwrite = { ...own.overwrite, transportJSON };
  }
}

/**
 * Writes one JSON line, as tslog's own transport does (a repeated object as `[Circular]`, bigints
 * and `undefined` as strings), to standard error from WARN up and to standard output below.
 *
 * @param json - the log object with its meta
 * @param metaProperty - the key of the meta, which holds the level
 */
function writeJson(json: unknown, metaProperty: string): void {
  const meta = (json as Record<string, unknown> | null)?.[metaProperty] as
    { logLevelId?: unknown } | undefined;
  const level = typeof meta?.logLevelId === 'number' ? meta.logLevelId : 0;
  const seen = new Set<object>();
  const line = JSON.stringify(json, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    if (typeof value === 'bigint') return String(value);
    return value === undefined ? '[undefined]' : value;
  });
  if (level >= FIRST_STDERR_LEVEL) console.error(line);
  else console.log(line);
}

/**
 * Writes one pretty line as tslog's own transport does (arguments formatted with its inspect
 * options, errors on the lines after), to standard error from WARN up and to standard output below.
 * Colours follow standard output (the logger's setting); a line for standard error loses them when
 * that stream would not show them (`2> errors.log` from a terminal).
 */
function writeLine(
  markup: string,
  args: unknown[],
  errors: string[],
  settings: ISettings<ILogObj>,
  level: number,
): void {
  const toStderr = level >= FIRST_STDERR_LEVEL;
  const colours = settings.stylePrettyLogs && (!toStderr || showsColours(process.stderr));
  const errorLines = (errors.length > 0 && args.length > 0 ? '\n' : '') + errors.join('\n');
  const inspect = { ...settings.prettyInspectOptions, colors: colours };
  const line = markup + formatWithOptions(inspect, ...args) + errorLines;
  const shown = colours === settings.stylePrettyLogs ? line : stripVTControlCharacters(line);
  if (toStderr) console.error(shown);
  else console.log(shown);
}

/**
 * Whether the lines printed to `stream` should carry colour codes: in a terminal that shows them
 * (Node.js weighs `NO_COLOR`, `FORCE_COLOR` and `TERM` there), and elsewhere only when
 * `FORCE_COLOR` asks. In a log file or a pipe to a collector, the codes would be noise in every line.
 *
 * @param stream - standard output or standard error
 */
function showsColours(stream: NodeJS.WriteStream): boolean {
  const terminal = stream as { hasColors?: () => boolean };
  if (typeof terminal.hasColors === 'function') return terminal.hasColors();
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

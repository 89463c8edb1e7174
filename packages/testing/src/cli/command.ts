import { parseArgs } from 'node:util';
import { EmulatorError } from '../EmulatorError.js';
import { resolveOptions, type EmulatorOptions } from '../EmulatorOptions.js';
import { MAX_EMULATOR_SHARDS } from '../util/ids.js';

/**
 * A command line the CLI cannot run: a flag it does not know, or a value the emulator would refuse.
 * The CLI prints the message with its usage text and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** tslog's numbers for the levels `--log-level` accepts. */
export const LOG_LEVELS = { debug: 2, info: 3, warn: 4 } as const;
/** A level `--log-level` accepts. */
export type LogLevel = keyof typeof LOG_LEVELS;

/** What the command line asks for. */
export interface Command {
  options: EmulatorOptions;
  logLevel: LogLevel;
}

/** The integers a flag accepts, both ends included; no `max` means no upper bound. */
interface Range {
  min: number;
  max?: number;
}

/**
 * Each integer flag's range: the values `resolveOptions` accepts for the option it sets, so a
 * value the emulator would refuse is refused here, naming the flag instead of the option.
 */
export const INTEGER_FLAGS = {
  port: { min: 0, max: 65_535 },
  shards: { min: 1, max: MAX_EMULATOR_SHARDS },
  'max-concurrency': { min: 1 },
  'identify-window': { min: 0 },
  sessions: { min: 0 },
  'heartbeat-interval': { min: 1 },
  // A token must outlive the 60 s before expiry in which clients renew it.
  'token-lifetime': { min: 61 },
  'resume-window': { min: 0 },
  intents: { min: 0 },
} as const satisfies Record<string, Range>;

type IntegerFlag = keyof typeof INTEGER_FLAGS;

function describeRange({ min, max }: Range): string {
  if (max !== undefined)
    return `an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  if (min === 0) return 'a non-negative integer';
  if (min === 1) return 'a positive integer';
  return `an integer of at least ${min.toLocaleString('en-US')}`;
}

function integer(name: IntegerFlag, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const range: Range = INTEGER_FLAGS[name];
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < range.min || (range.max !== undefined && n > range.max))
    throw new UsageError(`--${name} must be ${describeRange(range)}, got "${value}"`);
  return n;
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`--${name} must not be empty`);
  return value;
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** The webhook pusher takes only http(s) URLs; checked here so a typo is a usage error, not a failed start. */
function callbackUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new UsageError(`--webhook must be an http or https URL, got "${value}"`);
  return value;
}

function intents(value: string | undefined): number | 'all' | undefined {
  if (value === undefined || value === 'all') return value;
  if (!/^\d+$/.test(value))
    throw new UsageError(
      `--intents must be "all" or ${describeRange(INTEGER_FLAGS.intents)}, got "${value}"`,
    );
  return integer('intents', value);
}

/**
 * Turns command-line flags into emulator options, or `'help'` for `--help`.
 *
 * @throws {UsageError} for an unknown flag, a missing value, or a value the emulator refuses
 *   (each named by its flag, with the values it accepts).
 */
export function parseCommand(argv: string[]): Command | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'app-id': { type: 'string' },
        secret: { type: 'string' },
        shards: { type: 'string' },
        'max-concurrency': { type: 'string' },
        pacing: { type: 'string' },
        'identify-window': { type: 'string' },
        sessions: { type: 'string' },
        'heartbeat-interval': { type: 'string' },
        'token-lifetime': { type: 'string' },
        'resume-window': { type: 'string' },
        'strict-resume': { type: 'boolean' },
        intents: { type: 'string' },
        audit: { type: 'boolean' },
        webhook: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    // parseArgs's own message says which flag is unknown or lacks its value.
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values.help) return 'help';
  const options: EmulatorOptions = {};
  const set = <K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('port', integer('port', values.port));
  set('host', values.host);
  set('appId', nonEmpty('app-id', values['app-id']));
  set('secret', nonEmpty('secret', values.secret));
  set('shards', integer('shards', values.shards));
  set('pacing', oneOf('pacing', values.pacing, ['instant', 'platform'] as const));
  set('identifyWindow', integer('identify-window', values['identify-window']));
  set('heartbeatInterval', integer('heartbeat-interval', values['heartbeat-interval']));
  set('tokenLifetime', integer('token-lifetime', values['token-lifetime']));
  set('resumeWindow', integer('resume-window', values['resume-window']));
  set('strictResume', values['strict-resume']);
  set('auditMode', values.audit);
  const maxConcurrency = integer('max-concurrency', values['max-concurrency']);
  const sessions = integer('sessions', values.sessions);
  if (maxConcurrency !== undefined || sessions !== undefined) {
    options.sessionStartLimit = {
      ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
      ...(sessions !== undefined ? { remaining: sessions } : {}),
    };
  }
  set('grantedIntents', intents(values.intents));
  const webhook = callbackUrl(values.webhook);
  if (webhook !== undefined) options.webhook = { url: webhook };
  const logLevel = oneOf('log-level', values['log-level'], Object.keys(LOG_LEVELS) as LogLevel[]) ?? 'info';
  // The checks above name flags; this one makes sure no value the emulator refuses gets past them
  // to fail the start (exit 1) instead of being a usage error.
  try {
    resolveOptions(options);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    throw new UsageError(error.message, { cause: error });
  }
  return { options, logLevel };
}

#!/usr/bin/env node
import { format, parseArgs } from 'node:util';
import { Logger, type ILogObj } from 'tslog';
import { Emulator } from './Emulator.js';
import { EmulatorError } from './EmulatorError.js';
import type { EmulatorOptions } from './EmulatorOptions.js';
import { describeRecord } from './recorder/describeRecord.js';
import { messageOf } from '@bot/core';

const USAGE = `Usage: qq-emulator [options]

Starts the QQ platform emulator and prints one JSON line when ready:
{"restUrl","gatewayUrl","tokenUrl","appId","secret","controlUrl"}
What it does (connections, identifies, events, REST calls) is logged on stderr.

Options:
  --port <n>                 port to listen on (default: chosen by the OS)
  --host <addr>              interface (default 127.0.0.1)
  --app-id <id>              AppID (default 102000000)
  --secret <s>               AppSecret
  --shards <n>               shard count reported by /gateway/bot (default 1); the seed world
                             gets a guild on each shard (GET /__emulator/world lists them)
  --max-concurrency <n>      identifies per window (default: the shard count; 1 with --pacing platform)
  --pacing <instant|platform>  identify pacing: none (default) or the platform's (5 s window)
  --identify-window <ms>     identify window (default 0; 5000 with --pacing platform)
  --sessions <n>             session starts left in the daily budget (default 1000)
  --heartbeat-interval <ms>  heartbeat interval sent in Hello (default 41250)
  --token-lifetime <s>       access token lifetime (default 7200)
  --resume-window <ms>       how long a disconnected session stays resumable (default 300000)
  --strict-resume            close a Resume from behind the seq heartbeats acknowledged with 4007
  --intents <all|n>          granted intents (default GUILDS|GUILD_MEMBERS|PUBLIC_GUILD_MESSAGES)
  --audit                    start in audit mode (guild sends answer 202)
  --webhook <url>            push events to this callback URL (validated with op 13)
  --log-level <level>        debug (adds heartbeats and each delivery), info (default) or warn
  --help                     show this text`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new EmulatorError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** tslog's numbers for the levels `--log-level` accepts. */
const LOG_LEVELS = { debug: 2, info: 3, warn: 4 } as const;
type LogLevel = keyof typeof LOG_LEVELS;

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new EmulatorError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** What the command line asks for. */
interface Command {
  options: EmulatorOptions;
  logLevel: LogLevel;
}

/** Turns command-line flags into emulator options. */
function commandFrom(argv: string[]): Command | 'help' {
  const { values } = parseArgs({
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
  });
  if (values.help) return 'help';
  const options: EmulatorOptions = {};
  const set = <K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('port', integer('port', values.port));
  set('host', values.host);
  set('appId', values['app-id']);
  set('secret', values.secret);
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
  if (values.intents !== undefined)
    options.grantedIntents = values.intents === 'all' ? 'all' : (integer('intents', values.intents) ?? 0);
  if (values.webhook !== undefined) options.webhook = { url: values.webhook };
  const logLevel = oneOf('log-level', values['log-level'], Object.keys(LOG_LEVELS) as LogLevel[]) ?? 'info';
  return { options, logLevel };
}

async function main(): Promise<void> {
  let command: Command | 'help';
  try {
    command = commandFrom(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Logs go to stderr: stdout carries only the ready line, so scripts can read it.
  const logger = new Logger<ILogObj>({
    name: 'qq-emulator',
    minLevel: LOG_LEVELS[command.logLevel],
    prettyLogTemplate: '{{hh}}:{{MM}}:{{ss}}.{{ms}} {{logLevelName}}\t',
    stylePrettyLogs: process.stderr.isTTY === true,
    overwrite: {
      transportFormatted: (meta, args, errors) =>
        process.stderr.write(`${meta}${format(...args)}${errors.join('\n')}\n`),
    },
  });
  // Emulator.start seeds a guild on every shard of --shards, as for any programmatic start.
  const emulator = await Emulator.start({ ...command.options, logger });
  emulator.recorder.onRecord((record) => {
    const activity = describeRecord(record);
    logger[activity.level](activity.message);
  });
  logger.info(`REST ${emulator.restUrl}, token ${emulator.tokenUrl}`);
  logger.info(`gateway ${emulator.gatewayUrl}, control ${emulator.controlUrl}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    // A terminal echoes Ctrl-C as "^C" without a line break: start the log line on a line of its own.
    if (signal === 'SIGINT' && process.stderr.isTTY === true) process.stderr.write('\n');
    logger.info(`${signal} received, stopping`);
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Announce readiness only once the signal handlers are in place, so a prompt SIGINT still stops cleanly.
  process.stdout.write(`${JSON.stringify(emulator.info())}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`qq-emulator failed to start: ${messageOf(error)}\n`);
  process.exitCode = 1;
});

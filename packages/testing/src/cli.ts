#!/usr/bin/env node
import { format } from 'node:util';
import { Logger, type ILogObj } from 'tslog';
import { Emulator } from './Emulator.js';
import { LOG_LEVELS, parseCommand, UsageError, type Command } from './cli/command.js';
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
  --shards <n>               shard count reported by /gateway/bot (default 1, at most 10,000);
                             the seed world gets a guild on each shard (GET /__emulator/world
                             lists them)
  --max-concurrency <n>      identifies per window (default: the shard count; 1 with --pacing platform)
  --pacing <instant|platform>  identify pacing: none (default) or the platform's (5 s window)
  --identify-window <ms>     identify window (default 0; 5000 with --pacing platform)
  --sessions <n>             session starts left in the daily budget (default 1000)
  --heartbeat-interval <ms>  heartbeat interval sent in Hello (default 41250)
  --token-lifetime <s>       access token lifetime, more than 60 (default 7200)
  --resume-window <ms>       how long a disconnected session stays resumable (default 300000)
  --strict-resume            close a Resume from behind the seq heartbeats acknowledged with 4007
  --intents <all|n>          granted intents (default GUILDS|GUILD_MEMBERS|PUBLIC_GUILD_MESSAGES)
  --audit                    start in audit mode (guild sends answer 202)
  --webhook <url>            push events to this callback URL (validated with op 13)
  --log-level <level>        debug (adds heartbeats and each delivery), info (default) or warn
  --help                     show this text`;

async function main(): Promise<void> {
  let command: Command | 'help';
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
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

/**
 * One process of the sharded bot: it runs shards `from … to` (both included) of `total` and
 * answers `!shard` with the shard and process that handled the message. The parent script
 * (index.ts) starts two of these; one can also be started by hand:
 *
 *   node --import tsx examples/sharded/worker.ts <from> <to> <total>
 *
 * It connects where the environment says (QQ_BOT_APP_ID, QQ_BOT_SECRET, and QQ_BOT_API_URL /
 * QQ_BOT_TOKEN_URL for an emulator), and runs until SIGINT, SIGTERM, or its parent going away.
 * Its lines carry no name of their own: the parent prefixes each with the worker's range.
 */
import {
  Client,
  Intents,
  ValidationError,
  type Context,
  type EventHandler,
  type Message,
  type ShardsReadyEvent,
} from '@bot/client';
import type { ShardRange } from '@bot/gateway';
import { Platform, runClient, runMain } from '../support/index.js';
import { rangeLabel, type WorkerMessage } from './messages.js';

/** Tells the parent process, when there is one listening on the IPC channel. */
function report(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

class WhereBot implements EventHandler {
  readonly #label: string;

  /** @param label - the worker's shard range, as shown in replies */
  constructor(label: string) {
    this.#label = label;
  }

  shardsReady(event: ShardsReadyEvent): void {
    console.log(`shards ${event.shardIds.join(', ')} of ${event.total} ready (pid ${process.pid})`);
    report({ type: 'ready', shardIds: [...event.shardIds] });
  }

  async messageCreate(ctx: Context, message: Message): Promise<void> {
    if (message.cleanContent !== '!shard') return;
    console.log(`shard ${ctx.shard.id} received !shard from guild ${message.guildId}`);
    if (message.eventId !== undefined)
      report({ type: 'handled', eventId: message.eventId, shardId: ctx.shard.id });
    await message.reply(
      `Handled by shard ${ctx.shard.id} of ${ctx.shard.total} in worker ${this.#label} (pid ${process.pid}).`,
    );
  }
}

runMain(async () => {
  const { range, total } = parseArguments(process.argv.slice(2));
  const platform = Platform.remote();
  const client = await platform
    .configure(Client.builder(platform.token, Intents.default()))
    .eventHandler(new WhereBot(rangeLabel(range)));

  // Orphaned by a parent that died without stopping us: stop the way a signal would. The
  // listener holds the IPC channel open, so it goes once the client is down.
  const onOrphaned = (): void => void process.kill(process.pid, 'SIGTERM');
  process.on('disconnect', onOrphaned);
  try {
    await runClient(platform, client, { start: () => client.startShardRange(range, total) });
  } finally {
    process.off('disconnect', onOrphaned);
  }
});

/** `<from> <to> <total>` from the command line. */
function parseArguments(args: string[]): { range: ShardRange; total: number } {
  const names = ['from', 'to', 'total'] as const;
  if (args.length !== names.length) throw new ValidationError('arguments', 'must be <from> <to> <total>');
  const [from, to, total] = names.map((name, index) => {
    const value = args[index] ?? '';
    if (!/^\d+$/.test(value))
      throw new ValidationError(name, `must be a non-negative integer, got "${value}"`);
    return Number(value);
  }) as [number, number, number];
  return { range: { from, to }, total };
}

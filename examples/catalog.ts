import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One runnable example: `pnpm example <name>`. */
export interface ExampleEntry {
  /** `examples/<name>.ts` or `examples/<name>/index.ts`. */
  name: string;
  /** What it shows, in one line. */
  description: string;
}

/** Every example, in the order a newcomer would read them. */
export const EXAMPLES: readonly ExampleEntry[] = [
  { name: 'ping', description: 'the smallest bot: answers !ping in guild channels, groups and C2C chats' },
  {
    name: 'stateful',
    description: 'a bot that remembers: per-user message counts, !ping, !uptime, !stats, !help',
  },
  {
    name: 'rich',
    description: 'a streamed answer from a stand-in model, a large upload with a progress bar, buttons',
  },
  {
    name: 'playground',
    description: 'type as users in a guild, a group or a C2C chat and watch the bot answer',
  },
  {
    name: 'webhook',
    description: 'the stateful bot fed by signed HTTP callbacks instead of a gateway socket',
  },
  {
    name: 'http-only',
    description: '@bot/http alone: list guilds and channels, reply with msg_id and msg_seq',
  },
  {
    name: 'gateway-only',
    description: "@bot/gateway's ShardManager alone, printing every dispatch (a gateway proxy)",
  },
  {
    name: 'gateway-proxy',
    description:
      'a production gateway proxy: bounded forward queue, resume from what the downstream confirmed',
  },
  {
    name: 'sharded',
    description: "four shards in two processes; each guild's messages reach its shard's process",
  },
  {
    name: 'threads',
    description: 'four shards on two worker threads, a client on each thread handling their events',
  },
  {
    name: 'distributed',
    description:
      'shards and handlers in separate processes joined by Redis (REDIS_URL, else a local redis-server)',
  },
];

/** The folder the examples live in. */
export const EXAMPLES_DIR = fileURLToPath(new URL('./', import.meta.url));

/**
 * The script of an example: `<name>.ts`, else `<name>/index.ts`; `undefined` for a name that is
 * not in {@link EXAMPLES} (so only examples run, never another file of the folder). The
 * spellings a shell completes are forgiven: `ping.ts`, `sharded/`, `sharded/index.ts`.
 */
export function resolveExample(given: string): string | undefined {
  const name = given.replace(/(\/index)?\.ts$/, '').replace(/\/+$/, '');
  if (!EXAMPLES.some((example) => example.name === name)) return undefined;
  return [`${EXAMPLES_DIR}${name}.ts`, `${EXAMPLES_DIR}${name}/index.ts`].find((path) => existsSync(path));
}

/** The list the runner prints: one example per line, names aligned. */
export function formatCatalog(): string {
  const width = Math.max(...EXAMPLES.map((example) => example.name.length));
  return EXAMPLES.map((example) => `  ${example.name.padEnd(width)}  ${example.description}`).join('\n');
}

/**
 * http-only: `@bot/http` alone, with no gateway and no client. It signs in, lists the bot's
 * guilds and their channels, and sends replies the way a service that gets its messages from
 * elsewhere (a queue fed by a gateway proxy, say) would: quoting the inbound `msg_id`, and
 * numbering several replies to one group message with `msg_seq`.
 *
 *   pnpm example http-only
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it lists the guilds on the QQ platform
 * (QQ_BOT_SANDBOX=1 for the sandbox), then checks the list every minute and reports guilds
 * joined and left, until Ctrl-C. Without them it starts the embedded emulator, replies to
 * messages simulated users send there, prints the results, and exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiError,
  BotApi,
  BotError,
  ChannelType,
  MessageParams,
  OpenMessageParams,
  RestClient,
  isPendingAudit,
  type Guild,
} from '@bot/http';
import type { Emulator } from '@bot/testing';
import { Platform, runMain, untilShutdownSignal } from './support/index.js';

/** How often the live run checks the guild list. */
const GUILD_CHECK_INTERVAL_MS = 60_000;
/** `GET /users/@me/guilds` returns at most this many guilds per page. */
const GUILD_PAGE_SIZE = 100;
/** Code of "this msg_seq was already used for this msg_id". */
const DUPLICATE_MSG_SEQ = 40054005;

runMain(async () => {
  const platform = await Platform.connect();
  console.log(`http-only: talking to ${platform.describe()}`);
  const rest = new RestClient(platform.restOptions());
  const api = new BotApi(rest);
  try {
    const me = await api.users.me();
    console.log(`signed in as ${me.username} (${me.id})`);
    const guilds = await listGuilds(api);
    await printGuilds(api, guilds);
    if (platform.emulator) await replyToSimulatedMessages(api, platform.emulator);
    else await watchGuilds(api, guilds);
  } finally {
    rest.destroy();
    await platform.stop();
  }
});

/** Every guild of the bot, page after page. */
async function listGuilds(api: BotApi, signal?: AbortSignal): Promise<Guild[]> {
  const guilds: Guild[] = [];
  for (;;) {
    const after = guilds.at(-1)?.id;
    const page = await api.users.guilds(
      { limit: GUILD_PAGE_SIZE, ...(after === undefined ? {} : { after }) },
      signal ? { signal } : undefined,
    );
    guilds.push(...page);
    if (page.length < GUILD_PAGE_SIZE) return guilds;
  }
}

async function printGuilds(api: BotApi, guilds: Guild[]): Promise<void> {
  console.log(`${guilds.length} guild(s):`);
  for (const guild of guilds) {
    const channels = await api.channels.list(guild.id);
    const names = channels.map((channel) => `#${channel.name} (${channelKind(channel.type)})`);
    console.log(`  ${guild.name}: ${names.join(', ') || 'no channels visible'}`);
  }
}

function channelKind(type: number): string {
  const entry = Object.entries(ChannelType).find(([, value]) => value === type);
  return entry ? entry[0].toLowerCase() : `type ${type}`;
}

/** Replies need an inbound message: the emulator's simulated users provide them. */
async function replyToSimulatedMessages(api: BotApi, emulator: Emulator): Promise<void> {
  const inGuild = emulator.simulate.guildAtMessage({ content: '!ping' });
  console.log(`\nAlice @-mentioned the bot in a channel: "!ping" (msg_id ${inGuild.d.id})`);
  const guildReply = await api.messages.send(
    inGuild.d.channel_id,
    MessageParams.text('Pong!').withReply(inGuild.d.id),
  );
  console.log(
    isPendingAudit(guildReply)
      ? `  reply held for audit ${guildReply.auditId}`
      : `  replied "Pong!" as message ${guildReply.id}`,
  );

  const inGroup = emulator.simulate.groupAtMessage({ content: 'two answers, please' });
  console.log(`\na group member wrote: "${inGroup.d.content.trim()}" (msg_id ${inGroup.d.id})`);
  const group = inGroup.d.group_openid;
  for (const [seq, text] of [
    [1, 'First answer.'],
    [2, 'Second answer.'],
  ] as const) {
    const sent = await api.groups.send(
      group,
      OpenMessageParams.text(text).withReply(inGroup.d.id).withMsgSeq(seq),
    );
    console.log(
      isPendingAudit(sent) ? `  held for audit` : `  msg_seq ${seq}: replied "${text}" as ${sent.id}`,
    );
  }

  // Reusing a msg_seq is the classic mistake: the platform refuses it, and the error says why.
  try {
    await api.groups.send(group, OpenMessageParams.text('Again?').withReply(inGroup.d.id).withMsgSeq(2));
    throw new Error('the platform accepted a reused msg_seq');
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== DUPLICATE_MSG_SEQ) throw error;
    console.log(
      `  msg_seq 2 again: refused, code ${error.code} (${error.status}), trace ${error.traceId ?? 'none'}`,
    );
  }
}

/** Checks the guild list every minute and reports changes, until SIGINT or SIGTERM. */
async function watchGuilds(api: BotApi, initial: Guild[]): Promise<void> {
  console.log('checking the guild list every minute; press Ctrl-C to stop');
  const stop = new AbortController();
  void untilShutdownSignal().then((signal) => {
    console.log(`${signal}: shutting down`);
    stop.abort();
  });
  let known = new Map(initial.map((guild) => [guild.id, guild.name]));
  while (!stop.signal.aborted) {
    try {
      await sleep(GUILD_CHECK_INTERVAL_MS, undefined, { signal: stop.signal });
      const current = new Map((await listGuilds(api, stop.signal)).map((guild) => [guild.id, guild.name]));
      for (const [id, name] of current) if (!known.has(id)) console.log(`joined ${name} (${id})`);
      for (const [id, name] of known) if (!current.has(id)) console.log(`left ${name} (${id})`);
      known = current;
    } catch (error) {
      if (stop.signal.aborted) return;
      // The platform being briefly unreachable is no reason to stop watching.
      if (!(error instanceof BotError)) throw error;
      console.warn(`guild check failed (${error.kind}): ${error.message}`);
    }
  }
}

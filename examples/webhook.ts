/**
 * webhook: the stateful bot again, receiving its events by HTTP callback instead of a gateway
 * socket. `client.startWebhook` answers the platform's URL validation (op 13), verifies the
 * Ed25519 signature of every delivery over its raw bytes, acknowledges it (op 12) and feeds the
 * same handlers a gateway would.
 *
 *   pnpm example webhook
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it listens on QQ_BOT_WEBHOOK_PORT (8443 by default)
 * until Ctrl-C; put it behind HTTPS and enter the URL in the bot's console. Without them it
 * registers its URL with the embedded emulator's webhook pusher, plays a short exchange through
 * signed deliveries, shows that a forged delivery is refused, and exits.
 */
import { Client } from '@bot/client';
import { ValidationError } from '@bot/http';
import type { Emulator, WebhookRecord } from '@bot/testing';
import { STATS_BOT_INTENTS, withStatsBot } from './stateful/StatsBot.js';
import {
  Conversation,
  Platform,
  c2cScene,
  groupScene,
  guildScene,
  runMain,
  untilShutdownSignal,
} from './support/index.js';

const PORT_VARIABLE = 'QQ_BOT_WEBHOOK_PORT';

runMain(async () => {
  const platform = await Platform.connect({ grantedIntents: STATS_BOT_INTENTS.bits });
  console.log(`webhook: serving ${platform.describe()}`);
  const client = await withStatsBot(platform.configure(Client.builder(platform.token, STATS_BOT_INTENTS)));

  // Port 0 lets the system pick a free port; the returned URL tells which.
  const server = await client.startWebhook({ port: platform.emulator ? 0 : listenPort(), path: '/qq' });
  console.log(`listening at ${server.url}`);
  try {
    if (platform.emulator) {
      await playAgainst(platform.emulator, server.url);
    } else {
      console.log(
        'enter this URL (behind HTTPS) as the callback URL in the bot console; press Ctrl-C to stop',
      );
      console.log(`${await untilShutdownSignal()}: shutting down`);
    }
  } finally {
    await client.shutdown();
    await platform.stop();
  }
});

async function playAgainst(emulator: Emulator, url: string): Promise<void> {
  // Like the platform's console, the pusher accepts a URL only after it answers op 13 correctly.
  await emulator.webhook.setUrl(url);
  console.log('the emulator validated the callback URL (op 13 answered with a valid signature)');

  const chat = new Conversation(emulator);
  await chat.say(guildScene(emulator), '!ping');
  await chat.say(groupScene(emulator), '!stats');
  await chat.say(c2cScene(emulator), '!uptime');

  await emulator.webhook.idle();
  const deliveries = emulator.recorder.filter((r): r is WebhookRecord => r.kind === 'webhook');
  const acknowledged = deliveries.filter((delivery) => delivery.status === 200 && delivery.ack === 0);
  console.log(
    `${acknowledged.length} of ${deliveries.length} signed deliveries verified and acknowledged (op 12)`,
  );
  if (acknowledged.length !== deliveries.length) throw new Error('a delivery was not acknowledged');

  // A delivery with a signature the secret did not make never reaches the handlers.
  const forged = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-bot-appid': emulator.appId,
      'x-signature-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-signature-ed25519': '00'.repeat(64),
    },
    body: JSON.stringify({ id: 'forged', op: 0, t: 'C2C_MESSAGE_CREATE', d: { content: '!ping' } }),
  });
  console.log(`a forged delivery was refused with HTTP ${forged.status}`);
  if (forged.status !== 401)
    throw new Error(`expected the forged delivery to be refused with 401, got ${forged.status}`);
}

function listenPort(): number {
  const value = process.env[PORT_VARIABLE] ?? '8443';
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ValidationError(PORT_VARIABLE, `must be a port number (1–65535), got "${value}"`);
  }
  return port;
}

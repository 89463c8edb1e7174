import { afterEach, describe, expect, it } from 'vitest';
import { Client, Intents, Token, type ClientBuilder, type EventHandler } from '@bot/client';
import { Emulator, Intent } from '@bot/testing';

/*
 * What the client README's interactions section says: a button press reaches interactionCreate
 * only when the bot asks for INTERACTION (`.withInteraction()`) and the platform grants it.
 */
describe('button presses and the INTERACTION intent', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  /** Starts an emulator granting `granted` and a client asking for `intents`; records what arrives. */
  async function start(intents: Intents, granted: number): Promise<{ emu: Emulator; seen: string[] }> {
    const emu = await Emulator.start({ grantedIntents: granted });
    const seen: string[] = [];
    let ready!: () => void;
    const shardsReady = new Promise<void>((resolve) => (ready = resolve));
    const bot: EventHandler = {
      interactionCreate: (_ctx, interaction) => void seen.push(`press ${interaction.buttonId}`),
      groupMessageCreate: (_ctx, message) => void seen.push(`message ${message.cleanContent}`),
      shardsReady: () => ready(),
    };
    const builder: ClientBuilder = Client.builder(new Token(emu.appId, emu.secret), intents)
      .baseUrl(emu.restUrl, emu.tokenUrl)
      .eventHandler(bot);
    const client = await builder;
    const running = client.start();
    running.catch(() => undefined);
    stops.push(async () => {
      await client.shutdown();
      await running.catch(() => undefined);
      await emu.stop();
    });
    await shardsReady;
    return { emu, seen };
  }

  it('delivers a press to a bot that asks for it and is granted it', async () => {
    const intents = Intents.default().withGroupAndC2cEvent().withInteraction();
    const { emu, seen } = await start(intents, intents.bits);
    emu.simulate.interaction({ scene: 'group', buttonId: 'b1', buttonData: 'yes', allowUnsentButton: true });
    await expect.poll(() => seen).toEqual(['press b1']);
  });

  it('never delivers a press to a bot without .withInteraction(), though the platform grants it', async () => {
    const intents = Intents.default().withGroupAndC2cEvent();
    const { emu, seen } = await start(intents, intents.bits | Intent.INTERACTION);
    emu.simulate.interaction({ scene: 'group', buttonId: 'b1', buttonData: 'yes', allowUnsentButton: true });
    // Sent after the press on the same shard: once it is handled, the press would have been too.
    emu.simulate.groupAtMessage({ content: 'after' });
    await expect.poll(() => seen).toEqual(['message after']);
  });
});

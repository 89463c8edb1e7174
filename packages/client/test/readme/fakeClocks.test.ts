// The late-reply example of the testing README, as it is printed there (snippets.test checks that
// the two read the same).
import { afterEach, expect, it, vi } from 'vitest';
import { Client, Intents, ReplyWindowClosedError, Token, type GroupMessage } from '@bot/client';
import { Emulator } from '@bot/testing';

afterEach(() => void vi.useRealTimers());

it('refuses a reply once the group reply window has passed', async () => {
  // The wall clock and the steady clock, nothing else: sockets and their timers stay real.
  vi.useFakeTimers({ toFake: ['Date', 'performance'] });
  const intents = Intents.default().withGroupAndC2cEvent();
  const emu = await Emulator.start({ grantedIntents: intents.bits });
  let ready!: () => void;
  let received!: (message: GroupMessage) => void;
  const shardsReady = new Promise<void>((resolve) => (ready = resolve));
  const inbound = new Promise<GroupMessage>((resolve) => (received = resolve));
  const client = await Client.builder(new Token(emu.appId, emu.secret), intents)
    .baseUrl(emu.restUrl, emu.tokenUrl)
    .eventHandler({ shardsReady: () => ready(), groupMessageCreate: (_ctx, m) => received(m) });
  const running = client.start();
  await shardsReady;

  emu.simulate.groupAtMessage({ content: 'hi' });
  const message = await inbound;
  vi.advanceTimersByTime(5 * 60_000 + 1); // a group message takes replies for 5 minutes
  await expect(message.reply('too late')).rejects.toBeInstanceOf(ReplyWindowClosedError);

  await client.shutdown();
  await running;
  await emu.stop();
});

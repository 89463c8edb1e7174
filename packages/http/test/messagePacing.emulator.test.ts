import { describe, expect, it } from 'vitest';
import { MessageParams, type RateLimitedEvent } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// The client's own pacing against the emulator's per-channel limit, which counts sends on their
// arrival as the platform does (docs/protocol.md §8.6, §10): a burst of replies to one channel must
// never meet the platform's "no" (429, code 22009), whatever the requests' transit times.

const MESSAGES_ROUTE = 'POST /channels/{channel_id}/messages';
const BURST = 12;

describe('message pacing against the emulator', () => {
  const setup = useEmulatorRest();

  it(`sends ${BURST} concurrent replies to one channel without the emulator ever answering 429`, async () => {
    const inbound = Array.from({ length: BURST }, (_, i) =>
      setup.emulator.simulate.guildAtMessage({ content: `question ${i}` }),
    );
    const channelId = inbound[0]!.d.channel_id;
    const limited: RateLimitedEvent[] = [];
    setup.rest.on('rateLimited', (event) => limited.push(event));

    await Promise.all(
      inbound.map((message, i) =>
        setup.api.messages.send(channelId, MessageParams.text(`answer ${i}`).withReply(message.d.id)),
      ),
    );

    const answers = setup.emulator.recorder.records.flatMap((record) =>
      record.kind === 'rest' && record.route === MESSAGES_ROUTE ? [record.status] : [],
    );
    expect(answers).toEqual(Array.from({ length: BURST }, () => 200));
    expect(limited).toEqual([]);
    const posted = setup.emulator.world.messages.inConversation('guild', channelId).filter((m) => m.fromBot);
    expect(posted).toHaveLength(BURST);
  });
});

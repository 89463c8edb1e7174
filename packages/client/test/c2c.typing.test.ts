import { describe, expect, it } from 'vitest';
import { ValidationError, type C2CMessage } from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';
import { capture } from './support/replyCapture.js';

/** Bodies the bot posted to C2C message routes, in order. */
function sentBodies(harness: Harness): Array<Record<string, unknown>> {
  return harness.emulator.recorder
    .filter((r) => r.kind === 'rest' && r.method === 'POST' && r.path.startsWith('/v2/users/'))
    .map((r) => (r.kind === 'rest' ? (r.body as Record<string, unknown>) : {}));
}

describe('message.typing() on a C2C message', () => {
  const harnesses = useHarness();

  it('sends msg_type 6 under a msg_seq of the message apart from the numbers of its replies, leaving its 5 replies free', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.c2cMessage({ content: 'slow question' });
    const message = (await next()) as C2CMessage;

    await message.typing(10);
    for (let n = 1; n <= 5; n++) await message.reply(`part ${n}`);
    await message.typing();

    const bodies = sentBodies(harness);
    expect(bodies[0]).toEqual({
      msg_type: 6,
      input_notify: { input_type: 1, input_second: 10 },
      msg_id: message.id,
      msg_seq: 101,
    });
    expect(bodies.slice(1, 6).map((b) => b['msg_seq'])).toEqual([1, 2, 3, 4, 5]);
    expect(bodies[6]).toMatchObject({ msg_type: 6, input_notify: { input_second: 30 }, msg_seq: 102 });
    expect(message.replyWindow.used).toBe(5);
  });

  it('refuses seconds out of 1..60 before sending anything', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    const message = (await next()) as C2CMessage;

    const refused = await message.typing(61).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).field).toBe('typing.seconds');
    expect(sentBodies(harness)).toEqual([]);
  });
});

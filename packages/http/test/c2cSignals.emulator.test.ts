import { describe, expect, it } from 'vitest';
import { ApiError, MediaFileType, OpenMessageParams } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// Typing notices, wakeup messages and upload bodies end to end against the emulator.

describe('C2C typing notices, wakeup messages and uploads against the emulator', () => {
  const setup = useEmulatorRest();
  const openid = () => setup.emulator.world.defaults.userOpenid;

  it('sends a typing notice that takes its msg_seq, then a reply under the next one', async () => {
    const inbound = setup.emulator.simulate.c2cMessage({ content: 'hi' });
    await setup.api.c2c.sendTyping(openid(), { msgId: inbound.d.id, msgSeq: 1, seconds: 5 });
    const reused = await setup.api.c2c
      .send(openid(), OpenMessageParams.text('x').withReply(inbound.d.id).withMsgSeq(1))
      .catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(ApiError);
    expect(reused).toMatchObject({ code: 40054005 });
    await setup.api.c2c.send(
      openid(),
      OpenMessageParams.text('answer').withReply(inbound.d.id).withMsgSeq(2),
    );
  });

  it('sends a wakeup message without msg_id after the user wrote, and none before', async () => {
    const early = await setup.api.c2c
      .sendWakeup(openid(), OpenMessageParams.text('still there?'))
      .catch((error: unknown) => error);
    expect(early).toMatchObject({ code: 40034102 });
    setup.emulator.simulate.c2cMessage({ content: 'hi' });
    const sent = await setup.api.c2c.sendWakeup(openid(), OpenMessageParams.text('still there?'));
    expect(sent).toMatchObject({ id: expect.any(String) });
    const posted = setup.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'),
    );
    expect(posted.map((r) => (r.kind === 'rest' ? r.body : undefined)).at(-1)).toEqual({
      msg_type: 0,
      content: 'still there?',
      is_wakeup: true,
    });
  });

  it('sends srv_send_msg: false on a one-call upload that leaves it out', async () => {
    await setup.api.c2c.upload(openid(), {
      file_type: MediaFileType.Image,
      url: 'https://example.test/a.png',
    });
    const [upload] = setup.emulator.recorder.filter((r) => r.kind === 'rest' && r.path.endsWith('/files'));
    expect(upload?.kind === 'rest' ? upload.body : undefined).toEqual({
      file_type: 1,
      url: 'https://example.test/a.png',
      srv_send_msg: false,
    });
  });
});

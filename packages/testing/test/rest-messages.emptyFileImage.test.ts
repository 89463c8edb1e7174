import { describe, expect, it } from 'vitest';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

// A multipart guild send whose `file_image` part holds no bytes carries no image: the emulator
// refuses it as a malformed form (50035), as it refuses an empty group or C2C upload, and stores
// no message. A one-byte image still goes through.

describe('a guild send with an empty file_image part', () => {
  const setup = useEmulatorOfTest();

  const sendForm = async (path: string, msgId: string, image: Buffer, content?: string) => {
    const form = new FormData();
    form.set('msg_id', msgId);
    if (content !== undefined) form.set('content', content);
    form.set('file_image', new Blob([image], { type: 'image/png' }), 'a.png');
    const response = await fetch(`${setup.emu.restUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `QQBot ${setup.token}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it.each([
    ['alone', undefined],
    ['beside a text', 'here'],
  ])('is refused with 50035 in a channel and a DM (%s)', async (_name, content) => {
    const inChannel = setup.emu.simulate.guildAtMessage({ content: 'image?' });
    const channel = `/channels/${setup.emu.world.defaults.channelId}/messages`;
    const refused = await sendForm(channel, inChannel.d.id, Buffer.alloc(0), content);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 50035 });
    expect(String(refused.body['message'])).toContain('file_image');

    const inDm = setup.emu.simulate.directMessage({ content: 'image?' });
    const dm = `/dms/${inDm.d.guild_id}/messages`;
    const refusedDm = await sendForm(dm, inDm.d.id, Buffer.alloc(0), content);
    expect(refusedDm.status).toBe(400);
    expect(refusedDm.body).toMatchObject({ code: 50035 });

    const sent = setup.emu.recorder.filter(
      (r) => r.kind === 'rest' && r.status === 200 && r.method === 'POST',
    );
    expect(sent).toHaveLength(0);
  });

  it('accepts an image of one byte', async () => {
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'image?' });
    const channel = `/channels/${setup.emu.world.defaults.channelId}/messages`;
    const answer = await sendForm(channel, inbound.d.id, Buffer.alloc(1));
    expect(answer.status).toBe(200);
  });
});

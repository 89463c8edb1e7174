import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator, SEED } from '@bot/testing';
import { call } from './helpers/http.js';

// The emulator refuses what the batch permissions page bounds (docs/protocol.md §8.13), so a
// client that skips its own checks meets the refusal in tests too; a refused batch changes nothing.
describe('PUT /channels/{channel_id}/permissions', () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await Emulator.start();
    token = emulator.createAccessToken();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  const channelId = SEED.channels.hallGeneral;
  const { bob, carol } = SEED.users;
  const batch = (body: unknown) =>
    call(emulator.restUrl, 'PUT', `/channels/${channelId}/permissions`, { token, body });
  const bitsOf = async (userId: string) =>
    (await call(emulator.restUrl, 'GET', `/channels/${channelId}/members/${userId}/permissions`, { token }))
      .body['permissions'];

  it.each<[string, unknown]>([
    ['no user_ids', { add: '1' }],
    ['an empty user_ids', { add: '1', user_ids: [] }],
    ['51 user ids', { add: '1', user_ids: [bob, ...Array.from({ length: 50 }, () => carol)] }],
  ])('refuses %s with 400 and code 301000', async (_name, body) => {
    const answer = await batch(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 301000 });
    expect(await bitsOf(bob)).toBe('0');
  });

  it('refuses user_ids that are not strings with 400 and code 12002', async () => {
    const answer = await batch({ add: '1', user_ids: [1] });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 12002 });
  });

  it('answers 204 and changes every member named', async () => {
    expect((await batch({ add: '12', remove: '8', user_ids: [bob, carol] })).status).toBe(204);
    expect(await bitsOf(bob)).toBe('4');
    expect(await bitsOf(carol)).toBe('4');
  });
});

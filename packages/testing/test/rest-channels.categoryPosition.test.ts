import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator, SEED } from '@bot/testing';
import { call } from './helpers/http.js';

// The emulator refuses a category below position 2 as the docs require (docs/protocol.md §8.12),
// so a client that skips the check meets the refusal in tests too.
describe('POST /guilds/{guild_id}/channels: category position', () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await Emulator.start();
    token = emulator.createAccessToken();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  const create = (body: Record<string, unknown>) =>
    call(emulator.restUrl, 'POST', `/guilds/${SEED.guilds[0]}/channels`, { token, body });

  it.each([0, 1])('refuses a category at position %i with 400', async (position) => {
    const answer = await create({ name: 'c', type: 4, position });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 12002 });
  });

  it('takes a category at position 2 and a text channel at position 1', async () => {
    expect((await create({ name: 'c', type: 4, position: 2 })).status).toBe(200);
    expect((await create({ name: 't', type: 0, position: 1 })).status).toBe(200);
  });
});

import { describe, expect, it } from 'vitest';
import { call } from './helpers/http.js';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

/** `PUT /interactions/{id}` with a `data` object besides `code` (docs/protocol.md §13.1). */
describe('interaction acknowledgement bodies', () => {
  const setup = useEmulatorOfTest();
  const put = (id: string, body: unknown) =>
    call(setup.emu.restUrl, 'PUT', `/interactions/${id}`, { token: setup.token, body });

  it('keeps the data object of the last acknowledgement, and forgets it on one without', async () => {
    const click = setup.emu.simulate.interaction({ scene: 'c2c', buttonId: 'ok', allowUnsentButton: true });
    const data = { claw_cfg: { require_mention: 'always' }, list: [1, 'a', null] };
    expect((await put(click.d.id, { code: 0, data })).status).toBe(204);
    expect(setup.emu.world.content.interactions.get(click.d.id)).toEqual({ ackCode: 0, ackData: data });
    expect((await put(click.d.id, { code: 1, data: null })).status).toBe(204);
    expect(setup.emu.world.content.interactions.get(click.d.id)).toEqual({ ackCode: 1 });
  });

  it('refuses a data field that is no object with 400, leaving the interaction unanswered', async () => {
    const click = setup.emu.simulate.interaction({ scene: 'group', buttonId: 'ok', allowUnsentButton: true });
    for (const data of [[1], 'x', 3, true]) {
      const answer = await put(click.d.id, { code: 0, data });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ message: expect.stringContaining('"data"') });
    }
    expect(setup.emu.world.content.interactions.get(click.d.id)).toEqual({ ackCode: null });
  });
});

import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { call } from './helpers/http.js';

// A request refused for its body size (413) is refused before it is routed; its record still names
// the route its path matches, so a test waiting for that route sees it. A path that matches no
// route keeps `route: null`.

describe('a 413 in the record', () => {
  it('names the route its path matches', async () => {
    const emu = await Emulator.start({ maxBodyBytes: 1024 });
    try {
      const token = emu.createAccessToken();
      const inbound = emu.simulate.groupAtMessage({ content: 'long?' });
      const path = `/v2/groups/${inbound.d.group_openid}/messages`;
      const seen = emu.recorder.waitFor(
        (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
        { timeout: 2000 },
      );
      const answer = await call(emu.restUrl, 'POST', path, {
        token,
        body: { msg_type: 0, content: 'x'.repeat(2048), msg_id: inbound.d.id },
      });
      expect(answer.status).toBe(413);
      const record = await seen;
      expect(record).toMatchObject({
        kind: 'rest',
        status: 413,
        path,
        params: { group_openid: inbound.d.group_openid },
      });

      const nowhere = await call(emu.restUrl, 'POST', '/no/such/api', { token, body: 'y'.repeat(2048) });
      expect(nowhere.status).toBe(413);
      const last = emu.recorder.filter((r) => r.kind === 'rest').at(-1);
      expect(last).toMatchObject({ path: '/no/such/api', status: 413, route: null });
    } finally {
      await emu.stop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ClientDestroyedError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// Work joined to a RestClient's end (a media upload, the user's own) is handed the client's reason
// when it is destroyed: a typed error a caller can switch on, like the requests' own.

describe('RestClient.destroy() reason', () => {
  const fixture = useRestFixture();

  it('aborts closing and every joined signal with a ClientDestroyedError naming the REST client', () => {
    const rest = fixture.client();
    const joined = rest.joinClosing();
    rest.destroy();

    for (const reason of [joined.signal.reason, rest.closing.reason, rest.joinClosing().signal.reason]) {
      expect(reason).toBeInstanceOf(ClientDestroyedError);
      expect(reason).toMatchObject({ kind: 'clientDestroyed', destroyed: 'restClient' });
      expect((reason as Error).message).toMatch(
        /^the REST client's work in progress was not completed: its REST client was destroyed \(RestClient\.destroy\(\)/,
      );
    }
    joined.leave();
  });
});

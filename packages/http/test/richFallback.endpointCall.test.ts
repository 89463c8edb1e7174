import { describe, expect, it } from 'vitest';
import { BotApi, DecodeError, PlatformCode, RichContentFallbackError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// The plain-text re-send of the rich-content fallback is the same endpoint call as the send it
// replaces: an answer that is no JSON object or array is no message for it either.

describe('the rich-content fallback’s plain send', () => {
  const fixture = useRestFixture();

  it.each(['42', 'null'])('fails when answered 200 with %s, as the send it replaces would', async (raw) => {
    const api = new BotApi(fixture.client({ retries: 0, richContentFallback: true }));
    fixture.platform.handler = (request) =>
      (request.json as { markdown?: unknown }).markdown === undefined
        ? { status: 200, raw }
        : { status: 400, body: { code: PlatformCode.MarkdownTemplateNotPermitted, message: 'no markdown' } };
    const error = await api.groups
      .send('g1', { msg_type: 2, markdown: { content: 'hello **there**' }, msg_id: 'm1', msg_seq: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).cause).toBeInstanceOf(DecodeError);
    expect(fixture.platform.requests).toHaveLength(2);
  });
});

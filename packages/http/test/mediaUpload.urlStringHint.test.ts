import { describe, expect, it } from 'vitest';
import { BotApi, MediaFileType, ValidationError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// The hint for an http(s) link given as a string quotes the link escaped and cut at 200
// characters, and a link pasted with leading whitespace is caught as well.

describe('the hint for a link given to uploadMedia as a string', () => {
  const fixture = useRestFixture();
  const refusal = (source: string) =>
    new BotApi(fixture.client()).groups
      .uploadMedia('g1', source, { fileType: MediaFileType.Image })
      .catch((reason: unknown) => reason);

  it.each([
    ['leading spaces', '  https://example.com/cat.png', 'new URL("https://example.com/cat.png")'],
    ['a leading line break', '\nhttp://example.com/cat.png', 'new URL("http://example.com/cat.png")'],
    [
      'a quote and a line break in it',
      "https://example.com/it's\r\nforged",
      'new URL("https://example.com/it\'s\\r\\nforged")',
    ],
  ])('refuses a link with %s, quoting it escaped', async (_name, source, quoted) => {
    const error = await refusal(source);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'source' });
    expect((error as Error).message).toContain(quoted);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    expect(fixture.platform.requests).toHaveLength(0);
  });

  it('cuts a long link at 200 characters and says so', async () => {
    const link = `https://example.com/${'a'.repeat(500)}`;
    const message = ((await refusal(link)) as Error).message;
    expect(message).toContain(`new URL(${JSON.stringify(link.slice(0, 200))}…)`);
    expect(message.length).toBeLessThan(400);
  });
});

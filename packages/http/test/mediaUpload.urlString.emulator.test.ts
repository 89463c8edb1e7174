import { describe, expect, it } from 'vitest';
import { MediaFileType, ValidationError } from '@bot/http';
import { SEED } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// A string source is a file path; the platform fetches a link only when it is given as a `URL`.
// An http(s) link written as a string is refused before any request, saying how to pass it,
// instead of failing as a file that does not exist.

describe('an http(s) link given to uploadMedia as a string', () => {
  const setup = useEmulatorRest();
  const uploads = () =>
    setup.emulator.recorder.filter((r) => r.kind === 'rest' && r.path.endsWith('/files')).length;

  it.each(['https://example.com/cat.png', 'HTTP://example.com/cat.png'])(
    'refuses %j with a ValidationError naming new URL(), sending nothing',
    async (link) => {
      const error = await setup.api.groups
        .uploadMedia(SEED.groups.bookClub, link, { fileType: MediaFileType.Image })
        .catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'source' });
      expect((error as Error).message).toContain(`new URL(${JSON.stringify(link)})`);
      expect(uploads()).toBe(0);
    },
  );
});

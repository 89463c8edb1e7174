import { afterEach, beforeEach, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { guildScene } from '../support/index.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await Emulator.start();
});
afterEach(async () => {
  await emulator.stop();
});

// The playground's `/guild <channel>` shows this message: a guild id and no hint of the names
// that would work left a user guessing.
it('names the guild and its text channels when none matches', () => {
  expect(() => guildScene(emulator, { channel: 'nope' })).toThrow(
    'Emulator Hall has no text channel named "nope" (its text channels: #general, #announcements)',
  );
});

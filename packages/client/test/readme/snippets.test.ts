import { describe, expect, it } from 'vitest';
import { readmeBlock, snippetOf } from './readmeBlock.js';

const CLIENT_README = new URL('../../README.md', import.meta.url);
const TESTING_README = new URL('../../../testing/README.md', import.meta.url);

// Each example a README prints is a file here that a test runs; the printed text must be that file.
describe('README examples read as the files the tests run', () => {
  it.each([
    [CLIENT_README, '## Handlers', 'errorHookBot.ts'],
    [TESTING_README, '## Testing your own bot', 'testingYourBot.test.ts'],
    [TESTING_README, 'To age a message for both', 'fakeClocks.test.ts'],
  ])('%s, the example after "%s", is %s', (readme, after, file) => {
    expect(readmeBlock(readme, after)).toBe(snippetOf(new URL(file, import.meta.url)));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelArgument, parseCommandLine } from '../playground/commandLine.js';

/** A word as people type names: no blanks, not starting with `#`. */
const word = fc.stringMatching(/^[A-Za-z0-9_\-\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]{0,11}$/);
const blanks = fc.stringMatching(/^[ \t]{1,3}$/);

describe('playground command lines', () => {
  it('splits /command from its argument, whatever the blanks around them', () => {
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 3 }), blanks, blanks, (command, words, before, after) => {
        const argument = words.join(' ');
        const typed = parseCommandLine(`${before}/${command}${after}${argument}${before}`);
        expect(typed).toEqual({ name: `/${command.toLowerCase()}`, argument });
      }),
    );
  });

  it('leaves lines that are no command alone', () => {
    fc.assert(
      fc.property(word, (text) => {
        expect(parseCommandLine(text)).toBeUndefined();
        expect(parseCommandLine(` ${text} /guild`)).toBeUndefined();
      }),
    );
  });

  it('reads /guild #general as the channel general, as it is shown', () => {
    expect(parseCommandLine('/guild #general')).toEqual({ name: '/guild', argument: '#general' });
    expect(channelArgument('#general')).toBe('general');
    fc.assert(
      fc.property(word, blanks, (name, gap) => {
        expect(channelArgument(`#${name}`)).toBe(name);
        expect(channelArgument(`＃${name}`)).toBe(name);
        expect(channelArgument(`#${gap}${name}`)).toBe(name);
        expect(channelArgument(name)).toBe(name);
      }),
    );
    for (const none of ['', '  ', '#', '# ']) expect(channelArgument(none), none).toBeUndefined();
  });
});

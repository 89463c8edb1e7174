import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { channelMentionIds, stripMentions, userMentionIds } from '../src/models/content.js';

/**
 * The mention readers as they were before they were made linear: the reference their output must
 * match. Their regexes rescan a run of blanks, or of `<@` openings, from every start position,
 * so a long run costs time quadratic in its length.
 */
const reference = {
  userMentionIds: (content: string): string[] =>
    [...content.matchAll(/<@!?([^>\s]+)>/g)].map((match) => match[1]!),
  channelMentionIds: (content: string): string[] =>
    [...content.matchAll(/<#([^>\s]+)>/g)].map((match) => match[1]!),
  stripMentions(content: string): string {
    const run = /([^\S\r\n]*)<@!?[^>\s]+>(?:[^\S\r\n]*<@!?[^>\s]+>)*([^\S\r\n]*)/g;
    return content
      .replace(run, (text: string, before: string, after: string, offset: number) => {
        const end = offset + text.length;
        if (end === content.length || content[end] === '\n' || content[end] === '\r') return '';
        if (offset === 0 || content[offset - 1] === '\n' || content[offset - 1] === '\r') return before;
        return before || after;
      })
      .trim();
  },
};

/** Content made of the characters mentions and the blanks around them are made of. */
const mentionLike = fc.string({
  unit: fc.constantFrom(
    ' ',
    '\n',
    '<',
    '@',
    '!',
    '#',
    '>',
    'a',
    '1',
    '\u3000',
    '\t',
    '\r',
    '\u2028',
    '\u00a0',
  ),
  maxLength: 40,
});
/** Pieces that form whole mentions more often than single characters do. */
const mentionPieces = fc
  .array(fc.constantFrom('<@!a>', '<@1>', '<#1>', '<@', '<@!', ' ', '\u3000', '\n', 'a', '>', '<', '!'), {
    maxLength: 12,
  })
  .map((pieces) => pieces.join(''));

describe('mention readers match the regex-based ones they replace', () => {
  it('finds the same user and channel mention ids', () => {
    fc.assert(
      fc.property(fc.oneof(mentionLike, mentionPieces), (content) => {
        expect(userMentionIds(content)).toEqual(reference.userMentionIds(content));
        expect(channelMentionIds(content)).toEqual(reference.channelMentionIds(content));
      }),
      { numRuns: 3000 },
    );
  });

  it('strips mentions to the same text', () => {
    fc.assert(
      fc.property(fc.oneof(mentionLike, mentionPieces), (content) => {
        expect(stripMentions(content)).toBe(reference.stripMentions(content));
      }),
      { numRuns: 3000 },
    );
  });
});

/** Every regular expression literal of a source file, and whether it builds one at run time. */
function regexLiterals(path: string): { literals: RegExp[]; dynamic: boolean } {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const literals: RegExp[] = [];
  let dynamic = false;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const close = text.lastIndexOf('/');
      literals.push(new RegExp(text.slice(1, close), text.slice(close + 1)));
    }
    if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      node.expression.getText(source) === 'RegExp'
    ) {
      dynamic = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { literals, dynamic };
}

/**
 * Whether a regex costs a search time linear in what it reads. One that repeats nothing unboundedly
 * (no `*`, `+` or `{n,}`) reads a bounded stretch from each position it is tried at. Any other
 * one is tried at every position, reading a run again from each, unless it is sticky or anchored
 * at the start: tried at one position, as one character class repeated (then perhaps the end),
 * it reads forward once with nothing to backtrack into.
 */
function readsLinearly(pattern: RegExp): boolean {
  const outsideClasses = pattern.source.replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  if (!/[*+]|\{\d+,\}/.test(outsideClasses)) return true;
  const triedOnce = pattern.sticky || (pattern.source.startsWith('^') && !pattern.multiline);
  return triedOnce && /^\^?(?:\[(?:\\.|[^\]\\])*\]|\\[dDsSwW])[*+]\$?$/.test(pattern.source);
}

describe('mention readers do work linear in the content length', () => {
  const contentSource = new URL('../src/models/content.ts', import.meta.url).pathname;

  it('tells the old quadratic regexes from linear ones', () => {
    expect(readsLinearly(/([^\S\r\n]*)<@!?[^>\s]+>(?:[^\S\r\n]*<@!?[^>\s]+>)*([^\S\r\n]*)/g)).toBe(false);
    expect(readsLinearly(/<@!?([^>\s]+)>/g)).toBe(false);
    expect(readsLinearly(/<#([^>\s]+)>/g)).toBe(false);
    expect(readsLinearly(/[^>\s]*/g)).toBe(false);
    expect(readsLinearly(/[^>\s]*/y)).toBe(true);
    expect(readsLinearly(/[^>\s]*>/y)).toBe(false);
    expect(readsLinearly(/<@/g)).toBe(true);
    expect(readsLinearly(/^\d+$/)).toBe(true);
    expect(readsLinearly(/^\d+\d+$/)).toBe(false);
    expect(readsLinearly(/^[^\S\r\n]$/)).toBe(true);
    expect(readsLinearly(/&(?:amp|lt|gt);/g)).toBe(true);
  });

  it('uses only regexes that read linearly, none built at run time', () => {
    const { literals, dynamic } = regexLiterals(contentSource);
    expect(dynamic).toBe(false);
    expect(literals.length).toBeGreaterThan(0);
    expect(literals.filter((pattern) => !readsLinearly(pattern)).map(String)).toEqual([]);
  });

  describe('on 1 MiB of hostile content', () => {
    const exec = RegExp.prototype.exec;
    afterEach(() => {
      RegExp.prototype.exec = exec;
    });

    /**
     * Runs `read` while counting the characters its regex searches read: from where a search
     * starts to the end of what it found (or of the content), plus one past a sticky match. As
     * the test above shows, every regex of the module reads a character at most once per search;
     * this counts how often the scans start over.
     */
    function charactersRead<T>(read: () => T): { result: T; count: number } {
      let count = 0;
      // Test, matchAll and replace all call `exec`, as the language requires once it is replaced.
      RegExp.prototype.exec = function (this: RegExp, text: string) {
        const from = this.global || this.sticky ? this.lastIndex : 0;
        const match = exec.call(this, text);
        if (this.sticky) count += (match === null ? 0 : match[0].length) + 1;
        else count += (match === null ? text.length : match.index + match[0].length) - from;
        return match;
      };
      try {
        return { result: read(), count };
      } finally {
        RegExp.prototype.exec = exec;
      }
    }

    const size = 1 << 20;
    const hostile: ReadonlyArray<readonly [string, string]> = [
      ['spaces before a word', `${' '.repeat(size)}x`],
      ['ideographic spaces before a word', `${'\u3000'.repeat(size)}x`],
      ['spaces before an unclosed mention', `${' '.repeat(size)}<@a`],
      ['unclosed user mentions', '<@'.repeat(size / 2)],
      ['unclosed user mentions with a bang', '<@!'.repeat(Math.floor(size / 3))],
      ['unclosed channel mentions', '<#'.repeat(size / 2)],
      ['mentions separated by spaces, then an unclosed one', `${'<@1> '.repeat(Math.floor(size / 5))}<@a`],
    ];

    it.each(hostile)('%s: each reader reads each character a bounded number of times', (_, content) => {
      for (const read of [stripMentions, userMentionIds, channelMentionIds]) {
        const { count } = charactersRead(() => read(content));
        expect(count).toBeLessThanOrEqual(4 * content.length + 16);
      }
    });

    it('still reads them right', () => {
      expect(stripMentions(`${' '.repeat(size)}x`)).toBe('x');
      expect(stripMentions(`${'\u3000'.repeat(size)}x`)).toBe('x');
      expect(stripMentions(`${' '.repeat(size)}<@a`)).toBe('<@a');
      expect(stripMentions('<@'.repeat(size / 2))).toBe('<@'.repeat(size / 2));
      expect(userMentionIds('<@'.repeat(size / 2))).toEqual([]);
      expect(channelMentionIds('<#'.repeat(size / 2))).toEqual([]);
      const spaced = `${'<@1> '.repeat(Math.floor(size / 5))}<@a`;
      expect(stripMentions(spaced)).toBe('<@a');
      expect(userMentionIds(spaced)).toEqual(Array.from({ length: Math.floor(size / 5) }, () => '1'));
    });
  });
});

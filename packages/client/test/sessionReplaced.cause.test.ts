/**
 * SessionReplacedError said for every ended session that the process was likely away too long,
 * wrong when the platform refused a revoked token, ended the session itself, or another process
 * resumed it. The message now follows how the close event says the session ended (`ending`,
 * `code`), and quotes its reason.
 */
import { describe, expect, it } from 'vitest';
import { SessionReplacedError, type SessionReplacedCause } from '../src/errors/SessionReplacedError.js';

const message = (why: string, how: SessionReplacedCause): string =>
  new SessionReplacedError(0, 'session-1', 7, why, how).message;
const AWAY = 'away longer than the platform keeps a session resumable';

describe('SessionReplacedError names why the session ended', () => {
  it.each([
    ['invalid session (op 9)', { ending: 'invalidSession' }, AWAY],
    ['closed with 4006 (session invalid)', { ending: 'closed', code: 4006 }, AWAY],
    [
      'closed with 4009 (connection expired); the resume failed, identifying',
      { ending: 'resumeFailed', code: 4009 },
      'ended before the platform answered the resume',
    ],
    [
      'closed with 4004 (authentication failed) after a resume with a fresh token; identifying',
      { ending: 'tokenRefused', code: 4004 },
      'refused the access token, a freshly fetched one too',
    ],
    [
      'invalid session (op 9) soon after the session started, 2 in a row',
      { ending: 'invalidSessionSoon' },
      'ended the session right after it started',
    ],
    [
      'closed with 4902 (reset by resume: another connection resumed this session)',
      { ending: 'closed', code: 4902 },
      'second process',
    ],
    [
      'no answer to Resume within 15000 ms, 2 times in a row; identifying',
      { ending: 'resumeUnanswered' },
      'did not answer the resume',
    ],
    ['a new session answered the resume', { ending: 'newSession' }, 'answered the resume with a new session'],
  ] as const)('%s', (why, how, expected) => {
    const text = message(why, how);
    expect(text).toContain(`(${why})`);
    expect(text).toContain(expected);
    if (expected !== AWAY) expect(text).not.toContain(AWAY);
  });
});

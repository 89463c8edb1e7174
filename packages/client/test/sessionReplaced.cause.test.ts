/**
 * SessionReplacedError said for every ended session that the process was likely away too long,
 * wrong when the platform refused a revoked token, ended the session itself, or another process
 * resumed it. The message now follows the reason of the close event.
 */
import { describe, expect, it } from 'vitest';
import { SessionReplacedError } from '../src/errors/SessionReplacedError.js';

const message = (why: string): string => new SessionReplacedError(0, 'session-1', 7, why).message;
const AWAY = 'away longer than the platform keeps a session resumable';

describe('SessionReplacedError names why the session ended', () => {
  it.each([
    ['invalid session (op 9)', AWAY],
    [
      'closed with 4009 (connection expired); the resume failed, identifying',
      "reconcile from the platform's API",
    ],
    [
      'closed with 4004 (authentication failed) after a resume with a fresh token; identifying',
      'refused the access token, a freshly fetched one too',
    ],
    [
      'invalid session (op 9) soon after the session started, 2 in a row',
      'ended the session right after it started',
    ],
    ['closed with 4902 (reset by resume: another connection resumed this session)', 'second process'],
    ['no answer to Resume within 15000 ms, 2 times in a row; identifying', 'did not answer the resume'],
    ['a new session answered the resume', 'answered the resume with a new session'],
  ])('%s', (why, expected) => {
    const text = message(why);
    expect(text).toContain(`(${why})`);
    expect(text).toContain(expected);
    if (expected !== AWAY) expect(text).not.toContain(AWAY);
  });
});

/**
 * The cause sentence was picked by regular expressions over the reason text: op 9 answering the
 * resume with a fresh token (reason "invalid session (op 9)") read as a long absence with "restart
 * sooner", and a resume timeout of 40040 ms read as a refused access token (4004 in the number).
 * It now comes from the close event's structured `ending` and `code`.
 */
import { expect, it } from 'vitest';
import type { ShardCloseEvent } from '@bot/gateway';
import { SessionReplacedError } from '../src/errors/SessionReplacedError.js';

const AWAY = 'away longer than the platform keeps a session resumable';

it('op 9 answering the resume with a fresh token names the revoked token, not an absence', () => {
  const closed: ShardCloseEvent = {
    code: undefined,
    reason: 'invalid session (op 9) answering the resume with a fresh token after 4004; identifying',
    next: 'identify',
    delayMs: 1_000,
    ending: 'refreshedResumeInvalidated',
  };
  const error = new SessionReplacedError(0, 'S1', 7, closed.reason, closed);
  expect(error.message).toContain('the resume with a freshly fetched one was answered with op 9');
  expect(error.message).not.toContain(AWAY);
  expect(error.message).not.toContain('restart sooner');
  expect(error).toMatchObject({ ending: 'refreshedResumeInvalidated', closeCode: undefined });
});

it('numbers in the reason text are not read as close codes', () => {
  const why = 'no answer to Resume within 40040 ms, 2 times in a row; identifying';
  const told = new SessionReplacedError(0, 'S1', 7, why, { ending: 'resumeUnanswered' }).message;
  expect(told).toContain('did not answer the resume');
  // Without a structured cause the reason is quoted and the sentence stays plain.
  const untold = new SessionReplacedError(0, 'S1', 7, why).message;
  expect(untold).not.toContain('refused the access token');
  expect(untold).toContain('The resume failed');
});

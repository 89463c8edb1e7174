import { describe, expect, it } from 'vitest';
import { NetworkError } from '@bot/http';
import { wasNeverSent } from '../src/errors/delivery.js';
import { describeNetworkError, isConnectionFailure } from '../src/util/gotErrors.js';

// Which failed requests count as a failure of their connection (worth another attempt), and
// which of those certainly sent nothing.

function failure(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isConnectionFailure', () => {
  it.each([
    ['ECONNRESET', true],
    ['ECONNREFUSED', true],
    ['EAI_AGAIN', true],
    ['EPIPE', true],
    ['HPE_INVALID_CONSTANT', true],
    // Every connect attempt of autoSelectFamily timed out: no connection was made.
    ['ERR_SOCKET_CONNECTION_TIMEOUT', true],
    // The answer's stream closed before its end: the connection broke mid-answer.
    ['ERR_STREAM_PREMATURE_CLOSE', true],
    // Another attempt meets these again: an answer that cannot be decompressed, a certificate.
    ['Z_DATA_ERROR', false],
    ['CERT_HAS_EXPIRED', false],
    ['ERR_GOT_REQUEST_ERROR', false],
    ['ERR_INVALID_ARG_TYPE', false],
  ])('%s → %s', (code, expected) => {
    expect(isConnectionFailure(failure(code))).toBe(expected);
  });

  it('is false for an error without a string code', () => {
    expect(isConnectionFailure(new Error('socket hang up'))).toBe(false);
    expect(isConnectionFailure('ECONNRESET')).toBe(false);
  });
});

describe('a connect timeout of every address', () => {
  const timedOut = failure('ERR_SOCKET_CONNECTION_TIMEOUT', 'Socket connection timeout');

  it('is named by its code and counts as never sent', () => {
    expect(describeNetworkError(timedOut)).toBe('ERR_SOCKET_CONNECTION_TIMEOUT');
    expect(wasNeverSent('ERR_SOCKET_CONNECTION_TIMEOUT')).toBe(true);
  });

  it('tells a POST that nothing was sent', () => {
    const error = new NetworkError('POST', '/channels/{channel_id}/messages', describeNetworkError(timedOut));
    expect(error.mayHaveBeenSent).toBe(false);
    expect(error.message).toContain('nothing was sent');
    expect(error.message).not.toContain('may have been delivered');
  });

  it('does not count a stream closed mid-answer as never sent', () => {
    expect(wasNeverSent(describeNetworkError(failure('ERR_STREAM_PREMATURE_CLOSE')))).toBe(false);
  });
});

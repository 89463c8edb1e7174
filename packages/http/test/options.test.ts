import { describe, expect, it } from 'vitest';
import { AccessTokenProvider, RestClient, Token, ValidationError, requireHttpUrl } from '@bot/http';

const token = new Token('app-1', 'the-secret');

/** The ValidationError `build` throws, or a failure when it throws none. */
function refusal(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('URL options', () => {
  it('refuses a baseUrl without a scheme, naming the option, the value and the spelling to use', () => {
    const error = refusal(() => new RestClient({ token, baseUrl: 'localhost:8080' }));
    expect(error.field).toBe('baseUrl');
    expect(error.message).toContain("'localhost:8080'");
    expect(error.message).toContain("write 'http://localhost:8080'");
  });

  it('refuses a tokenUrl without a scheme, on the client and on the token provider', () => {
    const fromClient = refusal(() => new RestClient({ token, tokenUrl: '127.0.0.1:9000/token' }));
    expect(fromClient.field).toBe('tokenUrl');
    expect(fromClient.message).toContain("write 'http://127.0.0.1:9000/token'");
    const fromProvider = refusal(() => new AccessTokenProvider(token, { tokenUrl: 'localhost:1' }));
    expect(fromProvider.field).toBe('tokenUrl');
  });

  it.each([
    ['another scheme', 'ftp://example.com'],
    ['a relative path', '/api'],
    ['an empty string', ''],
    ['garbage', 'http://exa mple.com'],
  ])('refuses %s as a baseUrl', (_name, value) => {
    expect(refusal(() => new RestClient({ token, baseUrl: value })).field).toBe('baseUrl');
  });

  it('accepts http and https URLs, keeping the base without its trailing slash', () => {
    expect(new RestClient({ token, baseUrl: 'http://localhost:8080/' }).baseUrl).toBe(
      'http://localhost:8080',
    );
    expect(requireHttpUrl('https://api.example.com/v2', 'baseUrl')).toBe('https://api.example.com/v2');
  });

  it('offers no spelling when the value already names another scheme', () => {
    expect(refusal(() => requireHttpUrl('ws://example.com', 'gatewayUrl')).message).not.toContain('write');
  });
});

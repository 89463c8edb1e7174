import { expect } from 'vitest';
import { ValidationError } from '@bot/core';

/**
 * The {@link ValidationError} `build` throws, for tests of what a constructor refuses. Fails the
 * test when `build` throws nothing or throws anything else.
 *
 * @param build - the call that should refuse its input
 */
export function thrown(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('nothing was thrown');
}

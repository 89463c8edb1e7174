import { describe, expect, it } from 'vitest';
import { attachCallSite, callSiteOf, NetworkError, ValidationError, type CallSite } from '@bot/http';

// A library that sends through more layers throws errors of its own, built in a later turn: the
// caller passes them to attachCallSite so they lead to its user's line too.

/** A library's own error, which knows nothing of the framework's errors. */
class NotifyError extends Error {}

/** A library's public method: records where its user called it. */
function notify(): CallSite {
  return callSiteOf(notify);
}

function lastLineOf(stack: string | undefined): string {
  const text = stack ?? '';
  return text.slice(text.lastIndexOf('\n') + 1);
}

describe('attachCallSite', () => {
  it("ends any Error's stack with the frame of the line that called the library, after its own frames", () => {
    const site = notify();
    const error = new NotifyError('could not notify the group');
    const ownStack = error.stack ?? '';

    attachCallSite(error, site);

    expect(lastLineOf(site.stack)).toMatch(/attachCallSite\.test\.ts:\d+:\d+\)?$/);
    expect(error.stack).toBe(`${ownStack}\n${lastLineOf(site.stack)}`);
  });

  it('keeps the first site an error was given', () => {
    const first = notify();
    const second = notify();
    const error = new NetworkError('GET', '/users/@me', 'ECONNRESET');

    attachCallSite(error, first);
    attachCallSite(error, second);

    expect(lastLineOf(error.stack)).toBe(lastLineOf(first.stack));
    expect(lastLineOf(first.stack)).not.toBe(lastLineOf(second.stack));
  });

  it('leaves a ValidationError as it is: it was thrown while its caller was on the stack', () => {
    const error = new ValidationError('text', 'must not be empty');
    const ownStack = error.stack;

    attachCallSite(error, notify());

    expect(error.stack).toBe(ownStack);
  });
});

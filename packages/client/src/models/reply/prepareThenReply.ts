import { requestsFrom, type CallSite } from '@bot/http';
import type { ReplyWindowPolicy } from './replyRules.js';
import type { ReplyWindow } from './ReplyWindow.js';

/**
 * Prepares a reply's content (reads an image, uploads a file), then sends it as one reply in
 * `window`: counted from the start (a closed window is refused before anything is prepared, and
 * concurrent replies see it), given back when preparing fails (no reply went out, whatever the
 * preparation's own error says of its requests), checked again before the send (the window may
 * have expired during a long upload), and settled by the send's outcome.
 *
 * @param site - the public method's call site, for the failures of both steps
 * @param window - the window the reply is sent in
 * @param policy - whether a closed window is refused
 * @param prepare - builds what is sent
 * @param send - sends it as a reply
 * @param sendFailed - told of a failed send, once the window is settled (to forget a reused upload)
 */
export async function prepareThenReply<P, T>(
  site: CallSite,
  window: ReplyWindow,
  policy: ReplyWindowPolicy,
  prepare: () => Promise<P>,
  send: (prepared: P) => Promise<T>,
  sendFailed?: (prepared: P, error: unknown) => void,
): Promise<T> {
  window.reserve(policy);
  let prepared: P;
  try {
    prepared = await requestsFrom(site, prepare);
    window.check(policy, true);
  } catch (error) {
    window.release();
    throw error;
  }
  try {
    const result = await requestsFrom(site, () => send(prepared));
    window.settle();
    return result;
  } catch (error) {
    window.settle(error);
    sendFailed?.(prepared, error);
    throw error;
  }
}

import type { RequestError } from 'got';

/**
 * Whether a failed or cancelled attempt had written nothing of its request: it had no socket yet,
 * its TCP connection was not made, or, over https, its TLS handshake was not done (a request is
 * written only once it is). got's timer stamps a reused keep-alive connection with the times of
 * the connection it was made with, its handshake included, so only a new connection still opening
 * counts here. That stamping is got's own behaviour (14.6.5, pinned exactly in package.json):
 * were a later got to leave a reused connection's times empty, a POST lost on it would count as
 * unsent and be re-sent, so check this on every upgrade of got.
 *
 * @param timings - got's timings of the attempt, as its failure left them (`RequestError.timings`)
 * @param url - the attempt's URL, whose scheme says whether there is a handshake
 */
export function wroteNothing(timings: RequestError['timings'], url: string): boolean {
  return url.startsWith('https:') ? timings?.secureConnect === undefined : timings?.connect === undefined;
}

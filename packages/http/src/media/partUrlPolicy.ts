import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { requireHttpUrl } from '@bot/core';

/**
 * Hosts a presigned part URL may not name unless the API itself is on loopback: loopback, the
 * unspecified address, and link-local (where cloud metadata services answer, 169.254.169.254).
 */
const INTERNAL = new BlockList();
INTERNAL.addSubnet('127.0.0.0', 8, 'ipv4');
INTERNAL.addAddress('0.0.0.0', 'ipv4');
INTERNAL.addSubnet('169.254.0.0', 16, 'ipv4');
INTERNAL.addAddress('::1', 'ipv6');
INTERNAL.addAddress('::', 'ipv6');
INTERNAL.addSubnet('fe80::', 10, 'ipv6');

/** What the API's own base URL allows of the part URLs its `upload_prepare` hands out. */
export interface PartUrlPolicy {
  /** `http:` part URLs are taken only when the API itself is reached over `http:`. */
  allowHttp: boolean;
  /** Loopback and link-local hosts are taken only when the API itself is on loopback. */
  allowInternal: boolean;
}

/**
 * The rule for part URLs, from the REST base URL: `https:` only, and no loopback or link-local
 * host, unless the API itself is plain `http:` or on loopback (a local emulator), since the part
 * bytes go wherever the answer says, without the client's credentials (docs/protocol.md §8.8).
 *
 * @param apiBaseUrl - the REST client's base URL
 */
export function partUrlPolicy(apiBaseUrl: string): PartUrlPolicy {
  const api = new URL(apiBaseUrl);
  return { allowHttp: api.protocol === 'http:', allowInternal: isInternalHost(api.hostname) };
}

/**
 * Checks one presigned URL against the policy.
 *
 * @param value - the URL as the answer gave it
 * @param policy - what the API's base URL allows
 * @returns the problem, as a phrase, or `undefined` when the URL is acceptable
 */
export function partUrlProblem(value: unknown, policy: PartUrlPolicy): string | undefined {
  try {
    requireHttpUrl(value, 'presigned_url');
  } catch {
    return 'is not an http(s) URL';
  }
  const url = new URL(value as string);
  if (url.protocol === 'http:' && !policy.allowHttp)
    return 'is plain http: while the API is reached over https:';
  if (!policy.allowInternal && isInternalHost(url.hostname))
    return `names a loopback or link-local host (${url.hostname})`;
  return undefined;
}

/** Whether a URL's host is `localhost`, or a loopback, unspecified or link-local address. */
function isInternalHost(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return INTERNAL.check(host, 'ipv4');
  // An IPv4-mapped IPv6 address is checked against the IPv4 rules too.
  return isIPv6(host) && INTERNAL.check(host, 'ipv6');
}

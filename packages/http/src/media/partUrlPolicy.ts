import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { requireHttpUrl } from '@bot/core';

/** A kind of internal address, as a refusal names it. */
export interface InternalRange {
  /** Its name, as in `a private network host`. */
  kind: string;
  /** Its prefixes or where it leads. */
  note: string;
}

/**
 * Address ranges a presigned part URL may not lead to unless the API itself is on one, each with
 * why: where other machines of this network, or a cloud's metadata service, answer. The bytes of
 * the file go wherever the platform's answer says, and the storage host's answer is quoted back.
 */
const INTERNAL_RANGES: ReadonlyArray<InternalRange & { v4?: [string, number][]; v6?: [string, number][] }> = [
  {
    kind: 'loopback or link-local',
    note: 'reachable only from this machine or its own link, where cloud metadata services answer',
    v4: [
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
    ],
    v6: [
      ['::1', 128],
      ['fe80::', 10],
    ],
  },
  {
    kind: '"this network"',
    note: '0.0.0.0/8, which reaches this machine',
    v4: [['0.0.0.0', 8]],
    v6: [['::', 128]],
  },
  {
    kind: 'private network',
    note: 'RFC 1918',
    v4: [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
  },
  {
    kind: 'carrier-grade NAT',
    note: '100.64.0.0/10, where some clouds answer metadata requests',
    v4: [['100.64.0.0', 10]],
  },
  { kind: 'unique-local', note: 'fc00::/7, an IPv6 private network', v6: [['fc00::', 7]] },
];

/** One block list per range, so a refusal can say which. IPv4-mapped IPv6 forms are matched too. */
const RANGES = INTERNAL_RANGES.map(({ kind, note, v4 = [], v6 = [] }) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return { range: { kind, note }, list };
});

/** The well-known NAT64 prefix (RFC 6052): its last 32 bits are an IPv4 address. */
const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The 6to4 prefix (RFC 3056): its next 32 bits are an IPv4 address, reached through a relay. */
const SIX_TO_FOUR = new BlockList();
SIX_TO_FOUR.addSubnet('2002::', 16, 'ipv6');

/** What the API's own base URL allows of the part URLs its `upload_prepare` hands out. */
export interface PartUrlPolicy {
  /** `http:` part URLs are taken only when the API itself is reached over `http:`. */
  allowHttp: boolean;
  /** Internal hosts (loopback, link-local, private networks) are taken only when the API itself is on one. */
  allowInternal: boolean;
}

/**
 * The rule for part URLs, from the REST base URL: `https:` only, and no internal host (loopback,
 * link-local, a private network), unless the API itself is plain `http:` or on an internal host
 * (a local emulator), since the part bytes go wherever the answer says, without the client's
 * credentials (docs/protocol.md §8.8).
 *
 * @param apiBaseUrl - the REST client's base URL
 */
export function partUrlPolicy(apiBaseUrl: string): PartUrlPolicy {
  const api = new URL(apiBaseUrl);
  return { allowHttp: api.protocol === 'http:', allowInternal: internalHost(api.hostname) !== undefined };
}

/**
 * Checks one presigned URL against the policy. A host given by name is checked again on the
 * addresses it resolves to, when the PUT connects ({@link guardedLookup}).
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
  const range = policy.allowInternal ? undefined : internalHost(url.hostname);
  if (range !== undefined)
    return `names a ${range.kind} host (${url.hostname}), an internal host (${range.note})`;
  return undefined;
}

/**
 * Why a URL's host is internal: `localhost` and its subdomains, or an address in one of the
 * internal ranges; `undefined` for any other name (checked once resolved) or address.
 *
 * @param hostname - a URL's `hostname` (an IPv6 address in brackets)
 */
export function internalHost(hostname: string): InternalRange | undefined {
  const host = (hostname.startsWith('[') ? hostname.slice(1, -1) : hostname).replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return RANGES[0]!.range;
  return isIP(host) === 0 ? undefined : internalAddress(host);
}

/**
 * Why an IP address is internal, or `undefined` when it is not. An IPv4-mapped, NAT64 or 6to4
 * IPv6 address is judged by the IPv4 address it carries.
 *
 * @param address - an IPv4 or IPv6 address, without brackets
 */
export function internalAddress(address: string): InternalRange | undefined {
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  if (family === 'ipv6') {
    // Groups 6 and 7 carry NAT64's IPv4 address, groups 1 and 2 6to4's.
    const carriedAt = NAT64.check(address, 'ipv6') ? 6 : SIX_TO_FOUR.check(address, 'ipv6') ? 1 : undefined;
    const carried = carriedAt === undefined ? undefined : ipv4At(address, carriedAt);
    if (carried !== undefined) return internalAddress(carried);
  }
  return RANGES.find(({ list }) => list.check(address, family))?.range;
}

/** The IPv4 address in groups `at` and `at + 1` of an IPv6 address, from its written form. */
function ipv4At(address: string, at: number): string | undefined {
  let written: string;
  try {
    // The URL parser writes an IPv6 address in one canonical form: hex groups, `::` for zeros.
    written = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = written.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = tail === undefined || tail === '' ? [] : tail.split(':');
  // `::` stands for as many groups of zeros as the eight lack.
  const groups = [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  const high = Number.parseInt(groups[at] ?? '', 16);
  const low = Number.parseInt(groups[at + 1] ?? '', 16);
  if (Number.isNaN(low) || Number.isNaN(high)) return undefined;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** A part PUT refused because its host is, or its host name resolved to, an internal address. */
export class InternalHostRefusal extends Error {
  /**
   * @param host - the name or address the part URL gave
   * @param address - the internal address it resolved to (`host` itself when that is an address)
   * @param range - what kind of address that is
   */
  public constructor(
    public readonly host: string,
    public readonly address: string,
    public readonly range: InternalRange,
  ) {
    super(
      `the part URL's host ${host === address ? 'is' : `${host} resolved to`} ${address}, a ${range.kind} address (${range.note}): refused, as the platform's answer ` +
        'may not send the file to an internal service. If the API is meant to be internal, give the ' +
        'REST client a base URL on an internal host',
    );
    this.name = 'InternalHostRefusal';
  }
}

/**
 * A `lookup` for the part PUT's connection that refuses a name resolving to an internal
 * address: checked on what is connected to, so a name made to point inward (`127.0.0.1.nip.io`,
 * a rebinding DNS answer) is caught where the URL's text could not show it. Any internal address
 * among several answers refuses the name. Node calls no lookup for an address literal, which
 * {@link partUrlProblem} has judged already.
 *
 * @param resolve - the resolver asked (`dns.lookup` unless one is given, as tests do)
 * @returns a lookup function for `net.connect` (got's `dnsLookup`)
 */
export function guardedLookup(resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, address: string | LookupAddress[], family?: number) => {
      if (error !== null) return callback(error, address as string, family);
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      for (const resolved of addresses) {
        const range = internalAddress(resolved);
        if (range !== undefined)
          return callback(
            Object.assign(new InternalHostRefusal(hostname, resolved, range), { code: 'EINTERNALHOST' }),
            '',
          );
      }
      callback(null, address as string, family);
    });
  };
}

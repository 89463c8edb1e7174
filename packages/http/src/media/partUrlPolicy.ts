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
  { kind: 'site-local', note: 'fec0::/10, the IPv6 private networks before fc00::/7', v6: [['fec0::', 10]] },
  { kind: 'benchmarking', note: '198.18.0.0/15, for test networks', v4: [['198.18.0.0', 15]] },
  { kind: 'IETF protocol', note: '192.0.0.0/24, for protocol assignments', v4: [['192.0.0.0', 24]] },
  {
    kind: 'multicast',
    note: '224.0.0.0/4 and ff00::/8, never one storage host',
    v4: [['224.0.0.0', 4]],
    v6: [['ff00::', 8]],
  },
  { kind: 'broadcast', note: '255.255.255.255, this link', v4: [['255.255.255.255', 32]] },
  { kind: 'reserved', note: '240.0.0.0/4, not used on the Internet', v4: [['240.0.0.0', 4]] },
];

/**
 * What a host NAME may not resolve to when the PUT connects. Any other address is taken: a
 * server in the storage's own cloud region resolves the platform's public storage names (COS's
 * `*.cos.<region>.myqcloud.com`) through its private DNS to an intranet address, 10/8,
 * 100.64/10 or 169.254/16, and split-horizon DNS elsewhere does the same.
 *
 * | Addresses | Why no storage host resolves there |
 * | --- | --- |
 * | 127.0.0.0/8, ::1 | loopback: this machine itself |
 * | 0.0.0.0/8, :: | unspecified: connecting there reaches this machine |
 * | 169.254.169.254, fd00:ec2::254 | the metadata service of most clouds (AWS, Google, Azure, OpenStack) |
 * | 169.254.0.23 | Tencent Cloud's metadata service |
 * | 100.100.100.200 | Alibaba Cloud's metadata service |
 */
const REFUSED_WHEN_RESOLVED: ReadonlyArray<
  InternalRange & { v4?: [string, number][]; v6?: [string, number][] }
> = [
  {
    kind: 'loopback',
    note: 'this machine itself, where no storage host is',
    v4: [['127.0.0.0', 8]],
    v6: [['::1', 128]],
  },
  {
    kind: 'unspecified',
    note: 'which reaches this machine',
    v4: [['0.0.0.0', 8]],
    v6: [['::', 128]],
  },
  {
    kind: 'cloud metadata',
    note: "a cloud's metadata service, which answers with the machine's credentials",
    v4: [
      ['169.254.169.254', 32],
      ['169.254.0.23', 32],
      ['100.100.100.200', 32],
    ],
    v6: [['fd00:ec2::254', 128]],
  },
];

/** One block list per range, so a refusal can say which. */
function blockLists(
  ranges: ReadonlyArray<InternalRange & { v4?: [string, number][]; v6?: [string, number][] }>,
): { range: InternalRange; list: BlockList }[] {
  return ranges.map(({ kind, note, v4 = [], v6 = [] }) => {
    const list = new BlockList();
    for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
    for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
    return { range: { kind, note }, list };
  });
}

const RANGES = blockLists(INTERNAL_RANGES);
const RESOLVED_REFUSALS = blockLists(REFUSED_WHEN_RESOLVED);

/**
 * IPv6 prefixes whose bits carry an IPv4 address, reached through it: the group the address
 * starts at. IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96, RFC 2765),
 * IPv4-compatible (::/96, deprecated, though sockets still reach the address it carries), the
 * NAT64 prefixes (RFC 6052's 64:ff9b::/96 and RFC 8215's local-use 64:ff9b:1::/48, the latter read
 * as a /96 too) and 6to4 (2002::/16, through a relay).
 */
const CARRYING: ReadonlyArray<{ list: BlockList; at: number }> = (
  [
    ['::ffff:0:0', 96, 6],
    ['::ffff:0:0:0', 96, 6],
    ['::', 96, 6],
    ['64:ff9b::', 96, 6],
    ['64:ff9b:1::', 48, 6],
    ['2002::', 16, 1],
  ] as const
).map(([network, prefix, at]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv6');
  return { list, at };
});

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
 * Checks one presigned URL against the policy: an address written as its host is judged strictly
 * ({@link internalAddress}). A host given by name is checked on the addresses it resolves to when
 * the PUT connects, refused only there where no storage host is ({@link guardedLookup}).
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
    return `names ${article(range.kind)} ${range.kind} host (${url.hostname}), an internal host (${range.note})`;
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
 * Why an IP address written in a part URL is internal, or `undefined` when it is not: the strict
 * check, as the platform gives its storage hosts by name. An IPv6 address carrying an IPv4 one
 * (mapped, translated, compatible, NAT64, 6to4) is judged by the IPv4 address it carries.
 *
 * @param address - an IPv4 or IPv6 address, without brackets
 */
export function internalAddress(address: string): InternalRange | undefined {
  return rangeOf(address, RANGES);
}

/**
 * Why a host name may not connect to an address it resolved to, or `undefined` when it may:
 * loopback, unspecified and cloud metadata addresses only (see `REFUSED_WHEN_RESOLVED`), as a
 * storage name resolves to an intranet address where its cloud region has a private endpoint.
 * Forms carrying an IPv4 address are judged by it, as in {@link internalAddress}.
 *
 * @param address - an address a resolver answered, an IPv6 one possibly with a zone (`%eth0`)
 */
export function refusedResolvedAddress(address: string): InternalRange | undefined {
  return rangeOf(address.replace(/%.*$/, ''), RESOLVED_REFUSALS);
}

/** The first of `ranges` holding `address`, or that its carried IPv4 address is in. */
function rangeOf(
  address: string,
  ranges: { range: InternalRange; list: BlockList }[],
): InternalRange | undefined {
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  // Checked first, so :: and ::1 are themselves, not the IPv4 address ::/96 would read in them.
  const direct = ranges.find(({ list }) => list.check(address, family))?.range;
  if (direct !== undefined || family === 'ipv4') return direct;
  const carrier = CARRYING.find(({ list }) => list.check(address, 'ipv6'));
  const carried = carrier === undefined ? undefined : ipv4At(address, carrier.at);
  return carried === undefined ? undefined : rangeOf(carried, ranges);
}

/** `a` or `an`, as the kind's first sound asks (`an unspecified`, `an IETF protocol`, `a unique-local`). */
function article(kind: string): string {
  return /^(?:[aeioI]|un(?!i))/.test(kind) ? 'an' : 'a';
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

/**
 * A part PUT refused because its host is an internal address, or its host name resolved to
 * loopback, the unspecified address or a cloud metadata service.
 */
export class InternalHostRefusal extends Error {
  /**
   * @param host - the name or address the part URL gave
   * @param address - the refused address it resolved to (`host` itself when that is an address)
   * @param range - what kind of address that is
   */
  public constructor(
    public readonly host: string,
    public readonly address: string,
    public readonly range: InternalRange,
  ) {
    super(
      `the part URL's host ${host === address ? 'is' : `${host} resolved to`} ${address}, ${article(range.kind)} ${range.kind} address (${range.note}): refused, as the platform's answer ` +
        'may not send the file to an internal service. If the API is meant to be internal, give the ' +
        'REST client a base URL on an internal host',
    );
    this.name = 'InternalHostRefusal';
  }
}

/**
 * A `lookup` for the part PUT's connection that refuses a name resolving to loopback, the
 * unspecified address or a cloud metadata service ({@link refusedResolvedAddress}): checked on
 * what is connected to, so a name made to point there (`127.0.0.1.nip.io`, a rebinding DNS
 * answer) is caught where the URL's text could not show it. Any such address among several
 * answers refuses the name; an intranet answer (10.x, 100.64/10, 169.254.x) is taken, as a
 * storage name resolves to one inside its cloud region. Node calls no lookup for an address
 * literal, which {@link partUrlProblem} has judged already, strictly.
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
        const range = refusedResolvedAddress(resolved);
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

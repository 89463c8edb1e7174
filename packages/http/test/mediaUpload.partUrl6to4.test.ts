/**
 * A 6to4 address (2002::/16) carries an IPv4 address in its bits 16 to 47, and reaches that
 * address through a relay: it is judged by the IPv4 address it carries, as IPv4-mapped and NAT64
 * forms are.
 */
import { describe, expect, it } from 'vitest';
import { internalAddress, partUrlPolicy, partUrlProblem } from '../src/media/partUrlPolicy.js';

const OVER_HTTPS = partUrlPolicy('https://api.sgroup.qq.com');

describe('6to4 part URLs', () => {
  it.each([
    ['https://[2002:7f00:1::]/x', /loopback/],
    ['https://[2002:a00:5::1]/x', /private network/],
    ['https://[2002:c0a8:101::]/x', /private network/],
    ['https://[2002:ac10:1:ffff::1]/x', /private network/],
    ['https://[2002:a9fe:a9fe::]/x', /link-local/],
    ['https://[2002:6464:64c8::]/x', /carrier-grade NAT/],
    ['https://[2002::1]/x', /this network/],
  ])('refuses %s from an API on https', (url, why) => {
    const problem = partUrlProblem(url, OVER_HTTPS);
    expect(problem).toMatch(why);
    expect(problem).toMatch(/internal host/);
  });

  it.each(['https://[2002:808:808::]/x', 'https://[2002:cb00:7107::1]/x', 'https://[2003:a00:5::]/x'])(
    'takes %s',
    (url) => {
      expect(partUrlProblem(url, OVER_HTTPS)).toBeUndefined();
    },
  );

  it('judges a resolved 6to4 address by the IPv4 address it carries', () => {
    expect(internalAddress('2002:a00:5::')?.kind).toBe('private network');
    expect(internalAddress('2002:808:808::')).toBeUndefined();
  });
});

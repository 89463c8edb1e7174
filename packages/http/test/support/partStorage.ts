import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterEach } from 'vitest';

/** A storage host taking part PUTs, and how many it saw. */
export interface PartStorage {
  port: number;
  seen: () => number;
}

/**
 * Registers closing, after each test, every storage host the test started; returns what starts
 * one: a host on 127.0.0.1 storing every PUT.
 */
export function usePartStorage(): () => Promise<PartStorage> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0))
      await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return async () => {
    let seen = 0;
    const server = createServer((req, res) => {
      seen++;
      req.resume();
      req.on('end', () => res.end());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, seen: () => seen };
  };
}

/**
 * A resolver answering every name with `addresses`, as `dns.lookup` does for both its forms,
 * recording the names asked.
 */
export function resolvingTo(...addresses: string[]): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const all = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    process.nextTick(() =>
      options.all === true ? callback(null, all) : callback(null, all[0]!.address, all[0]!.family),
    );
  }) as LookupFunction & { asked: string[] };
  lookup.asked = asked;
  return lookup;
}

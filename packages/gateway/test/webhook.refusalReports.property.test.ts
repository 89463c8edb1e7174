import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookRefusedError, type WebhookRefusal } from '../src/webhook/WebhookRefusedError.js';
import { RefusalReports } from '../src/webhook/RefusalReports.js';
import type { WebhookRefusalsError } from '../src/webhook/WebhookRefusalsError.js';

const INTERVAL_MS = 1_000;
const CODES: WebhookRefusal[] = ['badSignature', 'staleTimestamp', 'wrongAppId'];

/** One step: a refusal of a reason, or time passing. */
type Step = { refuse: WebhookRefusal } | { waitMs: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ refuse: fc.constantFrom(...CODES) }),
  fc.record({ waitMs: fc.integer({ min: 0, max: 2_500 }) }),
);

afterEach(() => {
  vi.useRealTimers();
});

describe('RefusalReports', () => {
  it('reports every refusal exactly once, within an interval of it, and one reason at most once per interval', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
        try {
          const reports: { at: number; report: WebhookRefusalsError }[] = [];
          const reports$ = new RefusalReports(INTERVAL_MS, (report) =>
            reports.push({ at: performance.now(), report }),
          );
          /** When each refusal still unreported happened, per reason. */
          const unreported = new Map<WebhookRefusal, number[]>(CODES.map((code) => [code, []]));
          /** The detail of the latest refusal of each reason. */
          const latest = new Map<WebhookRefusal, string>();
          /** When each reason was last reported. */
          const lastReported = new Map<WebhookRefusal, number>();
          let refusals = 0;
          const settle = (code: WebhookRefusal, count: number, at: number): void => {
            const waiting = unreported.get(code)!;
            expect(waiting.length).toBeGreaterThanOrEqual(count);
            for (const happened of waiting.splice(0, count))
              expect(at - happened).toBeLessThanOrEqual(INTERVAL_MS);
          };
          const check = (from: number): void => {
            for (const { at, report } of reports.slice(from)) {
              settle(report.code, report.count, at);
              // A report names the latest refusal of its reason, and a count covers the time since the last report.
              expect(report.detail).toBe(latest.get(report.code));
              const previous = lastReported.get(report.code);
              if (report.periodMs > 0) expect(report.periodMs).toBe(at - previous!);
              lastReported.set(report.code, at);
            }
          };
          for (const next of steps) {
            const seen = reports.length;
            if ('refuse' in next) {
              const now = performance.now();
              const previous = lastReported.get(next.refuse);
              const quiet = previous === undefined || now - previous >= INTERVAL_MS;
              const detail = `refusal ${refusals++}`;
              unreported.get(next.refuse)!.push(now);
              latest.set(next.refuse, detail);
              reports$.note(new WebhookRefusedError(next.refuse, detail), 'check it');
              // No report of its reason within the last interval: this one is reported at once.
              if (quiet)
                expect(
                  reports.slice(seen).map(({ report }) => [report.detail, report.count, report.periodMs]),
                ).toEqual([[detail, 1, 0]]);
            } else await vi.advanceTimersByTimeAsync(next.waitMs);
            check(seen);
            expect(vi.getTimerCount()).toBeLessThanOrEqual(CODES.length);
          }
          // A last interval reports what is left, then nothing is kept.
          const seen = reports.length;
          await vi.advanceTimersByTimeAsync(INTERVAL_MS);
          check(seen);
          for (const waiting of unreported.values()) expect(waiting).toEqual([]);
          await vi.advanceTimersByTimeAsync(INTERVAL_MS);
          expect(vi.getTimerCount()).toBe(0);
          for (const code of CODES) {
            const times = reports.filter(({ report }) => report.code === code).map(({ at }) => at);
            for (let i = 1; i < times.length; i += 1)
              expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS);
          }
        } finally {
          vi.useRealTimers();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('flush reports the open counts at once and leaves no timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const reports: WebhookRefusalsError[] = [];
    const reports$ = new RefusalReports(INTERVAL_MS, (report) => reports.push(report));
    for (const code of ['badSignature', 'badSignature', 'badSignature', 'wrongAppId'] as const)
      reports$.note(new WebhookRefusedError(code, 'refused'), 'check it');
    expect(reports.map(({ code, count }) => [code, count])).toEqual([
      ['badSignature', 1],
      ['wrongAppId', 1],
    ]);
    reports$.flush();
    expect(reports.map(({ code, count }) => [code, count]).slice(2)).toEqual([['badSignature', 2]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says the interval and the period in seconds, or in ms below a second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const reports: WebhookRefusalsError[] = [];
    const reports$ = new RefusalReports(250, (report) => reports.push(report));
    reports$.note(new WebhookRefusedError('badSignature', 'bad signature'), 'check the AppSecret');
    reports$.note(new WebhookRefusedError('badSignature', 'bad signature'), 'check the AppSecret');
    await vi.advanceTimersByTimeAsync(250);
    expect(reports.map((report) => report.message)).toEqual([
      'webhook request refused (badSignature, 401): bad signature; check the AppSecret (more refusals for this reason are counted and reported at most every 250 ms)',
      'webhook refused 1 more request (badSignature, 401) in the last 250 ms, the latest: bad signature; check the AppSecret',
    ]);
  });
});

/** How the table prints numbers: grouped digits, a unit, and ratios with a `×`. */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `123,456/s` */
export function perSecond(value: number): string {
  return `${grouped.format(value)}/s`;
}

/** `12.3 KiB` */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `1,234 ms` */
export function millis(ms: number): string {
  return `${grouped.format(ms)} ms`;
}

/** `4.2 µs` */
export function micros(us: number): string {
  return `${us.toFixed(1)} µs`;
}

/** `0.74×` */
export function times(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** Events (or requests) per second from a count and a duration. */
export function rateOf(count: number, ms: number): number {
  return (count / ms) * 1000;
}

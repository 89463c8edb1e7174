// Helpers of the payload property tests: the paths of a wire object, and a copy with one replaced.

/** `wire` with the value at `path` replaced. */
export function replaced(wire: object, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(wire) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path.at(-1)!] = value;
  return copy;
}

/** Every path of a wire object, nested objects and array items included. */
export function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    [...prefix, key],
    ...pathsOf(inner, [...prefix, key]),
  ]);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esmOnlyStubSource } from '../bundle/esmOnlyStub.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esm-only-stub-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('esmOnlyStubSource', () => {
  it('makes require() throw ERR_REQUIRE_ESM naming the package and how to import it', () => {
    const path = join(dir, 'esm-only.cjs');
    writeFileSync(path, esmOnlyStubSource('@bot/example'));
    let thrown: unknown;
    try {
      createRequire(import.meta.url)(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ code: 'ERR_REQUIRE_ESM' });
    expect((thrown as Error).message).toContain('@bot/example is an ES module only package');
    expect((thrown as Error).message).toContain("await import('@bot/example')");
  });
});

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE = fileURLToPath(new URL('../src/', import.meta.url));

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return Promise.resolve(entry.name.endsWith('.ts') ? [full] : []);
    }),
  );
  return nested.flat();
}

describe('@bot/gateway startup', () => {
  it('loads nothing of @bot/http: no value import of it at module level in the main entry', async () => {
    // `@bot/http` and `got` are most of the gateway's load time; a bot running shards alone needs
    // neither. Type imports vanish at build time, and `await import()` inside a function loads on
    // use. The redis and testing entry points are separate and may import it.
    const offenders: string[] = [];
    for (const file of await sourceFiles(SOURCE)) {
      const relative = path.relative(SOURCE, file);
      if (relative.startsWith('redis') || relative.startsWith('testing')) continue;
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/^(import|export)\s+(?!type\b)[^;]*?from\s+'@bot\/http'/gms)) {
        offenders.push(`${relative}: ${match[0].split('\n')[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

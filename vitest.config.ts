import { defineConfig } from 'vitest/config';

const source = (pkg: string) => new URL(`./packages/${pkg}/src/index.ts`, import.meta.url).pathname;

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'scripts/test/**/*.test.ts',
    ],
    // Tests import the packages' sources, so a test run never depends on a stale build.
    alias: {
      '@bot/gateway/redis': new URL('./packages/gateway/src/redis/index.ts', import.meta.url).pathname,
      '@bot/core/wire': new URL('./packages/core/src/wire/index.ts', import.meta.url).pathname,
      '@bot/gateway/testing': new URL('./packages/gateway/src/testing/index.ts', import.meta.url).pathname,
      '@bot/core': source('core'),
      '@bot/http': source('http'),
      '@bot/testing': source('testing'),
      '@bot/gateway': source('gateway'),
      '@bot/client': source('client'),
    },
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.test.json',
    },
    // Starts a throwaway redis-server on a free port unless REDIS_URL names one.
    globalSetup: ['packages/gateway/test/redis/globalSetup.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});

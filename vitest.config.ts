import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'src/**/*.test.ts',
      'generators/**/*.test.ts',
      'harness/**/*.test.ts',
      'detectors/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    tags: [
      {
        name: 'slow',
        description: 'spawns the CLI or other processes, or generates a dataset of 100k records or more',
      },
    ],
    globalSetup: ['test/global-setup.ts'],
  },
});

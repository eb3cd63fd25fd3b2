/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The browser test runs with `npm run test:e2e` (jest.e2e.config.js): it needs Chromium.
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/prepareIntentModels.ts',
  // The Adaptive Cards SDK keeps jsdom globals for the whole file on purpose.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

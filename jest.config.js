/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  // The Adaptive Cards SDK keeps jsdom globals for the whole file on purpose.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

// Two projects: unit tests need no broker; integration tests start the local one (global setup)
// unless KAFKA_BROKERS points at a cluster. Types are checked by `tsc --noEmit` in `npm test`,
// so ts-jest only transpiles (tsconfig's isolatedModules makes it do so).
// Test workers inherit this process's environment: native TensorFlow then skips its INFO lines
// (CPU features) at load, as the app does (model/node-backends.ts sets it in its own process).
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL ?? '1';
const transform = { '^.+\\.ts$': ['ts-jest', {}] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: '<rootDir>/test/native-realm-environment.ts',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: '<rootDir>/test/native-realm-environment.ts',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
  testTimeout: 120000,
};

/**
 * Jest projects, so that one suite runs alone (`npm test -- --selectProjects e2e`) and each shows its own time:
 * the app's unit tests, the local host's conformance tests, its fidelity scenarios, the app end to end, and the
 * reference-backend process tests.
 * @type {import('jest').Config}
 */
const transform = (tsconfig) => ({ '^.+\\.ts$': ['ts-jest', { tsconfig }] });

const project = (displayName, rootDir, tsconfig, testMatch, extra = {}) => ({
  displayName,
  rootDir,
  testEnvironment: 'node',
  testMatch,
  transform: transform(tsconfig),
  testTimeout: 30000,
  ...extra,
});

const localHost = '<rootDir>/packages/local-host';

module.exports = {
  testTimeout: 30000,
  projects: [
    project('app', __dirname, '<rootDir>/tsconfig.json', ['<rootDir>/test/{app,bench,cli,tools}/**/*.test.ts']),
    project('local-host', `${__dirname}/packages/local-host`, '<rootDir>/tsconfig.json', [
      '<rootDir>/test/{api,core,durable,http,store}/**/*.test.ts',
    ]),
    project('fidelity', `${__dirname}/packages/local-host`, '<rootDir>/tsconfig.json', [
      '<rootDir>/test/{fidelity,quickstart}/**/*.test.ts',
    ]),
    project('e2e', __dirname, '<rootDir>/tsconfig.json', ['<rootDir>/test/e2e/**/*.test.ts']),
    project('reference', __dirname, '<rootDir>/tsconfig.json', ['<rootDir>/test/reference/**/*.test.ts']),
  ],
};

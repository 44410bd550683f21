// swc transpiles TypeScript for jest (type-checking is `npm run typecheck`).
// ip-cidr is ESM-only and default-imports CommonJS: transform it with Node's interop.
const swc = (importInterop) => [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs', importInterop },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': swc('swc'), '/node_modules/ip-cidr/.+\\.js$': swc('node') },
  transformIgnorePatterns: ['/node_modules/(?!ip-cidr/)'],
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};

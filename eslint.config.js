// Lint rules: typescript-eslint's type-aware recommended set, the project's
// own rule that public APIs never take or return `any`, and the layering the
// README's Layout describes, so the shape of the code stays as it is meant:
// - src/aws/ is a leaf library: it imports nothing of Signet's but src/errors.ts;
// - the building blocks (sources, process, buffer, sinks, model) take plain
//   options: no configuration schema, no agent, no pipeline wiring;
// - only src/cli/ and src/agent/ wire the whole; nothing imports src/cli/;
// - no import cycles anywhere in src/.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const everythingBut = (...allowed) =>
  [
    'agent',
    'aws',
    'buffer',
    'cli',
    'config',
    'local',
    'model',
    'pipelines',
    'process',
    'server',
    'sinks',
    'sources',
  ]
    .filter((d) => !allowed.includes(d))
    .map((d) => `./src/${d}`);

const layers = [
  {
    target: './src/aws',
    from: [...everythingBut('aws'), './src/log.ts'],
    message: 'src/aws/ is a leaf library that knows nothing of pipelines, config or the agent',
  },
  {
    target: ['./src/model', './src/buffer', './src/process', './src/sources', './src/sinks'],
    from: [
      './src/config',
      './src/agent',
      './src/pipelines',
      './src/cli',
      './src/local',
      './src/server',
    ],
    message:
      'sources, processing, buffers and sinks take plain options: wire them in src/pipelines/',
  },
  {
    target: ['./src/model', './src/buffer'],
    from: ['./src/sources', './src/sinks', './src/process', './src/aws'],
    message: 'the data model and the WAL are below sources and sinks',
  },
  {
    target: ['./src/pipelines', './src/server', './src/config', './src/local'],
    from: ['./src/agent', './src/cli'],
    message:
      'only the CLI starts the agent; pipelines plug into it through src/pipelines/pipeline.ts',
  },
  {
    target: './src/agent',
    from: [
      './src/cli',
      './src/sources',
      './src/sinks',
      './src/process',
      './src/buffer',
      './src/pipelines/metrics',
    ],
    message:
      'the agent runs pipelines without knowing their kind: add kinds in src/pipelines/builtin.ts',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
  {
    // node:test's test()/describe() return promises the runner itself awaits.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
  },
);

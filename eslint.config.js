import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Import boundaries between the layers (README "Layout"). The TypeScript projects already keep each layer to
 * its runtime's globals and to the projects it references; these rules say it by import path, with a message.
 * Patterns match the import specifier as written (all imports here are relative), not the resolved file.
 */
/** @param {string} text */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const forbid = {
  backend: { regex: '(^|/)backend(/|$)', message: 'backend/ is the server; this layer must not depend on it.' },
  extension: { regex: '(^|/)extension(/|$)', message: 'extension/ is the browser code; this layer must not depend on it.' },
  web: { regex: '(^|/)web(/|$)', message: 'web/ is the web page; it uses extension/ and shared/, never the other way round.' },
  test: { regex: '(^|/)test/', message: 'Production code must not import test helpers or fixtures.' },
  node: {
    regex: `^(node:|(${builtinModules.map(escape).join('|')})(/|$))`,
    message: 'Node built-ins do not exist in the browser; shared/ and extension/ code runs there.',
  },
  aws: {
    regex: '^(@aws-sdk|@smithy|@aws-lambda-powertools)/|^aws-lambda$',
    message: 'AWS SDK and Lambda code belongs in backend/ (AWS clients are built in backend/aws/clients.ts).',
  },
  browser: {
    regex: '^(webextension-polyfill|preact)(/|$)',
    message: 'Browser and UI libraries belong in extension/; shared/ is pure code.',
  },
  awsClients: {
    regex: '(^|/)aws/clients(\\.ts)?$',
    message:
      'AWS SDK clients are built by the composition root: take a client or a factory from backend/assemble/ (only assemble/ and local/ import backend/aws/clients.ts).',
  },
  reconcilerToApi: {
    regex: '^(\\.\\./)+(backend/)?(api|api-policy|broker)(/|$)',
    message: 'The reconciler must not depend on the HTTP API (backend/api, backend/api-policy) or the console broker (backend/broker).',
  },
};
/** @type {(...names: (keyof typeof forbid)[]) => import('eslint').Linter.RuleEntry} */
const restrict = (...names) => ['error', { patterns: names.map((name) => ({ ...forbid[name], caseSensitive: true })) }];
const tests = ['**/*.test.ts', '**/*.test.tsx'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench-results/**', '.local/**', '.tsbuild/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      // Type-aware rules: each file is checked with the TypeScript project that owns it (tsconfig.json references).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // A promise nobody awaits loses its rejection (an unhandled rejection in Node, a silent failure in the popup).
      // Fire-and-forget is written `void promise` with a comment saying why.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['backend/local/**', 'backend/cli/**', 'test/**', 'bin/**', 'backend/deploy/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Preact's hooks (preact/hooks) follow React's rules; the plugin recognises them by the `use` prefix.
    // Its recommended set also brings the React Compiler's render-purity checks (refs, set-state-in-render, ...).
    files: ['extension/popup/**/*.{ts,tsx}', 'extension/options/**/*.{ts,tsx}', 'web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The cached list's encoding (rows as pairs of indexes, accounts and permission sets as tuples) is known to
    // extension/list-cache/ alone; everything else reads a list through the accessors of compact-list.ts.
    files: ['extension/**', 'web/**'],
    ignores: ['extension/list-cache/**', ...tests],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[object.property.name=/^(rows|accounts|permissionSets)$/]',
          message: "Read the list through extension/list-cache/compact-list.ts's accessors (rowCount, accountId, ...), not its encoding.",
        },
      ],
    },
  },
  // Layer boundaries. A later block replaces no-restricted-imports for the files it matches, so each lists all.
  {
    files: ['shared/**'],
    ignores: tests,
    rules: { 'no-restricted-imports': restrict('backend', 'extension', 'web', 'test', 'node', 'aws', 'browser') },
  },
  { files: tests.map((glob) => `shared/${glob}`), rules: { 'no-restricted-imports': restrict('backend', 'extension', 'web', 'aws', 'browser') } },
  { files: ['extension/**'], ignores: tests, rules: { 'no-restricted-imports': restrict('backend', 'web', 'test', 'node', 'aws') } },
  { files: tests.map((glob) => `extension/${glob}`), rules: { 'no-restricted-imports': restrict('backend', 'web', 'aws') } },
  { files: ['web/**'], ignores: [...tests, 'web/vite.config.ts'], rules: { 'no-restricted-imports': restrict('backend', 'test', 'node', 'aws') } },
  { files: tests.map((glob) => `web/${glob}`), rules: { 'no-restricted-imports': restrict('backend', 'aws') } },
  { files: ['backend/**'], ignores: tests, rules: { 'no-restricted-imports': restrict('extension', 'web', 'test', 'awsClients') } },
  {
    files: ['backend/reconcile/**'],
    ignores: tests,
    rules: { 'no-restricted-imports': restrict('extension', 'web', 'test', 'awsClients', 'reconcilerToApi') },
  },
  // The composition root and the local stack build AWS clients; nothing else does.
  { files: ['backend/assemble/**', 'backend/local/**'], ignores: tests, rules: { 'no-restricted-imports': restrict('extension', 'web', 'test') } },
);

// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Module boundaries (docs/architecture.md). Each folder gets one list of forbidden import
 * patterns, because flat config replaces, not merges, a rule's options per file.
 * "Do not relax these rules": they are what keeps secrets out of the renderer and Node out of
 * the pure layer.
 */
const part = (name) => `(^|/)${name}(/|$)`;
const nodeBuiltins = `^(node:|(${builtinModules.map((m) => m.replace('/', '\\/')).join('|')})($|/))`;

const forbid = {
  srcMain: {
    regex: part('src-main'),
    message: 'Only the desktop app (src-main) may import src-main.',
  },
  srcServer: {
    regex: part('src-server'),
    message: 'Only Weebum Cloud (src-server) may import src-server.',
  },
  srcRenderer: {
    regex: part('src-renderer'),
    message: 'Only the renderer may import src-renderer.',
  },
  electron: {
    // electron-updater loads `electron` itself.
    regex: '^electron($|/|-updater($|/))',
    message: '`electron` (and electron-updater) is imported only under src-main/electron/.',
  },
  node: { regex: nodeBuiltins, message: 'This layer runs without Node; use the desktop API.' },
  sharedPurity: {
    // src-shared imports only itself and zod: no Node, DOM, Electron, React or other parts.
    regex: '^(?!\\.{1,2}/|zod($|/))',
    message: 'src-shared is pure: it may import only src-shared files and zod.',
  },
  routeFile: {
    // Shared params and reply schemas live in src-shared/cloud, not in another route file.
    regex: 'Routes(\\.js)?$',
    message:
      'A route file does not import another route file: shared schemas are in src-shared/cloud.',
  },
  sharedTestPurity: {
    // Tests of the pure layer may also use the test runner and property-test generators.
    regex: '^(?!\\.{1,2}/|zod($|/)|vitest($|/)|fast-check$)',
    message: 'src-shared tests may import only src-shared files, zod, vitest and fast-check.',
  },
};

const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p })) }],
});

export const boundaryConfigs = [
  { files: ['**/*.{ts,tsx,js,mjs}'], rules: restrict(forbid.electron) },
  {
    files: ['src-shared/**'],
    rules: restrict(forbid.srcMain, forbid.srcServer, forbid.srcRenderer, forbid.sharedPurity),
  },
  {
    files: ['src-shared/**/*.test.ts', 'src-shared/**/arbitraries.ts'],
    rules: restrict(forbid.srcMain, forbid.srcServer, forbid.srcRenderer, forbid.sharedTestPurity),
  },
  {
    files: ['src-renderer/**'],
    rules: restrict(forbid.srcMain, forbid.srcServer, forbid.electron, forbid.node),
  },
  {
    files: ['src-server/**'],
    rules: restrict(forbid.srcMain, forbid.srcRenderer, forbid.electron),
  },
  {
    files: ['src-server/**/*Routes.ts'],
    rules: restrict(forbid.srcMain, forbid.srcRenderer, forbid.electron, forbid.routeFile),
  },
  {
    files: ['src-main/**'],
    rules: restrict(forbid.srcServer, forbid.srcRenderer, forbid.electron),
  },
  { files: ['src-main/electron/**'], rules: restrict(forbid.srcServer, forbid.srcRenderer) },
];

/** @param {{ typed: boolean }} options typed: use type information (off for quick probes). */
export function createConfig({ typed }) {
  return tseslint.config(
    {
      ignores: [
        'node_modules/**',
        'dist/**',
        '.tsbuild/**',
        'bench/results/**',
        'playwright-report/**',
        'test-results/**',
        '.weebum/**',
      ],
    },
    js.configs.recommended,
    ...(typed ? tseslint.configs.recommendedTypeChecked : tseslint.configs.recommended),
    {
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: typed
          ? {
              projectService: {
                allowDefaultProject: ['*.js', '*.mjs', 'build/*.mjs', '.ci/*.mjs'],
              },
              tsconfigRootDir: import.meta.dirname,
            }
          : {},
      },
      rules: {
        '@typescript-eslint/no-unused-vars': [
          'error',
          { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
        ],
        '@typescript-eslint/consistent-type-imports': 'error',
        eqeqeq: ['error', 'always'],
        // Handler tables (desktop API, routes) implement async contracts; an async method that
        // happens not to await is still right, and keeps thrown errors as rejections.
        '@typescript-eslint/require-await': 'off',
        'no-console': 'off',
      },
    },
    {
      files: ['src-renderer/**/*.{ts,tsx}'],
      languageOptions: { globals: { ...globals.browser } },
      plugins: { 'react-hooks': reactHooks },
      rules: reactHooks.configs.recommended.rules,
    },
    {
      files: ['**/*.js', '**/*.mjs'],
      ...tseslint.configs.disableTypeChecked,
    },
    ...boundaryConfigs,
    {
      // The desktop reaches Weebum Cloud only through the route specs of src-shared/cloud
      // (src-main/services/cloud/cloudSession.ts builds each path): no hand-written API path.
      files: ['src-main/**/*.ts'],
      // The client itself and its tests, which check the paths it builds.
      ignores: ['src-main/services/cloud/**'],
      rules: {
        'no-restricted-syntax': [
          'error',
          {
            selector: 'Literal[value=/^\\/v1\\//]',
            message:
              'Call the Cloud API with a route spec of src-shared/cloud, not a literal path.',
          },
          {
            selector: 'TemplateElement[value.raw=/^\\/v1\\//]',
            message:
              'Call the Cloud API with a route spec of src-shared/cloud, not a literal path.',
          },
        ],
      },
    },
  );
}

export default createConfig({ typed: true });

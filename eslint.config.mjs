import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * One layer's rule: its files may not import the given sibling layers of src/ (nor the composition
 * root, src/app.ts and src/index.ts), nor the given packages.
 */
function layer(files, forbiddenLayers, forbiddenPackages) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenPackages.map((name) => ({
            name,
            message: `${files} may not use ${name}: keep SDK and HTTP types at the edges.`,
          })),
          patterns: [
            {
              regex: `^\\.[./]*/(${forbiddenLayers.join('|')})(/|$)`,
              message: `${files} may not import from src/{${forbiddenLayers.join(',')}}: the layers run domain <- infrastructure <- conversation <- channels.`,
            },
            {
              regex: '^\\.[./]*/(app|index)$',
              message: 'Only the composition root (src/index.ts) imports src/app.ts.',
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'jest.config.js',
      'jest.e2e.config.js',
      'public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'off',
    },
  },
  // The layers of src/ (see docs/architecture.md): an import that runs the wrong way is a lint error.
  layer(
    'src/domain/**',
    ['conversation', 'channels', 'infrastructure'],
    ['botbuilder', 'botbuilder-dialogs', 'botframework-connector', 'restify'],
  ),
  layer('src/infrastructure/**', ['conversation', 'channels'], ['restify']),
  layer('src/conversation/**', ['channels'], ['restify']),
  {
    // The Web Chat page's script runs in the browser, beside Web Chat's bundle.
    files: ['webchat/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        sessionStorage: 'readonly',
        fetch: 'readonly',
        crypto: 'readonly',
      },
    },
  },
);

import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'examples/web/dist/**', 'test/browser/artifacts/**', 'coverage/**', 'test/client/vi-bff.d.ts', 'test/generated/**'] }),
  {
    rules: {
      // TypeBox idiom: a schema constant and its Static<> type share one name.
      '@typescript-eslint/no-redeclare': 'off'
    }
  }
]

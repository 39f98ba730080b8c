import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The CLI prints plain progress lines to a pipe once a run has lasted a few seconds; on a busy machine
    // a test's run can, and tests that read stderr line by line would see them. Tests of progress set their own.
    env: {LETTERPRESS_PROGRESS_INTERVAL: '86400'},
    // The JSON report lets .ci/run print one plain "N passed, N failed" line;
    // `npm run test:slow` names its own file, so the two runs of `npm test` add up.
    reporters: ['default', ['json', {outputFile: process.env.LETTERPRESS_TEST_REPORT ?? '.cache/test-results.json'}]]
  }
})

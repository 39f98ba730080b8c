/**
 * `letterpress check`: every validation the build makes, writing nothing
 * (with `--fix`, after repairing what can be repaired without changing
 * meaning). Messages go to stdout, one per line, or as one JSON array.
 */
import type {Command} from 'commander'
import {formatJson, plural} from '../../source/report.js'
import {baseUrlOverride, elapsed, postsSummary, siteRoot, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface CheckCommandOptions extends OutputOptions {
  root?: string
  drafts: boolean
  future: boolean
  strict: boolean
  baseUrl?: string
  fix: boolean
}

export function registerCheck(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('check')
    .description('validate the site as build would: every post, issue and page rendered in memory; writes nothing')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--drafts', 'include drafts', false)
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .option('--strict', 'treat warnings as errors', false)
    .option('--base-url <url>', 'absolute site URL (overrides letterpress.yml)')
    .option('--fix', 'first rewrite what can be repaired without changing meaning, after a backup in .cache/letterpress/backup/', false)
  outputOptions(command, true).action(async (options: CheckCommandOptions) => exit(await runCheck(options, new Output(io, options))))
}

async function runCheck(options: CheckCommandOptions, output: Output): Promise<number> {
  const started = performance.now()
  const baseUrl = baseUrlOverride(options.baseUrl)
  const root = await siteRoot(options.root)
  let failedFixes = false
  if (options.fix) {
    const {fixPosts, formatFixes} = await import('../fix.js')
    const fixed = await fixPosts(root)
    if (fixed.length > 0) output.err.write(formatFixes(fixed) + '\n')
    else if (!output.quiet) output.err.write('check --fix: nothing to fix\n')
    failedFixes = fixed.some((entry) => entry.error !== undefined)
  }
  const {check} = await import('../../pipeline/check.js')
  const onProgress = output.progress()
  let result
  try {
    result = await check({root, ...baseUrl, drafts: options.drafts, future: options.future, strict: options.strict, onProgress})
  } finally {
    output.stopProgress()
  }
  const code = result.errors > 0 || failedFixes ? 1 : 0
  // The JSON array is the contract scripts read: its shape does not change.
  if (output.json) {
    output.out.write(formatJson(result.diagnostics) + '\n')
    return code
  }
  output.messages(result.diagnostics, 'stdout')
  output.timings()
  output.err.write(
    `check: ${postsSummary(result)}, ${plural(result.pages, 'page')}, ${output.counts(result.errors, result.warnings)} in ${elapsed(started)} s\n`
  )
  return code
}

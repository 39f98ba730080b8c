/**
 * `letterpress issue YYYY-MM`: one month's issue into OUT/email/YYYY-MM,
 * with one summary line (or a JSON document) after.
 */
import type {Command} from 'commander'
import path from 'node:path'
import {plural} from '../../source/report.js'
import {elapsed, newsletterCall, shownPath, siteRoot, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface IssueCommandOptions extends OutputOptions {
  root?: string
  out?: string
  drafts: boolean
  future: boolean
  strict: boolean
}

export function registerIssue(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('issue')
    .description('build one monthly issue into OUT/email/YYYY-MM')
    .argument('<month>', 'the month, as YYYY-MM')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--out <dir>', 'output folder (default: ROOT/dist)')
    .option('--drafts', 'include drafts', false)
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .option('--strict', 'treat warnings as errors', false)
  outputOptions(command, true).action(async (month: string, options: IssueCommandOptions) =>
    exit(await runIssue(month, options, new Output(io, options)))
  )
}

async function runIssue(month: string, options: IssueCommandOptions, output: Output): Promise<number> {
  const started = performance.now()
  const root = await siteRoot(options.root)
  const {issue} = await import('../../pipeline/newsletter.js')
  const onProgress = output.progress()
  let result
  try {
    result = await newsletterCall(() =>
      issue({
        month,
        root,
        ...(options.out ? {outDir: path.resolve(options.out)} : {}),
        drafts: options.drafts,
        future: options.future,
        strict: options.strict,
        onProgress
      })
    )
  } finally {
    output.stopProgress()
  }
  const code = result.errors > 0 ? 1 : 0
  const summary = result.issue?.summary
  const seconds = elapsed(started)
  if (output.json) {
    output.document(result.diagnostics, {
      command: 'issue',
      month,
      number: summary?.number ?? null,
      posts: summary?.posts.length ?? 0,
      bytes: summary?.bytes ?? null,
      errors: result.errors,
      warnings: result.warnings,
      written: result.written ?? null,
      seconds: Number(seconds),
      stages: output.records,
      notes: result.notes ?? []
    })
    return code
  }
  output.messages(result.diagnostics)
  output.notes(result.notes)
  output.timings()
  output.err.write(
    `issue ${month}: ` +
      (summary
        ? `No. ${summary.number}, ${plural(summary.posts.length, 'post')}, ${(summary.bytes.html / 1024).toFixed(1)} KB of HTML, `
        : '') +
      `${output.counts(result.errors, result.warnings)} in ${seconds} s` +
      (result.written ? ` -> ${shownPath(result.written)}` : '; nothing written') +
      '\n'
  )
  return code
}

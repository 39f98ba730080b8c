/**
 * `letterpress build`: the web site and every issue into OUT, with
 * progress while it runs and one summary line (or a JSON document) after.
 */
import type {Command} from 'commander'
import path from 'node:path'
import type {BuildResult} from '../../pipeline/build.js'
import {OutDirError} from '../../pipeline/write.js'
import {plural} from '../../source/report.js'
import {baseUrlOverride, elapsed, postsSummary, shownPath, siteRoot, UsageError, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface BuildCommandOptions extends OutputOptions {
  root?: string
  out?: string
  drafts: boolean
  future: boolean
  strict: boolean
  baseUrl?: string
}

export function registerBuild(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('build')
    .description('build the web site into OUT/site')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--out <dir>', 'output folder (default: ROOT/dist)')
    .option('--drafts', 'include drafts', false)
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .option('--strict', 'treat warnings as errors', false)
    .option('--base-url <url>', 'absolute site URL (overrides letterpress.yml)')
  outputOptions(command, true).action(async (options: BuildCommandOptions) => exit(await runBuild(options, new Output(io, options))))
}

async function runBuild(options: BuildCommandOptions, output: Output): Promise<number> {
  const started = performance.now()
  const baseUrl = baseUrlOverride(options.baseUrl)
  const root = await siteRoot(options.root)
  const onProgress = output.progress()
  let result: BuildResult
  try {
    const buildOptions = {
      onProgress,
      root,
      ...(options.out ? {outDir: path.resolve(options.out)} : {}),
      ...baseUrl,
      drafts: options.drafts,
      future: options.future,
      strict: options.strict
    }
    const warm = await (await import('../../pipeline/warm.js')).warmBuild(buildOptions)
    result = warm.result ?? (await (await import('../../pipeline/build.js')).buildFrom(warm, buildOptions))
  } catch (error) {
    if (error instanceof OutDirError) throw new UsageError(error.message)
    throw error
  } finally {
    output.stopProgress()
  }
  const code = result.errors > 0 ? 1 : 0
  const seconds = elapsed(started)
  if (output.json) {
    output.document(result.diagnostics, {
      command: 'build',
      posts: result.posts,
      unpublished: result.unpublished,
      pages: result.pages,
      errors: result.errors,
      warnings: result.warnings,
      written: result.written,
      unchanged: result.unchanged === true,
      outDir: result.outDir,
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
    `build: ${postsSummary(result)}, ${plural(result.pages, 'page')}, ` +
      `${output.counts(result.errors, result.warnings)} in ${seconds} s` +
      (result.unchanged ? ', nothing changed' : '') +
      (result.written ? ` -> ${shownPath(result.outDir)}` : '; nothing written') +
      '\n'
  )
  return code
}

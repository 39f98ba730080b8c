/**
 * `letterpress init [DIR]`: a starter site, or with `--from` an MkDocs,
 * Astro or Hugo project imported; the files written, and what to run next.
 */
import type {Command} from 'commander'
import path from 'node:path'
import {collectDiagnostics, plural} from '../../source/report.js'
import {shownPath, UsageError, version, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface InitCommandOptions extends OutputOptions {
  force: boolean
  from?: string
}

export function registerInit(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('init')
    .description(
      'write a starter site (settings, sample posts, package.json scripts, a GitHub Pages workflow) into DIR, ' +
        'or with --from import an MkDocs, Astro or Hugo project'
    )
    .argument('[dir]', 'the folder of the new site (default: working directory)')
    .option('--force', 'write into a folder that is not empty; files already there are kept, never overwritten', false)
    .option('--from <project>', 'import an MkDocs, Astro or Hugo project: letterpress.yml from its config, its posts and files under DIR/posts/')
  outputOptions(command).action(async (dir: string | undefined, options: InitCommandOptions) => {
    const output = new Output(io, options)
    const target = dir ?? process.cwd()
    exit(options.from === undefined ? await runInit(target, options, output) : await runImport(options.from, target, output))
  })
}

/** The starter site: each file written on stdout (not with `--quiet`), then what was kept and what to run next. */
async function runInit(dir: string, options: InitCommandOptions, output: Output): Promise<number> {
  const {initSite, InitError} = await import('../init.js')
  let result
  try {
    result = await initSite({dir, force: options.force, version: await version()})
  } catch (error) {
    if (!(error instanceof InitError)) throw error
    if (error.kind === 'usage') throw new UsageError(error.message)
    output.err.write(`letterpress: ${error.message}\n`)
    return 1
  }
  const relative = path.relative(process.cwd(), result.dir)
  const where = relative === '' ? '.' : relative.startsWith('..') ? result.dir : relative
  if (!output.quiet) for (const file of result.written) output.out.write(`${path.join(where, file)}\n`)
  if (result.kept.length > 0 && !output.quiet) output.err.write(`letterpress init: kept what was there: ${result.kept.join(', ')}\n`)
  output.err.write(
    `letterpress init: ${plural(result.written.length, 'file')} written to ${where}; next:\n` +
      (where === '.' ? '' : `  cd ${where}\n`) +
      '  npm install\n  npm run dev\n'
  )
  return 0
}

/** `--from`: an MkDocs, Astro or Hugo project's settings and posts, with what could not be carried over as messages. */
async function runImport(from: string, target: string, output: Output): Promise<number> {
  const {importProject, ImportError} = await import('../import/import-project.js')
  try {
    const result = await importProject({from, target})
    output.messages(collectDiagnostics([result.file], false))
    const tool = result.tool === 'mkdocs' ? 'MkDocs' : result.tool === 'astro' ? 'Astro' : 'Hugo'
    output.out.write(
      `Imported a ${tool} project into ${shownPath(path.dirname(result.configPath))}: ` +
        `${plural(result.posts, 'post')} and ${plural(result.assets, 'file')} under posts/, and ${path.basename(result.configPath)}\n`
    )
    return 0
  } catch (error) {
    if (!(error instanceof ImportError)) throw error
    if (error.kind === 'usage') throw new UsageError(error.message)
    output.err.write(`letterpress: ${error.message}\n`)
    return 1
  }
}

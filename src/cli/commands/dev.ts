/**
 * `letterpress dev`: the preview server with live reload, serving until
 * SIGINT or SIGTERM and printing a line per render. Content problems are
 * printed and shown in the pages, never fatal.
 */
import type {Command} from 'commander'
import type {DevSnapshot} from '../../dev/dev-build.js'
import {formatText, plural} from '../../source/report.js'
import {shownPath, siteRoot, UsageError, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface DevCommandOptions extends OutputOptions {
  root?: string
  port: string
  future: boolean
}

export function registerDev(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('dev')
    .description('preview server with live reload: the site with drafts, and every issue as an email')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '4321')
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
  outputOptions(command).action(async (options: DevCommandOptions) => exit(await runDev(options, new Output(io, options))))
}

async function runDev(options: DevCommandOptions, output: Output): Promise<number> {
  const port = Number(options.port)
  if (!/^\d+$/.test(options.port) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got ${options.port}`)
  }
  const root = await siteRoot(options.root)
  const onRebuild = renderLines(output)
  // Listen for Ctrl-C from the start: the first render can take a while.
  let stop: () => void = () => {}
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  output.err.write(`letterpress dev: rendering ${shownPath(root)} with drafts...\n`)
  const {DevServerError, startDevServer} = await import('../../dev/server.js')
  const {emailPreviewPath} = await import('../../dev/email-preview.js')
  let server
  try {
    server = await startDevServer({
      root,
      port,
      future: options.future,
      onRebuild,
      onError: (error) => output.err.write(`letterpress dev: internal error (please report it): ${error.stack ?? error.message}\n`)
    })
  } catch (error) {
    stop()
    if (error instanceof DevServerError) throw new UsageError(error.message)
    throw error
  }
  const first = await Promise.race([server.ready.then(() => 'ready' as const), stopped.then(() => 'stopped' as const)])
  if (first === 'ready') {
    output.out.write(`letterpress dev: ${server.url}\n  email preview: ${server.origin}${emailPreviewPath}\n  (Ctrl-C stops it)\n`)
    await stopped
  }
  await server.close()
  output.err.write('letterpress dev: stopped\n')
  return 0
}

/**
 * What to print after each render: its errors every time they stand, its
 * warnings only when they change (so a long session stays readable; none
 * with `--quiet`), and one line of counts. With `--verbose` the line names
 * every changed file and how many outputs changed.
 */
function renderLines(output: Output): (snapshot: DevSnapshot, changed: readonly string[]) => void {
  let printedWarnings = ''
  let renders = 0
  return (snapshot, changed) => {
    renders++
    const {stats} = snapshot
    const time = new Date().toTimeString().slice(0, 8)
    const cause =
      changed.length === 0
        ? ''
        : output.verbose || changed.length === 1
          ? ` (${changed.join(', ')})`
          : ` (${changed[0]} and ${changed.length - 1} more)`
    const counts =
      `${plural(stats.posts, 'post')}, ${plural(stats.pages, 'page')}, ${plural(stats.issues, 'issue')}, ` +
      `${plural(stats.warnings, 'warning')}, ${plural(stats.errors, 'error')} in ${stats.ms} ms`
    const errors = snapshot.diagnostics.filter((item) => item.severity === 'error')
    const warnings = snapshot.diagnostics.filter((item) => item.severity === 'warning')
    const warningText = formatText(warnings)
    if (warningText !== printedWarnings) output.messages(warnings)
    printedWarnings = warningText
    output.messages(errors)
    const outputs = output.verbose && !snapshot.failed ? `; ${plural(snapshot.changedOutputs.size, 'output')} changed` : ''
    output.err.write(
      snapshot.failed
        ? `${time} render failed${cause}: ${plural(stats.errors, 'error')}, ${plural(stats.warnings, 'warning')} in ${stats.ms} ms; ` +
            (snapshot.generation > 0 ? 'serving the last good render\n' : 'nothing to serve until they are fixed\n')
        : `${time} ${renders === 1 ? 'rendered' : 're-rendered'}${cause}: ${counts}${outputs}\n`
    )
  }
}

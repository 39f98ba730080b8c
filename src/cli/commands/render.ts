/**
 * `letterpress render FILE`: one Markdown file (or standard input) to an
 * HTML fragment on stdout, for the web or for email; messages on stderr.
 */
import {Option, type Command} from 'commander'
import type {Root} from 'mdast'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {collectDiagnostics, countDiagnostics} from '../../source/report.js'
import {UsageError, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface RenderCommandOptions extends OutputOptions {
  target: 'web' | 'email'
  baseUrl?: string
}

export function registerRender(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('render')
    .description('render one Markdown file (or - for stdin) to an HTML fragment on stdout')
    .argument('[file]', 'Markdown file, or - for standard input', '-')
    .addOption(new Option('--target <target>', 'renderer').choices(['web', 'email']).default('web'))
    .option('--base-url <url>', 'absolute site URL for links that must be absolute')
  outputOptions(command).action(async (fileArg: string, options: RenderCommandOptions) => {
    const bytes = await readInput(fileArg, io.stdin)
    exit(await runRender(fileArg, bytes, options, new Output(io, options)))
  })
}

async function readInput(fileArg: string, stdin: () => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return fileArg === '-' ? await stdin() : await fs.readFile(fileArg)
  } catch (error) {
    const name = fileArg === '-' ? '<stdin>' : fileArg
    throw new UsageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

async function runRender(fileArg: string, bytes: Uint8Array, options: RenderCommandOptions, output: Output): Promise<number> {
  const [{decodeFile}, {createParser, parseFile}, {ContentLimitError}] = await Promise.all([
    import('../../source/load.js'),
    import('../../source/parse.js'),
    import('../../source/guard.js')
  ])
  const file = new VFile({path: fileArg === '-' ? '<stdin>' : path.relative(process.cwd(), fileArg)})
  const decoded = decodeFile(bytes, file)
  if (decoded === undefined) {
    output.messages(collectDiagnostics([file]))
    return 1
  }
  file.value = decoded
  let tree: Root
  try {
    tree = await parseFile(createParser(), file)
  } catch (error) {
    if (!(error instanceof ContentLimitError)) throw error
    file.message(error.reason, {place: {line: error.line, column: error.column}, ruleId: error.ruleId, source: 'letterpress'}).fatal = true
    output.messages(collectDiagnostics([file]))
    return 1
  }
  const html =
    options.target === 'email'
      ? await (await import('../../email/index.js')).renderEmailFragment(tree, {baseUrl: options.baseUrl})
      : await import('../../web/render.js').then(({toWebHast, webHastToHtml}) => webHastToHtml(toWebHast(tree)))
  output.out.write(html + '\n')
  const diagnostics = collectDiagnostics([file])
  output.messages(diagnostics)
  return countDiagnostics(diagnostics).errors > 0 ? 1 : 0
}

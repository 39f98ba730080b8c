/**
 * The command line (DESIGN.md's CLI contract). The only module that writes to
 * stdout/stderr and decides exit codes: 0 ok, 1 content errors, 2 usage.
 */
import {Command, CommanderError, Option} from 'commander'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {build, BuildError} from './build.js'
import {check} from './check.js'
import {decodeFile} from './load.js'
import {createParser, parseFile} from './parse.js'
import {toWebHast, webHastToHtml} from './render-web.js'
import {collectDiagnostics, countDiagnostics, formatJson, formatText, plural} from './report.js'

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  stdin: () => Promise<Uint8Array>
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }
}

/** A failure of the tool itself (not of content): message, no stack. */
class UsageError extends Error {}

/**
 * Run the CLI with `argv` (without `node` and the script). Resolves to the
 * exit code; never calls `process.exit`.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0
  const program = new Command()
    .name('letterpress')
    .description('One Markdown parse, two publications: a static blog and a monthly newsletter email.')
    .version(await version(), '-v, --version')
    .exitOverride()
    .configureOutput({writeOut: io.stdout, writeErr: io.stderr})
    .showHelpAfterError('(run `letterpress --help` for usage)')

  program
    .command('render')
    .description('render one Markdown file (or - for stdin) to an HTML fragment on stdout')
    .argument('[file]', 'Markdown file, or - for standard input', '-')
    .addOption(new Option('--target <target>', 'renderer').choices(['web']).default('web'))
    .action(async (fileArg: string) => {
      exitCode = await runRender(fileArg, io)
    })

  program
    .command('build')
    .description('build the web site into OUT/site')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--out <dir>', 'output folder (default: ROOT/dist)')
    .option('--drafts', 'include drafts', false)
    .option('--strict', 'treat warnings as errors', false)
    .option('--base-url <url>', 'absolute site URL (overrides letterpress.yml)')
    .action(async (options: {root?: string; out?: string; drafts: boolean; strict: boolean; baseUrl?: string}) => {
      const started = performance.now()
      if (options.baseUrl !== undefined && !/^https?:\/\/[^/]/.test(options.baseUrl)) {
        throw new UsageError(`--base-url must be an absolute http(s) URL, got ${options.baseUrl}`)
      }
      let result
      try {
        result = await build({
          ...(options.root ? {root: options.root} : {}),
          ...(options.out ? {outDir: path.resolve(options.out)} : {}),
          ...(options.baseUrl ? {baseUrl: options.baseUrl} : {}),
          drafts: options.drafts,
          strict: options.strict
        })
      } catch (error) {
        if (error instanceof BuildError) throw new UsageError(error.message)
        throw error
      }
      if (result.diagnostics.length > 0) io.stderr(formatText(result.diagnostics) + '\n')
      const seconds = ((performance.now() - started) / 1000).toFixed(2)
      io.stderr(
        `build: ${plural(result.posts, 'post')}, ${plural(result.pages, 'page')}, ` +
          `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${seconds} s` +
          (result.written ? ` -> ${path.relative(process.cwd(), result.outDir) || '.'}` : '; nothing written') +
          '\n'
      )
      exitCode = result.errors > 0 ? 1 : 0
    })

  program
    .command('check')
    .description('validate every post (encoding, frontmatter, slugs, links, images); writes nothing')
    .option('--root <dir>', 'site root (default: working directory)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'treat warnings as errors', false)
    .action(async (options: {root?: string; format: 'text' | 'json'; strict: boolean}) => {
      const started = performance.now()
      const result = await check({
        ...(options.root ? {root: options.root} : {}),
        strict: options.strict
      })
      if (options.format === 'json') {
        io.stdout(formatJson(result.diagnostics) + '\n')
      } else {
        if (result.diagnostics.length > 0) io.stdout(formatText(result.diagnostics) + '\n')
        const seconds = ((performance.now() - started) / 1000).toFixed(2)
        io.stderr(
          `check: ${plural(result.posts, 'post')}, ${plural(result.errors, 'error')}, ` +
            `${plural(result.warnings, 'warning')} in ${seconds} s\n`
        )
      }
      exitCode = result.errors > 0 ? 1 : 0
    })

  try {
    await program.parseAsync(argv, {from: 'user'})
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; anything else commander rejects is usage.
      return error.exitCode === 0 ? 0 : 2
    }
    if (error instanceof UsageError) {
      io.stderr(`letterpress: ${error.message}\n`)
      return 2
    }
    throw error
  }
}

async function runRender(fileArg: string, io: CliIo): Promise<number> {
  let bytes: Uint8Array
  const name = fileArg === '-' ? '<stdin>' : fileArg
  try {
    bytes = fileArg === '-' ? await io.stdin() : await fs.readFile(fileArg)
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const file = new VFile({path: fileArg === '-' ? '<stdin>' : path.relative(process.cwd(), fileArg)})
  const decoded = decodeFile(bytes, file)
  if (decoded === undefined) {
    io.stderr(formatText(collectDiagnostics([file])) + '\n')
    return 1
  }
  file.value = decoded
  const tree = await parseFile(createParser(), file)
  io.stdout(webHastToHtml(toWebHast(tree)) + '\n')
  const diagnostics = collectDiagnostics([file])
  if (diagnostics.length > 0) io.stderr(formatText(diagnostics) + '\n')
  return countDiagnostics(diagnostics).errors > 0 ? 1 : 0
}

async function version(): Promise<string> {
  const url = new URL('../package.json', import.meta.url)
  const pkg = JSON.parse(await fs.readFile(url, 'utf8')) as {version: string}
  return pkg.version
}

/**
 * The command line: commands, options and messages. The only module that writes to
 * stdout/stderr and decides exit codes: 0 ok, 1 content errors, 2 usage.
 */
import type {Root} from 'mdast'
import {Command, CommanderError, Option} from 'commander'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {BuildResult, RenderProgress} from './pipeline/build.js'
import type {DevSnapshot} from './dev/dev-build.js'
import {collectDiagnostics, countDiagnostics, formatJson, formatText, oneLine, plural} from './source/report.js'
import {LockBusyError} from './pipeline/lock.js'
import {OutDirError} from './pipeline/write.js'

// Each command loads the part of letterpress it needs when it runs: a warm
// build, `--help` or `new` must not pay for the Markdown, template and email
// pipelines (about half a second).

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
    .addOption(new Option('--target <target>', 'renderer').choices(['web', 'email']).default('web'))
    .option('--base-url <url>', 'absolute site URL for links that must be absolute')
    .action(async (fileArg: string, options: {target: 'web' | 'email'; baseUrl?: string}) => {
      exitCode = await runRender(fileArg, options, io)
    })

  program
    .command('build')
    .description('build the web site into OUT/site')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--out <dir>', 'output folder (default: ROOT/dist)')
    .option('--drafts', 'include drafts', false)
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .option('--strict', 'treat warnings as errors', false)
    .option('--base-url <url>', 'absolute site URL (overrides letterpress.yml)')
    .action(async (options: {root?: string; out?: string; drafts: boolean; future: boolean; strict: boolean; baseUrl?: string}) => {
      const started = performance.now()
      if (options.baseUrl !== undefined && !/^https?:\/\/[^/]/.test(options.baseUrl)) {
        throw new UsageError(`--base-url must be an absolute http(s) URL, got ${options.baseUrl}`)
      }
      const root = await siteRoot(options.root)
      let result: BuildResult
      const progress = terminalProgress(io)
      try {
        const buildOptions = {
          ...(progress ? {onProgress: progress.update} : {}),
          root,
          ...(options.out ? {outDir: path.resolve(options.out)} : {}),
          ...(options.baseUrl ? {baseUrl: options.baseUrl} : {}),
          drafts: options.drafts,
          future: options.future,
          strict: options.strict
        }
        const warm = await (await import('./pipeline/warm.js')).warmBuild(buildOptions)
        result = warm.result ?? (await (await import('./pipeline/build.js')).buildFrom(warm, buildOptions))
      } catch (error) {
        if (error instanceof OutDirError) throw new UsageError(error.message)
        throw error
      } finally {
        progress?.done()
      }
      if (result.diagnostics.length > 0) io.stderr(formatText(result.diagnostics) + '\n')
      for (const note of result.notes ?? []) io.stderr(`letterpress: warning: ${note}\n`)
      const seconds = ((performance.now() - started) / 1000).toFixed(2)
      io.stderr(
        `build: ${plural(result.posts, 'post')}, ${plural(result.pages, 'page')}, ` +
          `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${seconds} s` +
          (result.unchanged ? ', nothing changed' : '') +
          (result.written ? ` -> ${path.relative(process.cwd(), result.outDir) || '.'}` : '; nothing written') +
          '\n'
      )
      exitCode = result.errors > 0 ? 1 : 0
    })

  program
    .command('issue')
    .description('build one monthly issue into OUT/email/YYYY-MM')
    .argument('<month>', 'the month, as YYYY-MM')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--out <dir>', 'output folder (default: ROOT/dist)')
    .option('--drafts', 'include drafts', false)
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .option('--strict', 'treat warnings as errors', false)
    .action(async (month: string, options: {root?: string; out?: string; drafts: boolean; future: boolean; strict: boolean}) => {
      const started = performance.now()
      const root = await siteRoot(options.root)
      const {issue} = await import('./pipeline/newsletter.js')
      const result = await newsletterCall(() =>
        issue({
          month,
          root,
          ...(options.out ? {outDir: path.resolve(options.out)} : {}),
          drafts: options.drafts,
          future: options.future,
          strict: options.strict
        })
      )
      if (result.diagnostics.length > 0) io.stderr(formatText(result.diagnostics) + '\n')
      for (const note of result.notes ?? []) io.stderr(`letterpress: warning: ${note}\n`)
      const summary = result.issue?.summary
      io.stderr(
        `issue ${month}: ` +
          (summary
            ? `No. ${summary.number}, ${plural(summary.posts.length, 'post')}, ${(summary.bytes.html / 1024).toFixed(1)} KB of HTML, `
            : '') +
          `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${elapsed(started)} s` +
          (result.written ? ` -> ${path.relative(process.cwd(), result.written)}` : '; nothing written') +
          '\n'
      )
      exitCode = result.errors > 0 ? 1 : 0
    })

  program
    .command('send')
    .description('send one monthly issue over SMTP to explicit test recipients only')
    .argument('<month>', 'the month, as YYYY-MM')
    .requiredOption('--to <address...>', 'recipient addresses (the message goes to these only)')
    .option('--smtp <url>', 'SMTP URL, e.g. smtp://user:pass@host:587 (default: $LETTERPRESS_SMTP_URL)')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--timeout <seconds>', 'give up when the server does not answer in time', '20')
    .option('--insecure-auth', 'send the SMTP password even without TLS to a host that is not loopback (a network you trust only)')
    .action(async (month: string, options: {to: string[]; smtp?: string; root?: string; timeout: string; insecureAuth?: boolean}) => {
      const root = await siteRoot(options.root)
      const smtp = options.smtp ?? process.env.LETTERPRESS_SMTP_URL
      if (!smtp) throw new UsageError('no SMTP server: pass --smtp URL or set LETTERPRESS_SMTP_URL')
      const smtpProblem = (await import('./email/index.js')).smtpUrlProblem(smtp)
      if (smtpProblem) throw new UsageError(smtpProblem)
      const recipients = options.to.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean)
      const bad = recipients.find((address) => !/^[^\s@<>]+@[^\s@<>]+$/.test(address))
      if (bad !== undefined) throw new UsageError(`not an email address: ${bad}`)
      const seconds = Number(options.timeout)
      if (!(seconds > 0)) throw new UsageError(`--timeout must be a number of seconds, got ${options.timeout}`)
      try {
        const {send} = await import('./pipeline/newsletter.js')
        const result = await newsletterCall(() =>
          send({
            month,
            to: recipients,
            smtp,
            timeoutMs: seconds * 1000,
            ...(options.insecureAuth ? {insecureAuth: true} : {}),
            root
          })
        )
        if (result.diagnostics.length > 0) io.stderr(formatText(result.diagnostics) + '\n')
        if (!result.sent) {
          io.stderr(`send ${month}: not sent: ${plural(result.errors, 'error')} in the issue\n`)
          exitCode = 1
          return
        }
        io.stderr(`send ${month}: sent to ${result.sent.accepted.join(', ')}` +
          (result.sent.rejected.length > 0 ? `; refused for ${result.sent.rejected.join(', ')}` : '') + '\n')
        exitCode = result.sent.rejected.length > 0 ? 1 : 0
      } catch (error) {
        if (error instanceof (await import('./email/index.js')).SendError) {
          io.stderr(`letterpress: send ${month} failed (${error.failure}): ${error.message}\n`)
          exitCode = 1
          return
        }
        throw error
      }
    })

  program
    .command('check')
    .description('validate every post (encoding, frontmatter, slugs, links, images); writes nothing')
    .option('--root <dir>', 'site root (default: working directory)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .option('--strict', 'treat warnings as errors', false)
    .option('--fix', 'first rewrite what can be repaired without changing meaning, after a backup in .cache/letterpress/backup/', false)
    .action(async (options: {root?: string; format: 'text' | 'json'; future: boolean; strict: boolean; fix: boolean}) => {
      const started = performance.now()
      const root = await siteRoot(options.root)
      let failedFixes = false
      if (options.fix) {
        const {fixPosts, formatFixes} = await import('./cli/fix.js')
        const fixed = await fixPosts(root)
        io.stderr(fixed.length > 0 ? formatFixes(fixed) + '\n' : 'check --fix: nothing to fix\n')
        failedFixes = fixed.some((entry) => entry.error !== undefined)
      }
      const {check} = await import('./pipeline/check.js')
      const result = await check({
        root,
        future: options.future,
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
      exitCode = result.errors > 0 || failedFixes ? 1 : 0
    })

  program
    .command('dev')
    .description('preview server with live reload: the site with drafts, and every issue as an email')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '4321')
    .option('--future', 'publish posts dated after now (else each waits for its date)', false)
    .action(async (options: {root?: string; port: string; future: boolean}) => {
      exitCode = await runDev(options, io)
    })

  program
    .command('new')
    .description('scaffold a draft post dated today, in the folder layout the posts already use')
    .argument('[title]', 'the title of the post')
    .option('--root <dir>', 'site root (default: working directory)')
    .action(async (title: string | undefined, options: {root?: string}) => {
      const {newPost, NewPostError} = await import('./cli/new.js')
      try {
        const result = await newPost({root: await siteRoot(options.root), title: title ?? ''})
        io.stdout(path.relative(process.cwd(), result.file) + '\n')
      } catch (error) {
        if (!(error instanceof NewPostError)) throw error
        if (error.kind === 'usage') throw new UsageError(error.message)
        io.stderr(`letterpress: ${error.message}\n`)
        exitCode = 1
      }
    })

  program
    .command('init')
    .description('write a starter site (settings, sample posts, package.json scripts, a GitHub Pages workflow) into DIR, or with --from import an MkDocs, Astro or Hugo project')
    .argument('[dir]', 'the folder of the new site (default: working directory)')
    .option('--force', 'write into a folder that is not empty; files already there are kept, never overwritten', false)
    .option('--from <project>', 'import an MkDocs, Astro or Hugo project: letterpress.yml from its config, its posts and files under DIR/posts/')
    .action(async (dir: string | undefined, options: {force: boolean; from?: string}) => {
      if (options.from === undefined) {
        exitCode = await runInit(dir ?? process.cwd(), options, io)
        return
      }
      const {importProject, ImportError} = await import('./cli/import/import-project.js')
      try {
        const result = await importProject({from: options.from, target: dir ?? process.cwd()})
        const diagnostics = collectDiagnostics([result.file], false)
        if (diagnostics.length > 0) io.stderr(formatText(diagnostics))
        const where = path.relative(process.cwd(), path.dirname(result.configPath)) || '.'
        io.stdout(
          `Imported a ${result.tool === 'mkdocs' ? 'MkDocs' : result.tool === 'astro' ? 'Astro' : 'Hugo'} project into ${where}: ` +
            `${plural(result.posts, 'post')} and ${plural(result.assets, 'file')} under posts/, and ${path.basename(result.configPath)}\n`
        )
      } catch (error) {
        if (!(error instanceof ImportError)) throw error
        if (error.kind === 'usage') throw new UsageError(error.message)
        io.stderr(`letterpress: ${error.message}\n`)
        exitCode = 1
      }
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
      io.stderr(`letterpress: ${oneLine(error.message)}\n`)
      return 2
    }
    // Another build holds OUT: not a usage mistake, and this one did not run (so 1, as a failed build).
    if (error instanceof LockBusyError) {
      io.stderr(`letterpress: ${error.message}\n`)
      return 1
    }
    throw error
  }
}

/**
 * ROOT as an absolute path (`--root`, else the working directory). One that
 * does not exist, or is not a folder, is a usage error before anything is
 * read or created: a mistyped `--root` must not build an empty site there.
 */
async function siteRoot(option: string | undefined): Promise<string> {
  const root = path.resolve(option ?? process.cwd())
  let folder = false
  try {
    folder = (await fs.stat(root)).isDirectory()
  } catch {
    throw new UsageError(`no such folder: ${root} (the site's ROOT, from --root or the working directory)`)
  }
  if (!folder) throw new UsageError(`not a folder: ${root} (the site's ROOT, from --root or the working directory)`)
  return root
}

/** Months without an issue and malformed months are usage errors. */
async function newsletterCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const {NewsletterError} = await import('./pipeline/newsletter.js')
    if (error instanceof NewsletterError || error instanceof OutDirError) throw new UsageError(error.message)
    throw error
  }
}

/**
 * A one-line progress display for long builds, on a terminal only (never
 * in pipes, CI logs or tests): it appears after half a second and is
 * erased before the summary.
 */
function terminalProgress(io: CliIo): {update: (progress: RenderProgress) => void; done: () => void} | undefined {
  if (io !== processIo || !process.stderr.isTTY) return undefined
  const started = performance.now()
  let label = 'starting'
  let shown = false
  const draw = () => {
    if (performance.now() - started < 500) return
    shown = true
    process.stderr.write(`\r\x1b[2K${label}... ${elapsed(started)} s`)
  }
  const timer = setInterval(draw, 250)
  timer.unref()
  return {
    update(progress) {
      const posts = `${progress.posts ?? 0} posts and pages`
      label =
        progress.step === 'load'
          ? 'reading posts'
          : progress.step === 'email'
            ? `rendering the newsletter issues (${posts})`
            : `rendering the site (${posts})`
      draw()
    },
    done() {
      clearInterval(timer)
      if (shown) process.stderr.write('\r\x1b[2K')
    }
  }
}

function elapsed(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(2)
}

/**
 * `dev`: serve until SIGINT or SIGTERM, printing a line per render. Content
 * problems are printed and shown in the pages, never fatal.
 */
async function runDev(options: {root?: string; port: string; future: boolean}, io: CliIo): Promise<number> {
  const port = Number(options.port)
  if (!/^\d+$/.test(options.port) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got ${options.port}`)
  }
  const root = await siteRoot(options.root)
  let printedWarnings = ''
  let renders = 0
  const onRebuild = (snapshot: DevSnapshot, changed: readonly string[]) => {
    renders++
    const {stats} = snapshot
    const time = new Date().toTimeString().slice(0, 8)
    const cause = changed.length === 0 ? '' : ` (${changed.length === 1 ? changed[0] : `${changed[0]} and ${changed.length - 1} more`})`
    const counts =
      `${plural(stats.posts, 'post')}, ${plural(stats.pages, 'page')}, ${plural(stats.issues, 'issue')}, ` +
      `${plural(stats.warnings, 'warning')}, ${plural(stats.errors, 'error')} in ${stats.ms} ms`
    const errors = snapshot.diagnostics.filter((item) => item.severity === 'error')
    const warnings = snapshot.diagnostics.filter((item) => item.severity === 'warning')
    // Errors every time they stand; warnings only when they change, so a long session stays readable.
    const warningText = formatText(warnings)
    if (warningText !== printedWarnings && warnings.length > 0) io.stderr(warningText + '\n')
    printedWarnings = warningText
    if (errors.length > 0) io.stderr(formatText(errors) + '\n')
    io.stderr(
      snapshot.failed
        ? `${time} render failed${cause}: ${plural(stats.errors, 'error')}, ${plural(stats.warnings, 'warning')} in ${stats.ms} ms; ` +
            (snapshot.generation > 0 ? 'serving the last good render\n' : 'nothing to serve until they are fixed\n')
        : `${time} ${renders === 1 ? 'rendered' : 're-rendered'}${cause}: ${counts}\n`
    )
  }
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
  io.stderr(`letterpress dev: rendering ${path.relative(process.cwd(), root) || '.'} with drafts...\n`)
  const {DevServerError, startDevServer} = await import('./dev/server.js')
  const {emailPreviewPath} = await import('./dev/email-preview.js')
  let server
  try {
    server = await startDevServer({
      root,
      port,
      future: options.future,
      onRebuild,
      onError: (error) => io.stderr(`letterpress dev: internal error (please report it): ${error.stack ?? error.message}\n`)
    })
  } catch (error) {
    stop()
    if (error instanceof DevServerError) throw new UsageError(error.message)
    throw error
  }
  const first = await Promise.race([server.ready.then(() => 'ready' as const), stopped.then(() => 'stopped' as const)])
  if (first === 'ready') {
    io.stdout(`letterpress dev: ${server.url}\n  email preview: ${server.origin}${emailPreviewPath}\n  (Ctrl-C stops it)\n`)
    await stopped
  }
  await server.close()
  io.stderr('letterpress dev: stopped\n')
  return 0
}

/** `init`: the starter site, the files written and kept, and what to run next. */
async function runInit(dir: string, options: {force: boolean}, io: CliIo): Promise<number> {
  const {initSite, InitError} = await import('./cli/init.js')
  let result
  try {
    result = await initSite({dir, force: options.force, version: await version()})
  } catch (error) {
    if (!(error instanceof InitError)) throw error
    if (error.kind === 'usage') throw new UsageError(error.message)
    io.stderr(`letterpress: ${error.message}\n`)
    return 1
  }
  const relative = path.relative(process.cwd(), result.dir)
  const where = relative === '' ? '.' : relative.startsWith('..') ? result.dir : relative
  for (const file of result.written) io.stdout(`${path.join(where, file)}\n`)
  if (result.kept.length > 0) io.stderr(`letterpress init: kept what was there: ${result.kept.join(', ')}\n`)
  io.stderr(
    `letterpress init: ${plural(result.written.length, 'file')} written to ${where}; next:\n` +
      (where === '.' ? '' : `  cd ${where}\n`) +
      '  npm install\n  npm run dev\n'
  )
  return 0
}

async function runRender(
  fileArg: string,
  options: {target: 'web' | 'email'; baseUrl?: string},
  io: CliIo
): Promise<number> {
  let bytes: Uint8Array
  const name = fileArg === '-' ? '<stdin>' : fileArg
  try {
    bytes = fileArg === '-' ? await io.stdin() : await fs.readFile(fileArg)
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const [{decodeFile}, {createParser, parseFile}, {ContentLimitError}] = await Promise.all([
    import('./source/load.js'),
    import('./source/parse.js'),
    import('./source/guard.js')
  ])
  const file = new VFile({path: fileArg === '-' ? '<stdin>' : path.relative(process.cwd(), fileArg)})
  const decoded = decodeFile(bytes, file)
  if (decoded === undefined) {
    io.stderr(formatText(collectDiagnostics([file])) + '\n')
    return 1
  }
  file.value = decoded
  let tree: Root
  try {
    tree = await parseFile(createParser(), file)
  } catch (error) {
    if (!(error instanceof ContentLimitError)) throw error
    file.message(error.reason, {place: {line: error.line, column: error.column}, ruleId: error.ruleId, source: 'letterpress'}).fatal = true
    io.stderr(formatText(collectDiagnostics([file])) + '\n')
    return 1
  }
  const html =
    options.target === 'email'
      ? await (await import('./email/index.js')).renderEmailFragment(tree, {baseUrl: options.baseUrl})
      : await import('./web/render.js').then(({toWebHast, webHastToHtml}) => webHastToHtml(toWebHast(tree)))
  io.stdout(html + '\n')
  const diagnostics = collectDiagnostics([file])
  if (diagnostics.length > 0) io.stderr(formatText(diagnostics) + '\n')
  return countDiagnostics(diagnostics).errors > 0 ? 1 : 0
}

async function version(): Promise<string> {
  const url = new URL('../package.json', import.meta.url)
  const pkg = JSON.parse(await fs.readFile(url, 'utf8')) as {version: string}
  return pkg.version
}

#!/usr/bin/env node
// letterpress's own benchmark: builds generated sites of 100, 1,000 and
// 10,000 posts and prints one table: cold build (no OUT, no cache), warm
// build (nothing changed), incremental build (one post edited), one issue,
// in dev, one saved post to its page loaded again in Chromium (and to the whole
// site rendered again), and the cold build's peak memory.
//
// A last line times a list send: the sample site's issue to 1,000
// subscribers of a CSV, over SMTP to a server on 127.0.0.1 in this process
// that discards what it receives.
//
// Usage: npm run bench [-- SIZES] [--runs N] [--no-send | --send-only]
//        e.g.  npm run bench -- 100,1000 --runs 3
// Needs ../shared/bench/corpus.mjs to generate the posts, GNU time
// (/usr/bin/time) for the memory column and Debian's Chromium for the dev
// columns. Every figure is a median of --runs.
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {SMTPServer} from 'smtp-server'

const here = path.dirname(fileURLToPath(import.meta.url))
const project = path.resolve(here, '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const args = process.argv.slice(2)
const runsAt = args.indexOf('--runs')
const runs = runsAt === -1 ? 1 : Number(args[runsAt + 1])
const sendOnly = args.includes('--send-only')
const sizes = sendOnly
  ? []
  : (args.find((arg, at) => !arg.startsWith('--') && args[at - 1] !== '--runs') ?? '100,1000,10000').split(',').map(Number)
const generator = path.resolve(project, '..', 'shared', 'bench', 'corpus.mjs')
if (sizes.length > 0 && !fs.existsSync(generator)) {
  console.error(`needs ${generator} to generate the posts`)
  process.exit(2)
}
const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

// Compile once (bin/letterpress.js does it when src is newer), outside the timings.
spawnSync(process.execPath, [bin, '--version'], {stdio: 'ignore'})
const {startDevServer} = await import(path.join(project, 'lib', 'dev', 'server.js'))

/** Run the CLI; wall seconds and peak RSS in MB (when GNU time is there). */
function cli(argv, cwd) {
  const command = timeBin ? [timeBin, '-f', '@@%M', process.execPath, bin, ...argv] : [process.execPath, bin, ...argv]
  const started = performance.now()
  const result = spawnSync(command[0], command.slice(1), {cwd, encoding: 'utf8', maxBuffer: 1 << 28})
  const seconds = (performance.now() - started) / 1000
  if (result.status !== 0) throw new Error(`letterpress ${argv.join(' ')} failed:\n${result.stderr.slice(-2000)}`)
  const kb = /@@(\d+)/.exec(result.stderr ?? '')
  return {seconds, mb: kb ? Number(kb[1]) / 1024 : NaN}
}

/** The URL path of the page a post's paragraph shows on: found by saving it once, untimed. */
async function pageOf(server, target, original, relative, run) {
  const marker = `A paragraph to find the page by, run ${run}.`
  fs.writeFileSync(target, original + `\n${marker}\n`)
  const snapshot = await server.rebuild([relative])
  fs.writeFileSync(target, original)
  await server.rebuild([relative])
  await new Promise((resolve) => setTimeout(resolve, 200))
  await server.rebuild([relative])
  for (const [name, content] of snapshot.outputs) {
    if (name.startsWith('site/') && name.endsWith('index.html') && typeof content === 'string' && content.includes(marker)) {
      if (!/<article/.test(content) || /\/page\/|\/tags\//.test(name)) continue
      return '/' + name.slice('site/'.length).replace(/index\.html$/, '')
    }
  }
  throw new Error(`no page shows ${relative}`)
}

/** Debian's Chromium, driven by playwright-core, or `undefined` (then the dev columns stay empty). */
async function openBrowser() {
  if (!fs.existsSync(chromiumPath)) return undefined
  try {
    const {chromium} = await import('playwright-core')
    return await chromium.launch({executablePath: chromiumPath, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking']})
  } catch {
    return undefined
  }
}

const chromiumPath = '/usr/bin/chromium'
const browser = sizes.length > 0 ? await openBrowser() : undefined
if (!browser && sizes.length > 0) console.error(`no ${chromiumPath}: the dev columns stay empty`)

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const rows = []
for (const size of sizes) {
  const corpus = path.join(os.tmpdir(), `letterpress-bench-${size}`)
  if (!fs.existsSync(path.join(corpus, 'posts'))) {
    const made = spawnSync(process.execPath, [generator, corpus, String(size)], {stdio: 'inherit'})
    if (made.status !== 0) process.exit(1)
  }
  const out = path.join(os.tmpdir(), `letterpress-bench-out-${size}`)
  const posts = fs.readdirSync(path.join(corpus, 'posts')).filter((name) => name.endsWith('.md')).sort()
  const target = path.join(corpus, 'posts', posts[Math.floor(posts.length / 2)])
  const original = fs.readFileSync(target, 'utf8')
  const month = /^date: (\d{4}-\d{2})/m.exec(original)?.[1]
  const figures = {cold: [], warm: [], incremental: [], issue: [], devSent: [], dev: [], devAll: [], mb: []}
  try {
    for (let run = 0; run < runs; run++) {
      fs.rmSync(out, {recursive: true, force: true})
      fs.rmSync(path.join(corpus, '.cache'), {recursive: true, force: true})
      const cold = cli(['build', '--root', corpus, '--out', out], corpus)
      figures.cold.push(cold.seconds)
      figures.mb.push(cold.mb)
      figures.warm.push(cli(['build', '--root', corpus, '--out', out], corpus).seconds)
      fs.writeFileSync(target, original + `\nAn edited paragraph, run ${run}.\n`)
      figures.incremental.push(cli(['build', '--root', corpus, '--out', out], corpus).seconds)
      fs.writeFileSync(target, original)
      if (month) figures.issue.push(cli(['issue', month, '--root', corpus, '--out', out], corpus).seconds)

      // dev: the first render, then one saved post, timed as an author sees it in Chromium: from the save, through
      // the file watcher and the reload event, to the new page received (responseEnd) and loaded (DOMContentLoaded).
      // The whole site's render after the same save is timed too.
      if (browser) {
        let rendered
        const server = await startDevServer({root: corpus, port: 0, onRebuild: () => rendered?.()})
        await server.ready
        const relative = path.relative(corpus, target)
        const page = await pageOf(server, target, original, relative, run)
        const tab = await browser.newPage()
        await tab.goto(server.origin + page)
        await new Promise((resolve) => setTimeout(resolve, 500))
        const marker = `A paragraph saved in dev, run ${run}.`
        const whole = new Promise((resolve) => (rendered = () => resolve(Date.now())))
        const loaded = tab.waitForEvent('load', {timeout: 30_000})
        const started = Date.now()
        fs.writeFileSync(target, original + `\n${marker}\n`)
        await loaded
        const shown = await tab.evaluate(
          (text) => ({has: document.body.innerText.includes(text), sent: performance.timing.responseEnd, at: performance.timing.domContentLoadedEventEnd}),
          marker
        )
        if (!shown.has) throw new Error(`dev showed ${page} without the saved paragraph`)
        figures.devSent.push((shown.sent - started) / 1000)
        figures.dev.push((shown.at - started) / 1000)
        figures.devAll.push(((await whole) - started) / 1000)
        await tab.close()
        await server.close()
      }
      fs.writeFileSync(target, original)
    }
  } finally {
    fs.writeFileSync(target, original)
  }
  rows.push({size, ...Object.fromEntries(Object.entries(figures).map(([name, values]) => [name, values.length ? median(values) : NaN]))})
}

const seconds = (value) => (Number.isNaN(value) ? '-' : value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`)
const header = ['posts', 'cold', 'warm', 'incremental', 'one issue', 'dev: page sent', 'dev: page shown', 'dev: whole site', 'peak memory (cold)']
const lines = rows.map((row) => [
  String(row.size),
  seconds(row.cold),
  seconds(row.warm),
  seconds(row.incremental),
  seconds(row.issue),
  seconds(row.devSent),
  seconds(row.dev),
  seconds(row.devAll),
  Number.isNaN(row.mb) ? '-' : `${Math.round(row.mb)} MB`
])
const widths = header.map((title, at) => Math.max(title.length, ...lines.map((line) => line[at].length)))
const format = (cells) => cells.map((cell, at) => cell.padStart(widths[at])).join('  ')
console.log(`letterpress bench on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${runs}`)
if (rows.length > 0) {
  console.log(format(header))
  for (const line of lines) console.log(format(line))
}
if (!args.includes('--no-send')) {
  const sends = []
  for (let run = 0; run < runs; run++) sends.push(await benchSend(1000))
  const send = sends.sort((a, b) => a.seconds - b.seconds)[Math.floor(sends.length / 2)]
  console.log(
    `send --list, one issue to ${send.messages.toLocaleString('en')} subscribers (SMTP on 127.0.0.1): ` +
      `${Math.round(send.messages / send.seconds)} messages/s, ${seconds(send.seconds)} from the first message to the last ` +
      `over ${send.connections} ${send.connections === 1 ? 'connection' : 'connections'}; the whole command ${seconds(send.command)}`
  )
}
if (rows.length > 1) {
  const small = rows.find((row) => row.size === 1000)
  const big = rows.find((row) => row.size === 10000)
  if (small && big) console.log(`10,000 / 1,000 posts, cold: ${(big.cold / small.cold).toFixed(1)} x`)
}
await browser?.close()

/**
 * `send YYYY-MM --list` of the sample site's September issue to `count`
 * subscribers, against an SMTP server in this process that discards each
 * message: seconds from the first connection to the last message received,
 * connections opened, and the whole command's seconds.
 */
async function benchSend(count) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-bench-send-'))
  let first
  let last
  let messages = 0
  let connections = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      first ??= performance.now()
      connections++
      callback()
    },
    onData(stream, _session, callback) {
      stream.resume()
      stream.on('end', () => {
        messages++
        last = performance.now()
        callback()
      })
    }
  })
  try {
    for (const name of ['letterpress.yml', 'posts', 'templates']) fs.cpSync(path.join(project, name), path.join(root, name), {recursive: true})
    const rows = Array.from({length: count}, (_, index) => `reader${index + 1}@inbox.example,Reader ${index + 1}`)
    fs.writeFileSync(path.join(root, 'list.csv'), ['email,name', ...rows].join('\n') + '\n')
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    const smtp = `smtp://127.0.0.1:${server.server.address().port}`
    const started = performance.now()
    // The sample site's baseUrl is a made-up address: its files cannot be asked for.
    const argv = [bin, 'send', '2026-09', '--list', 'list.csv', '--smtp', smtp, '--no-check-published', '--root', root]
    const {code, stderr} = await new Promise((resolve) => {
      const child = spawn(process.execPath, argv, {cwd: root, stdio: ['ignore', 'ignore', 'pipe']})
      let text = ''
      child.stderr.on('data', (chunk) => (text += chunk))
      child.on('close', (status) => resolve({code: status, stderr: text}))
    })
    const command = (performance.now() - started) / 1000
    if (code !== 0 || messages !== count) throw new Error(`letterpress send --list failed (${messages} of ${count} received):\n${stderr.slice(-2000)}`)
    return {messages, seconds: (last - first) / 1000, connections, command}
  } finally {
    await new Promise((resolve) => server.close(resolve))
    fs.rmSync(root, {recursive: true, force: true})
  }
}

/**
 * `send` asks the web for the site's own pages and images the issue points
 * at (under `baseUrl`) before the first message, and sends nothing when
 * one is missing or cannot be asked for, unless told `--no-check-published`.
 * Against an HTTP server and an SMTP server on 127.0.0.1 in this process.
 */
import {execFile, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {SMTPServer} from 'smtp-server'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {checkPublished, publishedUrls} from '../src/email/published.js'
import {sendList} from '../src/pipeline/newsletter.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** An SMTP server on 127.0.0.1 that keeps the recipients of each message it receives. */
async function startSmtp(): Promise<{url: string; received: string[][]}> {
  const received: string[][] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.resume()
      stream.on('end', () => {
        received.push(session.envelope.rcptTo.map((recipient) => recipient.address))
        callback()
      })
    }
  })
  closers.push(() => new Promise((resolve) => server.close(() => resolve())))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, received}
}

/**
 * A web server on 127.0.0.1 that has the paths `present` (200), answers
 * HEAD on `noHead` with 405 (GET with 200), redirects `/moved/` to `/`, and
 * 404 on everything else. `asked` lists each request as `METHOD /path`.
 */
async function startWeb(present: Set<string>, noHead = new Set<string>()): Promise<{url: string; asked: string[]}> {
  const asked: string[] = []
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://host').pathname
    asked.push(`${request.method} ${pathname}`)
    if (pathname === '/moved/') response.writeHead(301, {location: '/'}).end()
    else if (noHead.has(pathname) && request.method === 'HEAD') response.writeHead(405).end()
    else if (present.has(pathname) || noHead.has(pathname)) response.writeHead(200, {'content-type': 'text/html'}).end('here')
    else response.writeHead(404).end('not here')
  })
  closers.push(() => new Promise((resolve) => server.close(() => resolve())))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, asked}
}

let work: string

/** A site of one post with a cover and an image, whose baseUrl is `baseUrl`; returns its ROOT. */
function makeSite(baseUrl: string): string {
  const root = fs.mkdtempSync(path.join(work, 'site-'))
  fs.mkdirSync(path.join(root, 'posts', 'assets'), {recursive: true})
  fs.writeFileSync(path.join(root, 'posts', 'assets', 'cover.png'), Buffer.from('89504e470d0a1a0a', 'hex'))
  fs.writeFileSync(path.join(root, 'posts', 'assets', 'pier.png'), Buffer.from('89504e470d0a1a0a', 'hex'))
  fs.writeFileSync(
    path.join(root, 'posts', 'lanterns.md'),
    '---\ntitle: Lanterns on the pier\ndate: 2026-09-04\ncover: /assets/cover.png\n---\n\n' +
      'The lanterns came on one by one. See [the harbour](https://harbour.example/lights).\n\n![The pier](/assets/pier.png)\n'
  )
  fs.writeFileSync(
    path.join(root, 'letterpress.yml'),
    `title: Pier Notes\nbaseUrl: ${baseUrl}\nnewsletter:\n  from: Pier Notes <pier@notes.example>\n  unsubscribe: "https://pier.example/leave?email={{email}}"\n`
  )
  fs.writeFileSync(path.join(root, 'list.csv'), 'email\nann@inbox.example\nbo@inbox.example\n')
  return root
}

function cli(root: string, args: string[]): Promise<{code: number; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args, '--root', root], {cwd: root, timeout: 90_000}, (error, _stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr})
    })
  })
}

/** The paths under the site the issue points at, as `publishedUrls` finds them. */
const sitePaths = ['/', '/newsletter/2026-09/', '/posts/lanterns/', '/assets/cover.png', '/assets/pier.png']

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-send-published-'))
  // Compile once up front (when the sources are newer than lib/), so the runs below time the CLI, not tsc.
  spawnSync(process.execPath, [bin, '--version'], {cwd: work, timeout: 180_000})
}, 200_000)

afterAll(() => {
  if (work) fs.rmSync(work, {recursive: true, force: true})
})

describe('publishedUrls and checkPublished', () => {
  it('should pick the URLs under baseUrl only, without query and fragment, once each, and no merge tag', () => {
    const html =
      '<a href="https://pier.example/blog/posts/a/?utm_source=newsletter#top">a</a>' +
      '<img src="https://pier.example/blog/img/a.png" srcset="https://pier.example/blog/img/a@2x.png 2x, https://cdn.example/b.png 1x">' +
      '<div style="background-image: url(\'https://pier.example/blog/img/bg.png\')"></div>' +
      '<a href="https://pier.example/blog/posts/a/">again</a><a href="https://pier.example/shop/">not the site</a>' +
      '<a href="https://harbour.example/">elsewhere</a><a href="https://pier.example/blog/leave?e={{email}}">leave</a>' +
      '<a href="mailto:pier@notes.example">write</a>'
    expect(publishedUrls(html, 'https://pier.example/blog/')).toEqual([
      'https://pier.example/blog/posts/a/',
      'https://pier.example/blog/img/a.png',
      'https://pier.example/blog/img/a@2x.png',
      'https://pier.example/blog/img/bg.png'
    ])
  })

  it('should follow redirects, fall back to GET on 405, and tell missing from unreachable', async () => {
    const closed = await startWeb(new Set())
    await closers.pop()!()
    const web = await startWeb(new Set(['/', '/here.png']), new Set(['/page/']))
    const check = await checkPublished([`${web.url}here.png`, `${web.url}moved/`, `${web.url}page/`, `${web.url}gone.png`, `${closed.url}x.png`], {
      timeoutMs: 5000
    })
    expect(check.checked).toBe(5)
    expect(check.missing).toEqual([{url: `${web.url}gone.png`, status: 404}])
    expect(check.unreachable).toEqual([{url: `${closed.url}x.png`, error: 'ECONNREFUSED'}])
    expect(web.asked).toContain('GET /page/')
    expect(web.asked).toContain('HEAD /')
  })
})

describe('letterpress send, before the first message', {timeout: 200_000}, () => {
  it('should send nothing with --to, naming each file that is not published, until all are or --no-check-published', async () => {
    const smtp = await startSmtp()
    const web = await startWeb(new Set(['/', '/newsletter/2026-09/', '/posts/lanterns/']))
    const root = makeSite(web.url)
    const args = ['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', smtp.url, '--timeout', '5']
    const stopped = await cli(root, args)
    expect(stopped.code, stopped.stderr).toBe(1)
    const warnings = stopped.stderr.split('\n').filter((line) => line.includes('send-not-published'))
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(new RegExp(`^letterpress\\.yml:2:10  warning  \`${web.url}assets/cover\\.png\` is not published: the server answers HTTP 404`))
    expect(warnings[1]).toContain(`\`${web.url}assets/pier.png\` is not published: the server answers HTTP 404`)
    expect(stopped.stderr).toContain(
      `send 2026-09: nothing sent: 2 of the 5 files the issue points at under ${web.url} are not published; ` +
        'deploy the site first, or pass --no-check-published to send anyway'
    )
    expect(stopped.stderr).not.toMatch(/^\s+at /m)
    // Third-party links are not the site's to publish: never asked for.
    expect(web.asked.every((line) => !line.includes('harbour'))).toBe(true)
    expect(smtp.received).toEqual([])

    const forced = await cli(root, [...args, '--no-check-published'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stderr).not.toContain('send-not-published')
    expect(smtp.received).toEqual([['tester@inbox.example']])

    const all = await startWeb(new Set(sitePaths))
    fs.writeFileSync(path.join(root, 'letterpress.yml'), fs.readFileSync(path.join(root, 'letterpress.yml'), 'utf8').replace(web.url, all.url))
    const sent = await cli(root, args)
    expect(sent.code, sent.stderr).toBe(0)
    expect(sent.stderr).toContain(`send 2026-09: all 5 files the issue points at under ${all.url} are published`)
    expect(sent.stderr).toMatch(/^send 2026-09: sent to tester@inbox\.example$/m)
    expect(all.asked.map((line) => line.replace(/^\w+ /, '')).sort()).toEqual([...sitePaths].sort())
    expect(smtp.received).toHaveLength(2)
  })

  it('should send nothing with --list, and open no journal, while a file is missing; a dry run reports it and writes the copies', async () => {
    const smtp = await startSmtp()
    const web = await startWeb(new Set(sitePaths.filter((name) => name !== '/assets/pier.png')))
    const root = makeSite(web.url)
    const stopped = await cli(root, ['send', '2026-09', '--list', 'list.csv', '--smtp', smtp.url, '--timeout', '5'])
    expect(stopped.code, stopped.stderr).toBe(1)
    expect(stopped.stderr).toContain(`\`${web.url}assets/pier.png\` is not published: the server answers HTTP 404`)
    expect(stopped.stderr).toContain('send 2026-09: nothing sent: 1 of the 5 files the issue points at under')
    expect(smtp.received).toEqual([])
    expect(fs.existsSync(path.join(root, '.letterpress', 'sends'))).toBe(false)

    const dry = await cli(root, ['send', '2026-09', '--list', 'list.csv', '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stderr).toContain('send-not-published')
    expect(dry.stderr).toMatch(/^send 2026-09: 1 of the 5 files the issue points at under .* is not published$/m)
    expect(dry.stderr).toMatch(/dry run: 2 messages written/)

    const result = await sendList({month: '2026-09', root, list: path.join(root, 'list.csv'), smtp: smtp.url, timeoutMs: 5000})
    expect(result.published).toMatchObject({checked: 5, blocking: true, missing: [{url: `${web.url}assets/pier.png`, status: 404}]})
    expect(result.sent).toEqual([])
    expect(smtp.received).toEqual([])
  })

  it('should say, with a rule id and no stack trace, when the site cannot be reached, and send nothing', async () => {
    const smtp = await startSmtp()
    // A port that was free a moment ago: nothing listens there.
    const web = await startWeb(new Set())
    await closers.pop()!()
    const root = makeSite(web.url)
    const stopped = await cli(root, ['send', '2026-09', '--list', 'list.csv', '--smtp', smtp.url, '--timeout', '5'])
    expect(stopped.code, stopped.stderr).toBe(1)
    expect(stopped.stderr).toMatch(
      new RegExp(`warning  Could not ask whether 5 files under \`${web.url}\` are \\(the first: \`${web.url}newsletter/2026-09/\`\\) published: ECONNREFUSED  send-publish-unchecked`)
    )
    expect(stopped.stderr).toContain('send 2026-09: nothing sent: 5 of 5 could not be checked; deploy the site first, or pass --no-check-published')
    expect(stopped.stderr).not.toMatch(/^\s+at /m)
    expect(smtp.received).toEqual([])
  })
})

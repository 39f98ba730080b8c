/**
 * The dev server in-process, over plain HTTP: what each path answers, the
 * site under its base path, and which open pages get told to reload.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startDevServer, type DevServer} from '../src/dev/server.js'

let root: string
let server: DevServer
const rebuilds: string[][] = []

function write(relative: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
  fs.writeFileSync(path.join(root, relative), text)
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-dev-server-'))
  write('letterpress.yml', 'title: Gradient Notes\nbaseUrl: https://notes.example/blog/\n')
  write('posts/2026/05/first-run.md', '---\ntitle: First run\ndate: 2026-05-04\ntags: [ops]\n---\n\nThe first pipeline run took an hour.\n')
  write('posts/2026/05/second-run.md', '---\ntitle: Second run\ndate: 2026-05-11\ndraft: true\n---\n\nThe second one took ten minutes.\n')
  write('posts/assets/chart.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
  // This test calls `rebuild` itself and wants no renders from the watcher in between.
  server = await startDevServer({root, port: 0, watch: false, onRebuild: (_snapshot, changed) => void rebuilds.push([...changed])})
  await server.ready
}, 120_000)

afterAll(async () => {
  await server?.close()
  if (root) fs.rmSync(root, {recursive: true, force: true})
})

const get = (pathname: string, init?: RequestInit) => fetch(server.origin + pathname, {redirect: 'manual', ...init})

describe('the dev server', () => {
  it('should serve the site under the path of its baseUrl, with drafts, and send / there', async () => {
    expect(server.url).toBe(`${server.origin}/blog/`)
    const home = await get('/')
    expect(home.status).toBe(302)
    expect(home.headers.get('location')).toBe('/blog/')

    const page = await get('/blog/posts/second-run/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('cache-control')).toBe('no-store')
    const html = await page.text()
    expect(html).toContain('The second one took ten minutes.')
    expect(html).toMatch(/<script src="\/__letterpress\/client\.js\?v=[0-9a-f]{10}" data-hash="[0-9a-f]{12}" data-base="\/blog\/" defer><\/script>\n<\/body>/)
    // Absolute URLs lead to this server, not to the live site.
    expect(html).toContain(`${server.origin}/blog/posts/second-run/`)
    expect(html).not.toContain('https://notes.example/')
  })

  it('should redirect a folder without its slash, and answer a miss with the 404 page', async () => {
    const folder = await get('/blog/posts/first-run?x=1')
    expect(folder.status).toBe(301)
    expect(folder.headers.get('location')).toBe('/blog/posts/first-run/?x=1')
    const missing = await get('/blog/posts/never-written/')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await missing.text()).toContain('/__letterpress/client.js')
    expect((await get('/elsewhere/')).status).toBe(404)
  })

  it('should serve assets and feeds with their types and nothing injected', async () => {
    const svg = await get('/blog/assets/chart.svg')
    expect(svg.status).toBe(200)
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect(await svg.text()).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    const feed = await get('/blog/feed.xml')
    expect(feed.headers.get('content-type')).toBe('application/xml; charset=utf-8')
    expect(await feed.text()).not.toContain('__letterpress')
    const head = await get('/blog/', {method: 'HEAD'})
    expect(head.status).toBe(200)
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
    expect((await get('/blog/', {method: 'POST'})).status).toBe(405)
  })

  it('should let the browser keep the theme and its own script while their bytes stay the same, and nothing else', async () => {
    const html = await (await get('/blog/')).text()
    const stylesheet = /<link rel="stylesheet" href="(\/blog\/assets\/theme\/theme\.css\?v=[0-9a-f]{10})">/.exec(html)?.[1]
    const client = /<script src="(\/__letterpress\/client\.js\?v=[0-9a-f]{10})"/.exec(html)?.[1]
    expect(stylesheet).toBeDefined()
    expect(client).toBeDefined()
    for (const kept of [stylesheet!, client!]) {
      const response = await get(kept)
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect((await response.text()).length).toBeGreaterThan(100)
    }
    // Another version than the bytes', no version, a page: asked for again every time.
    for (const fresh of ['/blog/assets/theme/theme.css?v=0000000000', '/blog/assets/theme/theme.css', '/__letterpress/client.js', '/blog/']) {
      expect((await get(fresh)).headers.get('cache-control'), fresh).toBe('no-store')
    }
  })

  it('should answer only requests addressed to this machine', async () => {
    const http = await import('node:http')
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(`${server.origin}/blog/`, {headers: {host: 'attacker.example'}}, (response) => {
          response.resume()
          resolve(response.statusCode)
        })
        .on('error', reject)
    })
    expect(status).toBe(403)
  })

  it('should serve the email preview of each month and its files', async () => {
    const list = await (await get('/__letterpress/email/')).text()
    expect(list).toContain('href="/__letterpress/email/2026-05/"')
    const preview = await get('/__letterpress/email/2026-05/')
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html).toMatch(/<iframe src="\/__letterpress\/email\/2026-05\/issue\.html\?v=[0-9a-f]+"[^>]*width="600"/)
    expect(html).toMatch(/<iframe [^>]*width="375"/)
    expect(html).toContain('<pre class="text">')
    expect((await get('/__letterpress/email/2026-05')).headers.get('location')).toBe('/__letterpress/email/2026-05/')
    expect((await get('/__letterpress/email/2026-05/issue.eml')).headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect((await get('/__letterpress/email/1999-01/')).status).toBe(404)
    expect((await get('/__letterpress/email/2026-05/../../../etc/passwd')).status).toBe(404)
  })

  it('should tell only the pages whose content changed to reload', async () => {
    const hashOf = async (pathname: string) => /data-hash="([0-9a-f]+)"/.exec(await (await get(pathname)).text())![1]!
    const post = await listen('/blog/posts/first-run/', await hashOf('/blog/posts/first-run/'))
    const tags = await listen('/blog/tags/', await hashOf('/blog/tags/'))
    const stale = await listen('/blog/posts/first-run/', 'not-the-hash')
    expect(await stale.next('reload')).toBe(true)

    write('posts/2026/05/first-run.md', '---\ntitle: First run\ndate: 2026-05-04\ntags: [ops]\n---\n\nThe first pipeline run took an hour and a half.\n')
    await server.rebuild(['posts/2026/05/first-run.md'])
    expect(await post.next('reload')).toBe(true)
    expect(await tags.next('reload', 500)).toBe(false)
    expect(rebuilds.at(-1)).toEqual(['posts/2026/05/first-run.md'])

    // A broken post: the state says so, nothing reloads, the last good page stays.
    tags.clear()
    write('posts/2026/05/first-run.md', '---\ntitle: "First run\ndate: 2026-05-04\n---\n\nBroken.\n')
    await server.rebuild(['posts/2026/05/first-run.md'])
    const state = await tags.nextState()
    expect(state.errorCount).toBeGreaterThan(0)
    expect(state.errors[0]).toMatchObject({file: 'posts/2026/05/first-run.md', line: 2, severity: 'error'})
    expect(await (await get('/blog/posts/first-run/')).text()).toContain('an hour and a half')
    for (const client of [post, tags, stale]) client.close()
  })
})

interface Listener {
  /** Whether an event `name` arrives within `timeout` ms. */
  next(name: string, timeout?: number): Promise<boolean>
  /** The next `state` event whose render is over. */
  nextState(): Promise<{errorCount: number; errors: Array<Record<string, unknown>>; building: boolean}>
  /** Forget the events received so far. */
  clear(): void
  close(): void
}

/** Open the event stream as a page showing `pathname` would. */
async function listen(pathname: string, hash: string): Promise<Listener> {
  const controller = new AbortController()
  const response = await fetch(
    `${server.origin}/__letterpress/events?path=${encodeURIComponent(pathname)}&hash=${encodeURIComponent(hash)}`,
    {signal: controller.signal}
  )
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const events: Array<{name: string; data: string}> = []
  let buffer = ''
  let waiting: (() => void) | undefined
  void (async () => {
    try {
      for (;;) {
        const {value, done} = await reader.read()
        if (done) return
        buffer += decoder.decode(value, {stream: true})
        let end: number
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const name = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (name) events.push({name, data: data ?? ''})
          waiting?.()
        }
      }
    } catch {
      // Aborted.
    }
  })()
  const take = async (match: (event: {name: string; data: string}) => boolean, timeout: number) => {
    const deadline = Date.now() + timeout
    for (;;) {
      const index = events.findIndex(match)
      if (index !== -1) return events.splice(0, index + 1).at(-1)!
      if (Date.now() > deadline) return undefined
      await new Promise<void>((resolve) => {
        waiting = resolve
        setTimeout(resolve, 50)
      })
    }
  }
  return {
    async next(name, timeout = 10_000) {
      return (await take((event) => event.name === name, timeout)) !== undefined
    },
    async nextState() {
      const event = await take((candidate) => candidate.name === 'state' && !JSON.parse(candidate.data).building, 10_000)
      return JSON.parse(event!.data)
    },
    clear: () => void events.splice(0),
    close: () => controller.abort()
  }
}

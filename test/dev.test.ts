/**
 * `letterpress dev` as an author uses it: the real CLI as a child process on
 * a copy of the sample site, pages open in Chromium, sources edited on disk.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {chromiumArgs, chromiumPath, hasChromium} from './helpers/tools.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const available = hasChromium()

/** How long the dev server may take, beyond the render itself, to show a change in an open page. */
const reloadBudgetMs = 1000
/** A test that edits and waits several times gets longer than any one wait, so a miss reports its own message. */
const editTestTimeout = 150_000

describe.skipIf(!available)('letterpress dev', () => {
  let root: string
  let child: ChildProcess | undefined
  let browser: Browser | undefined
  let origin = ''
  let stderr = ''

  const post = () => path.join(root, 'posts', '2026', '10', 'shadow-deployments.md')

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-dev-'))
    fs.cpSync(path.join(project, 'posts'), path.join(root, 'posts'), {recursive: true})
    fs.copyFileSync(path.join(project, 'letterpress.yml'), path.join(root, 'letterpress.yml'))
    // Compile once up front (bin/letterpress.js does it when src is newer), so the server starts quickly.
    spawnSync(process.execPath, [bin, '--version'], {timeout: 150_000})
    child = spawn(process.execPath, [bin, 'dev', '--root', root, '--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    origin = await waitFor(() => /http:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0], 90_000, () => `no URL; stderr:\n${stderr}`)
    browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs})
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve))
      child.kill('SIGINT')
      const timer = setTimeout(() => child!.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    if (root) fs.rmSync(root, {recursive: true, force: true})
  }, 30_000)

  /** Open a page and wait until its dev client is connected. */
  async function open(url: string, width = 1280): Promise<Page> {
    const page = await browser!.newPage({viewport: {width, height: 900}})
    page.setDefaultTimeout(10_000)
    await page.goto(origin + url)
    await waitFor(() => badgeLabel(page).then((label) => label !== '' && label !== 'connecting' && label !== 'rebuilding' ? label : undefined), 10_000)
    return page
  }

  /** Write like an editor that saves atomically (temp file, then rename). */
  function save(file: string, text: string): void {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`)
    fs.writeFileSync(temp, text)
    fs.renameSync(temp, file)
  }

  /** Edit, then wait until `seen` holds; returns the wait and the render time the server printed. */
  async function editAndWait(file: string, text: string, seen: () => Promise<boolean>, timeout = 30_000) {
    const before = stderr.length
    const started = Date.now()
    save(file, text)
    await waitFor(async () => ((await seen().catch(() => false)) ? true : undefined), timeout, () => `not seen; stderr:\n${stderr.slice(before)}`)
    const waited = Date.now() - started
    // The summary line travels through a pipe and may land just after the page changed.
    await waitFor(() => (/ in \d+ ms/.test(stderr.slice(before)) ? true : undefined), 5000).catch(() => undefined)
    const renders = [...stderr.slice(before).matchAll(/ in (\d+) ms/g)].map((match) => Number(match[1]))
    return {waited, renderMs: renders.reduce((sum, ms) => sum + ms, 0)}
  }

  it('should show an edited post in the open page without a manual reload', async () => {
    const page = await open('/posts/shadow-deployments/')
    await page.evaluate('window.__notReloaded = true')
    const original = fs.readFileSync(post(), 'utf8')
    const {waited, renderMs} = await editAndWait(
      post(),
      original.replace('It took me three months', 'It took me eleven weeks'),
      async () => ((await page.textContent('article')) ?? '').includes('It took me eleven weeks')
    )
    // The render itself is the build's cost (incremental renders are a later step); the watch, the
    // event and the reload around it must stay within the budget.
    expect(waited - renderMs, `waited ${waited} ms, of which ${renderMs} ms rendering`).toBeLessThan(reloadBudgetMs)
    expect(await page.evaluate('window.__notReloaded === true')).toBe(false)
    await editAndWait(post(), original, async () => ((await page.textContent('article')) ?? '').includes('It took me three months'))
    await page.close()
  }, editTestTimeout)

  it('should reload the page when a template override is added and edited, and show a template error', async () => {
    const page = await open('/posts/shadow-deployments/')
    const override = path.join(root, 'templates', 'web', 'post.liquid')
    fs.mkdirSync(path.dirname(override), {recursive: true})
    const builtIn = fs.readFileSync(path.join(project, 'templates', 'web', 'post.liquid'), 'utf8')
    const heading = '<h1 class="post-title">{{ post.title }}</h1>'
    expect(builtIn).toContain(heading)
    fs.copyFileSync(path.join(project, 'templates', 'web', 'post.liquid'), override)
    const {waited, renderMs} = await editAndWait(
      override,
      builtIn.replace(heading, `${heading}<p class="from-override">Edited in the override</p>`),
      async () => (await page.locator('.from-override').count()) === 1
    )
    expect(waited - renderMs).toBeLessThan(reloadBudgetMs)

    // A Liquid syntax error: the overlay names the template and its line; the page stays as it was.
    const broken = builtIn.replace(heading, `${heading}{% if post.title %}`)
    await editAndWait(override, broken, async () => (await overlayText(page)).includes('templates/web/post.liquid:'))
    expect(await overlayText(page)).toMatch(/templates\/web\/post\.liquid:\d+:\d+/)
    expect(await page.locator('.from-override').count()).toBe(1)

    fs.rmSync(path.join(root, 'templates'), {recursive: true})
    await waitFor(async () => ((await page.locator('.from-override').count().catch(() => 1)) === 0 && (await overlayText(page)) === '' ? true : undefined), 30_000)
    await page.close()
  }, editTestTimeout)

  it('should list a YAML error in the overlay with its file and line, keep serving, and clear it when fixed', async () => {
    const page = await open('/posts/shadow-deployments/')
    const original = fs.readFileSync(post(), 'utf8')
    const broken = original.replace(/^title: .*$/m, 'title: "Shadow deployments: never closed')
    await editAndWait(post(), broken, async () => (await overlayText(page)).includes('frontmatter-yaml'))
    const text = await overlayText(page)
    expect(text).toContain('posts/2026/10/shadow-deployments.md:2:')
    expect(text).toMatch(/never closed|Invalid YAML/)
    // The last good page is still there under the overlay, and other pages still answer.
    expect(await page.textContent('h1.post-title')).toContain('Shadow deployments')
    expect((await fetch(origin + '/')).status).toBe(200)

    await editAndWait(post(), original, async () => (await overlayText(page)) === '' && (await badgeLabel(page)) !== 'rebuilding')
    expect(child!.exitCode).toBeNull()
    expect((await fetch(origin + '/posts/shadow-deployments/')).status).toBe(200)
    await page.close()
  }, editTestTimeout)

  it('should name letterpress.yml and its line when the site config does not parse', async () => {
    const page = await open('/')
    const config = path.join(root, 'letterpress.yml')
    const original = fs.readFileSync(config, 'utf8')
    await editAndWait(config, original.replace('title: Shadow Traffic', 'title: [Shadow Traffic'), async () =>
      (await overlayText(page)).includes('letterpress.yml:')
    )
    expect(await overlayText(page)).toMatch(/letterpress\.yml:\d+:\d+/)
    await editAndWait(config, original, async () => (await overlayText(page)) === '')
    expect(child!.exitCode).toBeNull()
    await page.close()
  }, editTestTimeout)

  it('should preview an issue at 600 and 375 px with its subject, size and plain text, and follow edits', async () => {
    const page = await open('/__letterpress/email/2026-10/')
    const frames = page.locator('iframe[data-email]')
    expect(await frames.count()).toBe(2)
    // The documents inside are as wide as the clients they stand for.
    const widths = await page.evaluate(
      "[...document.querySelectorAll('iframe[data-email]')].map((frame) => frame.contentDocument.documentElement.clientWidth)"
    )
    expect(widths).toEqual([600, 375])
    await waitFor(async () => ((await page.frames()[1]!.textContent('body'))?.includes('Shadow Traffic') ? true : undefined), 10_000)
    // The subject is the lead post's title (newsletter.subject's default).
    expect(await page.textContent('.subject-text')).toBe("Data contracts, from the consumer's side of the table")
    expect(await page.textContent('.size-value')).toMatch(/^\d+\.\d KB$/)
    expect(await page.getAttribute('[role="meter"]', 'aria-valuemax')).toBe(String(102 * 1024))
    const text = await page.textContent('pre.text')
    expect(text).toContain('Shadow deployments')

    // Dark switches the email's own dark styles on.
    const background = () => page.frames()[1]!.evaluate('getComputedStyle(document.body).backgroundColor')
    const light = await background()
    await page.click('button[data-scheme="dark"]')
    expect(await background()).not.toBe(light)
    await page.click('button[data-scheme="light"]')
    expect(await background()).toBe(light)

    const original = fs.readFileSync(post(), 'utf8')
    await editAndWait(post(), original.replace('It took me three months', 'It took me a whole season'), async () =>
      ((await page.textContent('pre.text')) ?? '').includes('It took me a whole season')
    )
    await editAndWait(post(), original, async () => ((await page.textContent('pre.text')) ?? '').includes('It took me three months'))
    await page.close()
  }, editTestTimeout)

  it('should list the issues and link each preview', async () => {
    const response = await fetch(origin + '/__letterpress/email/')
    expect(response.status).toBe(200)
    const html = await response.text()
    for (const month of ['2026-08', '2026-09', '2026-10']) expect(html).toContain(`href="/__letterpress/email/${month}/"`)
    expect(html).toContain('/__letterpress/client.js')
    // The email itself is served as built: no dev client in it.
    const email = await (await fetch(origin + '/__letterpress/email/2026-10/issue.html')).text()
    expect(email).not.toContain('__letterpress')
  })

  it('should refuse a port that is taken with exit 2 and say so', () => {
    const port = new URL(origin).port
    const result = spawnSync(process.execPath, [bin, 'dev', '--root', root, '--port', port], {encoding: 'utf8', timeout: 60_000})
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`)
  })

  it('should stop cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)))
    child!.kill('SIGINT')
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))])
    expect(code).toBe(0)
    expect(stderr).toContain('letterpress dev: stopped')
  }, 20_000)
})

/** `promise`, or `fallback` when it has not settled in `ms` (a page busy reloading under load can stall a call). */
async function bounded<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() =>
    clearTimeout(timer)
  )
}

async function badgeLabel(page: Page): Promise<string> {
  const label = page
    .evaluate("document.querySelector('letterpress-dev')?.shadowRoot?.querySelector('.badge button span:last-child')?.textContent ?? ''")
    .catch(() => '') as Promise<string>
  return bounded(label, 5000, '')
}

/** The overlay's text when it shows errors, else ''. */
async function overlayText(page: Page): Promise<string> {
  const text = page
    .evaluate(
      "(() => { const panel = document.querySelector('letterpress-dev')?.shadowRoot?.querySelector('.panel.has-errors'); return panel && !panel.hidden ? panel.textContent : '' })()"
    )
    .catch(() => '') as Promise<string>
  return bounded(text, 5000, '')
}

async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeout: number, why?: () => string): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    // A browser call can stall while a page reloads under load: give each look a bound of its own.
    const value = await bounded(Promise.resolve().then(check), 5000, undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms${why ? `: ${why()}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

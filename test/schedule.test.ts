/**
 * Scheduled posts: a post dated after "now" (SOURCE_DATE_EPOCH, else the
 * clock) stays out of the site, the feeds, the sitemap, the redirects and
 * the issues until its date, unless --future; `check` says when it goes
 * live; and the build cache never serves a site from before its date.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {createDevBuild} from '../src/dev/dev-build.js'
import type {Diagnostic} from '../src/source/report.js'
import {projectRoot} from './helpers/site.js'

const bin = path.join(projectRoot, 'bin', 'letterpress.js')
const roots: string[] = []
const savedEpoch = process.env['SOURCE_DATE_EPOCH']

afterEach(() => {
  vi.useRealTimers()
  if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH']
  else process.env['SOURCE_DATE_EPOCH'] = savedEpoch
})
afterAll(() => {
  for (const dir of roots.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
})

/** A ROOT with one post of January 2031 and one scheduled for 2031-03-14 (with an alias). */
function writeRoot(later = 'date: 2031-03-14'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-schedule-'))
  roots.push(root)
  const posts = path.join(root, 'posts')
  fs.mkdirSync(posts, {recursive: true})
  fs.writeFileSync(path.join(posts, 'kiln.md'), '---\ntitle: Firing the kiln\ndate: 2031-01-20\n---\n\nThe first firing took nine hours.\n')
  fs.writeFileSync(
    path.join(posts, 'glaze.md'),
    `---\ntitle: Glaze tests\n${later}\naliases: [/glazes/]\n---\n\nTwelve tiles, three glazes, one afternoon.\n`
  )
  fs.writeFileSync(path.join(root, 'letterpress.yml'), 'title: Studio Notes\nbaseUrl: https://studio.example/\nnewsletter:\n  from: Studio Notes <notes@studio.example>\n')
  return root
}

/** SOURCE_DATE_EPOCH for a UTC instant. */
function epoch(iso: string): string {
  return String(Date.parse(iso) / 1000)
}

function cli(args: string[], sourceDateEpoch: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: {...process.env, SOURCE_DATE_EPOCH: sourceDateEpoch}
  })
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}

function read(root: string, relative: string): string {
  return fs.readFileSync(path.join(root, 'dist', relative), 'utf8')
}

describe('a post dated after now', () => {
  it('should be left out of the site, feeds, sitemap, redirects and issues until its date', () => {
    const root = writeRoot()
    const run = cli(['build', '--root', root], epoch('2031-02-01T12:00:00Z'))
    expect(run.status, run.stderr).toBe(0)
    expect(fs.existsSync(path.join(root, 'dist/site/posts/kiln/index.html'))).toBe(true)
    expect(fs.existsSync(path.join(root, 'dist/site/posts/glaze/index.html'))).toBe(false)
    expect(fs.existsSync(path.join(root, 'dist/site/glazes/index.html'))).toBe(false)
    expect(fs.existsSync(path.join(root, 'dist/site/_redirects'))).toBe(false)
    for (const file of ['site/index.html', 'site/feed.xml', 'site/atom.xml', 'site/feed.json', 'site/sitemap.xml', 'site/archive/index.html']) {
      expect(read(root, file), file).not.toContain('Glaze tests')
    }
    expect(fs.readdirSync(path.join(root, 'dist/email'))).toEqual(['2031-01'])
    expect(run.stderr).toContain('build: 1 post published, 1 scheduled post not published,')
  })

  it('should be published on its day, by SOURCE_DATE_EPOCH', () => {
    const root = writeRoot()
    const run = cli(['build', '--root', root], epoch('2031-03-14T00:00:00Z'))
    expect(run.status, run.stderr).toBe(0)
    expect(read(root, 'site/index.html')).toContain('Glaze tests')
    expect(read(root, 'site/feed.xml')).toContain('Glaze tests')
    expect(read(root, 'site/_redirects')).toContain('/glazes/ /posts/glaze/ 301')
    expect(fs.readdirSync(path.join(root, 'dist/email'))).toEqual(['2031-01', '2031-03'])
    expect(run.stderr).not.toContain('post-scheduled')
  })

  it('should be published now with --future, on build and issue', () => {
    const root = writeRoot()
    const early = epoch('2031-02-01T12:00:00Z')
    const run = cli(['build', '--root', root, '--future'], early)
    expect(run.status, run.stderr).toBe(0)
    expect(read(root, 'site/posts/glaze/index.html')).toContain('Glaze tests')
    expect(read(root, 'site/sitemap.xml')).toContain('/posts/glaze/')
    expect(run.stderr).toMatch(/^posts\/glaze\.md:3:1 {2}warning {2}Scheduled: goes live on 2031-03-14 .*built with --future it is published now {2}post-scheduled$/m)

    const held = cli(['issue', '2031-03', '--root', root], early)
    expect(held.status).toBe(2)
    const future = cli(['issue', '2031-03', '--root', root, '--future'], early)
    expect(future.status, future.stderr).toBe(0)
    expect(fs.readFileSync(path.join(root, 'dist/email/2031-03/issue.txt'), 'utf8')).toContain('Glaze tests')
  })

  it('should make check say when it goes live, at its date line', () => {
    const root = writeRoot()
    const run = cli(['check', '--root', root, '--format', 'json'], epoch('2031-02-01T12:00:00Z'))
    expect(run.status, run.stderr).toBe(0)
    const found = (JSON.parse(run.stdout) as Diagnostic[]).filter((entry) => entry.rule === 'post-scheduled')
    expect(found).toEqual([
      {
        file: 'posts/glaze.md',
        line: 3,
        column: 1,
        severity: 'warning',
        rule: 'post-scheduled',
        message:
          'Scheduled: goes live on 2031-03-14 (today is 2031-02-01); until then it is left out of the site, the feeds, ' +
          'the sitemap and the issues (build with --future to publish it now)'
      }
    ])
  })

  it('should not be served stale from the build cache once its time has come, the same day', async () => {
    delete process.env['SOURCE_DATE_EPOCH']
    const root = writeRoot('date: 2031-03-14T10:00:00Z')
    vi.useFakeTimers({toFake: ['Date']})
    vi.setSystemTime(new Date('2031-03-14T08:00:00Z'))
    const before = await build({root})
    expect(before.errors).toBe(0)
    expect(read(root, 'site/index.html')).not.toContain('Glaze tests')
    // Nothing changed and it is still before the post's time: the warm build stands.
    expect((await build({root})).unchanged).toBe(true)

    vi.setSystemTime(new Date('2031-03-14T11:00:00Z'))
    const after = await build({root})
    expect(after.unchanged).toBeFalsy()
    expect(after.posts).toBe(2)
    // The post's cached parse does not carry the message of the build that held it back.
    expect(before.diagnostics.map((entry) => entry.rule)).toEqual(['post-scheduled'])
    expect(after.diagnostics).toEqual([])
    expect(read(root, 'site/index.html')).toContain('Glaze tests')
    expect(fs.existsSync(path.join(root, 'dist/site/posts/glaze/index.html'))).toBe(true)
  })

  it('should wait for its date in dev too, and show with --future', async () => {
    process.env['SOURCE_DATE_EPOCH'] = epoch('2031-02-01T12:00:00Z')
    const root = writeRoot()
    const origin = 'http://127.0.0.1:4321'
    const held = await createDevBuild({root, origin}).rebuild([])
    expect(held.failed).toBe(false)
    expect(held.outputs.has('site/posts/kiln/index.html')).toBe(true)
    expect(held.outputs.has('site/posts/glaze/index.html')).toBe(false)
    expect(held.diagnostics.map((entry) => entry.rule)).toContain('post-scheduled')
    const shown = await createDevBuild({root, origin, future: true}).rebuild([])
    expect(shown.outputs.has('site/posts/glaze/index.html')).toBe(true)
  })
})

describe('"now" as the config holds it', () => {
  it('should take now from the config a library caller resolves, and the environment only through the build', async () => {
    const {resolveConfig} = await import('../src/source/config.js')
    const {loadSite} = await import('../src/source/site.js')
    const root = writeRoot()
    const slugs = (site: {published: Array<{slug: string}>}) => site.published.map((post) => post.slug).sort()
    // Between the two dates: the glaze post is held back.
    const between = Number(epoch('2031-02-01T00:00:00Z'))
    expect(slugs(await loadSite(resolveConfig(root, {}, {sourceDateEpoch: between})))).toEqual(['kiln'])
    // Loading a site reads no environment: without the setting it is the clock, years before both dates.
    process.env['SOURCE_DATE_EPOCH'] = String(between)
    expect(slugs(await loadSite(resolveConfig(root)))).toEqual([])
    // The build reads it, for its config.
    const built = await build({root, outDir: path.join(root, 'dist')})
    expect(built.posts).toBe(1)
  })
})

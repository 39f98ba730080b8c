/**
 * `check` is `build` without writing: on the same ROOT both report the same
 * messages (file, line, column, rule, severity, each as often) and count the
 * same posts and pages, whether `check` runs before any build (no memo) or
 * after one (reading the memo the build kept). And the CLI says so: the same
 * exit code under `--strict`, the same words for the posts in its summary.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build, type BuildResult} from '../src/pipeline/build.js'
import {check, type CheckResult} from '../src/pipeline/check.js'
import type {Diagnostic} from '../src/source/report.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const shared = path.resolve(project, '..', 'shared')
const made: string[] = []

const sendable = 'title: Parity\nbaseUrl: https://example.org/\nnewsletter:\n  from: Ada <letters@example.org>\n'
const post = (title: string, date: string, body: string, extra = '') => `---\ntitle: ${title}\ndate: ${date}\n${extra}---\n\n${body}\n`

function temporary(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `letterpress-parity-${name}-`))
  made.push(dir)
  return dir
}

/** A ROOT with these posts (paths under posts/) and this letterpress.yml. */
function site(name: string, posts: Record<string, string>, config: string): string {
  const root = temporary(name)
  for (const [relative, content] of Object.entries(posts)) {
    const file = path.join(root, 'posts', relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  fs.writeFileSync(path.join(root, 'letterpress.yml'), config)
  return root
}

/** The seed and corpus posts ([] unless both folders hold some). */
function sharedPosts(): string[] {
  const lists = ['seed', 'corpus'].map((name) => {
    const folder = path.join(shared, name)
    return fs.existsSync(folder) ? fs.readdirSync(folder).filter((file) => file.endsWith('.md')).map((file) => path.join(folder, file)) : []
  })
  return lists.every((list) => list.length > 0) ? lists.flat() : []
}
const seedAndCorpus = sharedPosts()

/** The seed and corpus posts in one ROOT's posts/. */
function sharedSite(): string {
  const root = temporary('shared')
  fs.mkdirSync(path.join(root, 'posts'))
  for (const file of seedAndCorpus) fs.copyFileSync(file, path.join(root, 'posts', path.basename(file)))
  return root
}

/** Each message as what the two commands must agree on; sorted, duplicates kept. */
function messages(list: readonly Diagnostic[]): string[] {
  return list.map((item) => `${item.file}:${item.line}:${item.column} ${item.severity} ${item.rule}`).sort()
}

function counts(result: BuildResult | CheckResult) {
  return {posts: result.posts, unpublished: result.unpublished, pages: result.pages, errors: result.errors, warnings: result.warnings}
}

/** `check` before any build, `build`, then `check` again with the build's memo: all three must agree. */
async function compare(root: string, overrides: {drafts?: boolean; strict?: boolean} = {}) {
  const cold = await check({root, ...overrides})
  const built = await build({root, outDir: path.join(temporary('out'), 'out'), ...overrides})
  const warm = await check({root, ...overrides})
  expect(messages(cold.diagnostics)).toEqual(messages(built.diagnostics))
  expect(messages(warm.diagnostics)).toEqual(messages(built.diagnostics))
  expect(counts(cold)).toEqual(counts(built))
  expect(counts(warm)).toEqual(counts(built))
  return {check: cold, build: built}
}

const fence = () =>
  site('fence', {'2026/a.md': post('Fenced', '2026-03-02', 'Some code:\n\n```klingon\nqapla\n```\n\nMore.')}, sendable)

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {cwd: project, encoding: 'utf8', timeout: 120_000})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

beforeAll(() => {
  // Compile once up front (the CLI builds lib/ when src/ is newer).
  run(['--version'])
})

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
})

describe('check and build on the same ROOT', () => {
  it('should agree on the sample site, counting its published posts and leaving out its draft', async () => {
    const {check: found} = await compare(project)
    expect(found.errors).toBe(0)
    expect(found.unpublished.drafts).toBeGreaterThan(0)
    expect(found.pages).toBeGreaterThan(found.posts)
  })

  it('should agree on the sample site with drafts', async () => {
    const {check: found} = await compare(project, {drafts: true})
    expect(found.unpublished.drafts).toBe(0)
  })

  it.skipIf(seedAndCorpus.length === 0)('should agree on the seed and corpus posts, with and without drafts', async () => {
    const root = sharedSite()
    const {check: plain} = await compare(root)
    expect(plain.errors).toBeGreaterThan(0)
    const {check: drafts} = await compare(root, {drafts: true})
    expect(drafts.pages).toBeGreaterThan(0)
  })

  it('should both report a fence of a language no highlighter knows', async () => {
    const {check: found} = await compare(fence())
    expect(messages(found.diagnostics)).toEqual(['posts/2026/a.md:8:1 warning code-language-unknown'])
  })

  it('should report invalid TeX in a first paragraph, which is also the excerpt, once', async () => {
    const root = site(
      'tex',
      {
        '2026/a.md': post('Bad TeX', '2026-03-02', 'The ratio $\\frac{1}{$ is wrong.\n\nMore below.'),
        '2026/b.md': post('Bad display', '2026-03-03', 'Shown $$\\sqrt{$$ here.\n\n<!-- more -->\n\nMore below.')
      },
      sendable
    )
    const {check: found} = await compare(root)
    expect(messages(found.diagnostics)).toEqual([
      'posts/2026/a.md:6:11 warning math-invalid',
      'posts/2026/b.md:6:7 warning math-invalid'
    ])
  })

  it('should both warn about a missing baseUrl', async () => {
    const root = site('nobase', {'2026/a.md': post('No base', '2026-03-02', 'Text.')}, 'newsletter:\n  from: Ada <letters@example.org>\n')
    const {check: found} = await compare(root)
    expect(found.diagnostics.map((item) => item.rule)).toContain('config-base-url')
  })

  it('should count drafts and posts dated after now apart from the published ones', async () => {
    const root = site(
      'held',
      {
        '2026/a.md': post('Out', '2026-03-02', 'Text.'),
        '2026/b.md': post('Draft', '2026-03-03', 'Text.', 'draft: true\n'),
        '2099/c.md': post('Later', '2099-01-05', 'Text.'),
        'about.md': '---\ntitle: About\npage: true\n---\n\nA page, not a post.\n'
      },
      sendable
    )
    const {check: found} = await compare(root)
    expect([found.posts, found.unpublished]).toEqual([1, {drafts: 1, scheduled: 1}])
  })
})

describe('check and build on the command line', () => {
  it('should exit alike with --strict on a fence of an unknown language', () => {
    const root = fence()
    const checked = run(['check', '--strict', '--root', root])
    const built = run(['build', '--strict', '--root', root, '--out', path.join(temporary('out'), 'out')])
    expect(checked.stdout).toMatch(/^posts\/2026\/a\.md:8:1 {2}error {2}.+ {2}code-language-unknown$/m)
    expect([checked.code, built.code]).toEqual([1, 1])
  })

  it('should say what it counted in the same words', () => {
    const root = site(
      'words',
      {
        '2026/a.md': post('Out', '2026-03-02', 'Text.'),
        '2026/b.md': post('Draft', '2026-03-03', 'Text.', 'draft: true\n'),
        '2099/c.md': post('Later', '2099-01-05', 'Text.'),
        '2099/d.md': post('Later still', '2099-02-05', 'Text.')
      },
      sendable
    )
    const summary = /^(?:check|build): (.+), (\d+ pages?), \d+ errors?, \d+ warnings? in /m
    const checked = run(['check', '--root', root]).stderr.match(summary)
    const built = run(['build', '--root', root, '--out', path.join(temporary('out'), 'out')]).stderr.match(summary)
    expect(checked?.[1]).toBe('1 post published, 1 draft and 2 scheduled posts not published')
    expect(built?.slice(1)).toEqual(checked?.slice(1))
  })
})

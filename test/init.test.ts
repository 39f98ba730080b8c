/**
 * `letterpress init [DIR]`: the starter site it writes builds and checks
 * clean through the CLI, explains every setting, and never overwrites
 * anything (a folder that is not empty is refused unless --force, which
 * keeps every file already there).
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {configSchema} from '../src/source/config.js'
import type {Diagnostic} from '../src/source/report.js'
import {projectRoot} from './helpers/site.js'

const bin = path.join(projectRoot, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-init-'))
const version = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {version: string}).version

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

function cli(args: string[], cwd = work) {
  const env = {...process.env}
  // The starter's posts are dated in the past of any real clock; a test epoch must not hold them back.
  delete env['SOURCE_DATE_EPOCH']
  const result = spawnSync(process.execPath, [bin, ...args], {cwd, encoding: 'utf8', timeout: 120_000, env})
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  return (fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[])
    .filter((relative) => fs.statSync(path.join(dir, relative)).isFile())
    .map((relative) => relative.split(path.sep).join('/'))
    .sort()
}

describe('letterpress init', () => {
  const site = path.join(work, 'my-letter')

  it('should write a starter site that checks and builds with no error and no warning', () => {
    const made = cli(['init', 'my-letter'])
    expect(made.status, made.stderr).toBe(0)
    expect(listing(site)).toEqual([
      '.github/workflows/deploy.yml',
      '.gitignore',
      'letterpress.yml',
      'package.json',
      'posts/2026/01/welcome.md',
      'posts/2026/02/tabs-and-code.md',
      'posts/about.md',
      'posts/assets/proof.png'
    ])
    expect(made.stdout.trim().split('\n')).toContain('my-letter/letterpress.yml')
    expect(made.stderr).toContain('npm run dev')

    const checked = cli(['check', '--root', site, '--format', 'json'])
    expect(checked.status, checked.stderr).toBe(0)
    expect(JSON.parse(checked.stdout) as Diagnostic[]).toEqual([])

    const built = cli(['build', '--root', site])
    expect(built.status, built.stderr).toBe(0)
    expect(built.stderr).toMatch(/^build: 2 posts published, \d+ pages, 0 errors, 0 warnings in /m)
    const out = path.join(site, 'dist')
    const post = fs.readFileSync(path.join(out, 'site/posts/welcome/index.html'), 'utf8')
    expect(post).toContain('<details class="question">')
    expect(post).toContain('<details class="note" open>')
    expect(post).toContain('<div class="admonition tip">')
    expect(post).toMatch(/<img [^>]*src="\/assets\/proof\.png"/)
    expect(fs.readFileSync(path.join(out, 'site/posts/tabs-and-code/index.html'), 'utf8')).toContain('class="tabbed-set')
    expect(fs.existsSync(path.join(out, 'site/about/index.html'))).toBe(true)
    expect(fs.readFileSync(path.join(out, 'site/_redirects'), 'utf8')).toContain('/hello/ /posts/welcome/ 301')
    expect(fs.readdirSync(path.join(out, 'email')).sort()).toEqual(['2026-01', '2026-02'])
  }, 240_000)

  it('should name and explain every setting letterpress.yml can hold', () => {
    const text = fs.readFileSync(path.join(site, 'letterpress.yml'), 'utf8')
    const lines = text.split('\n')
    const keyLine = (key: string, indent: string) =>
      lines.findIndex((line) => new RegExp(`^${indent}(# )?(- )?${key}:`).test(line) || new RegExp(`^${indent}# ${key}: \\{`).test(line))
    const newsletter = configSchema.shape.newsletter.unwrap().shape
    for (const [key, indent] of [
      ...Object.keys(configSchema.shape).map((key) => [key, ''] as const),
      ...Object.keys(newsletter).map((key) => [key, '  '] as const)
    ]) {
      const at = keyLine(key, indent)
      expect(at, `${key} in letterpress.yml`).toBeGreaterThan(0)
      // The line above says what it does.
      expect(lines[at - 1], `the comment above ${key}`).toMatch(/^\s*#/)
    }
    expect(text).toContain('# utm: {source: newsletter, medium: email, campaign: monthly}')
    // What is not commented out is valid configuration.
    expect(configSchema.safeParse(parse(text)).success).toBe(true)
  })

  it('should write .gitignore, package.json scripts and a GitHub Pages workflow', () => {
    expect(fs.readFileSync(path.join(site, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['dist/', '.cache/']))
    const pkg = JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8')) as {
      name: string
      scripts: Record<string, string>
      dependencies: Record<string, string>
    }
    expect(pkg.name).toBe('my-letter')
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'check', 'dev', 'issue', 'new'])
    expect(pkg.scripts['build']).toBe('letterpress build')
    expect(pkg.dependencies).toEqual({letterpress: `^${version}`})
    const workflow = parse(fs.readFileSync(path.join(site, '.github/workflows/deploy.yml'), 'utf8')) as {
      permissions: Record<string, string>
      jobs: Record<string, {steps: Array<{uses?: string; run?: string; with?: Record<string, string>}>}>
    }
    expect(workflow.permissions).toMatchObject({pages: 'write', 'id-token': 'write'})
    const steps = workflow.jobs['build']!.steps
    const uses = (name: string) => steps.find((step) => step.uses?.startsWith(`${name}@`))
    expect(uses('actions/cache')?.with?.['path']).toBe('.cache')
    expect(uses('actions/upload-pages-artifact')?.with?.['path']).toBe('dist/site')
    expect(steps.some((step) => /letterpress build --base-url "\$\{\{ steps\.pages\.outputs\.base_url \}\}\/"/.test(step.run ?? ''))).toBe(true)
    expect(workflow.jobs['deploy']!.steps.some((step) => step.uses?.startsWith('actions/deploy-pages@'))).toBe(true)
  })

  it('should refuse a folder that is not empty, saying what is there, and write nothing', () => {
    const dir = path.join(work, 'taken')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n')
    const run = cli(['init', dir])
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('is not empty (it holds notes.txt)')
    expect(run.stderr).toContain('--force')
    expect(listing(dir)).toEqual(['notes.txt'])
  })

  it('should write into the working directory by default, and take a folder holding only .git as empty', () => {
    const dir = path.join(work, 'fresh')
    fs.mkdirSync(path.join(dir, '.git'), {recursive: true})
    const run = cli(['init'], dir)
    expect(run.status, run.stderr).toBe(0)
    expect(fs.existsSync(path.join(dir, 'letterpress.yml'))).toBe(true)
    expect(fs.existsSync(path.join(dir, 'posts/about.md'))).toBe(true)
  })

  it('should with --force add the starter beside what is there, keeping every existing file and naming it', () => {
    const dir = path.join(work, 'forced')
    fs.mkdirSync(path.join(dir, 'posts'), {recursive: true})
    fs.writeFileSync(path.join(dir, 'letterpress.yml'), 'title: Kept\n')
    fs.writeFileSync(path.join(dir, 'posts', 'about.md'), '---\ntitle: My own about\npage: true\n---\n\nKept.\n')
    const run = cli(['init', dir, '--force'])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain('kept what was there: letterpress.yml, posts/about.md')
    expect(fs.readFileSync(path.join(dir, 'letterpress.yml'), 'utf8')).toBe('title: Kept\n')
    expect(fs.readFileSync(path.join(dir, 'posts', 'about.md'), 'utf8')).toContain('My own about')
    expect(fs.existsSync(path.join(dir, 'posts/2026/01/welcome.md'))).toBe(true)
    expect(run.stdout).not.toContain('letterpress.yml')
  })

  it('should with --force keep a letterpress.yaml as the config, writing no letterpress.yml beside it', () => {
    const dir = path.join(work, 'forced-yaml')
    fs.mkdirSync(dir, {recursive: true})
    fs.writeFileSync(path.join(dir, 'letterpress.yaml'), 'title: Kept as yaml\n')
    const run = cli(['init', dir, '--force'])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain('kept what was there: letterpress.yaml')
    expect(fs.existsSync(path.join(dir, 'letterpress.yml'))).toBe(false)
    const check = cli(['check', '--root', dir])
    expect(check.stdout + check.stderr).not.toContain('config-duplicate')
  })

  it('should make a DIR that is a file a usage error', () => {
    const file = path.join(work, 'a-file')
    fs.writeFileSync(file, '')
    const run = cli(['init', file])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('is a file, not a folder')
  })
})

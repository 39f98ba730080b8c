/**
 * SLOW TEST (a few minutes: `npm pack`, then `npm install` of the tarball,
 * which fetches the runtime dependencies the npm cache lacks).
 *
 * The package as a user gets it: packed from a copy of this repository
 * (packing cleans and compiles lib/, which other tests run from), installed
 * into an empty folder without dev dependencies, and run through `npx
 * letterpress`: it starts without TypeScript or esbuild, never compiles or
 * bundles itself, and makes, builds and checks a starter site and an issue.
 */
import {spawnSync, type SpawnSyncReturns} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {projectRoot} from './helpers/site.js'

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-package-'))
const app = path.join(work, 'app')
const installed = path.join(app, 'node_modules', 'letterpress')
const version = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {version: string}).version
const minutes = 60_000

/** The environment of every command: no test epoch (the starter's dates are real), no npm settings of an outer `npm test`. */
function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'SOURCE_DATE_EPOCH' || name.startsWith('npm_')) continue
    env[name] = value
  }
  return {...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false'}
}

function run(command: string, args: string[], cwd: string, timeout = 5 * minutes): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {cwd, encoding: 'utf8', timeout, env: environment()})
  if (result.error) throw result.error
  return result
}

function npx(args: string[], timeout = 3 * minutes): SpawnSyncReturns<string> {
  return run('npx', ['--no-install', 'letterpress', ...args], app, timeout)
}

/** Every file under `dir` with its modification time. */
function stamps(dir: string): Map<string, number> {
  const found = new Map<string, number>()
  for (const relative of fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[]) {
    const stat = fs.statSync(path.join(dir, relative))
    if (stat.isFile()) found.set(relative, stat.mtimeMs)
  }
  return found
}

let tarball = ''
let contents: string[] = []
let libBefore = new Map<string, number>()

beforeAll(() => {
  // A copy of what a clean clone holds (and its installed dependencies), so packing leaves this lib/ alone.
  const source = path.join(work, 'source')
  for (const entry of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'templates', 'starter']) {
    fs.cpSync(path.join(projectRoot, entry), path.join(source, entry), {recursive: true})
  }
  fs.symlinkSync(fs.realpathSync(path.join(projectRoot, 'node_modules')), path.join(source, 'node_modules'), 'dir')
  const packs = path.join(work, 'packs')
  fs.mkdirSync(packs)
  const packed = run('npm', ['pack', '--pack-destination', packs], source, 10 * minutes)
  expect(packed.status, packed.stderr).toBe(0)
  tarball = path.join(packs, `letterpress-${version}.tgz`)
  const listed = run('tar', ['-tzf', tarball], work)
  contents = listed.stdout.trim().split('\n')

  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, 'package.json'), '{"private": true}\n')
  const install = run('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], app, 10 * minutes)
  expect(install.status, install.stderr).toBe(0)
  libBefore = stamps(path.join(installed, 'lib'))
}, 25 * minutes)

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

describe('the packed package (slow)', () => {
  it('should ship the compiled library, its start-up bundle and the starter, but no sources or tests', () => {
    expect(contents).toContain('package/lib/cli.js')
    expect(contents).toContain('package/lib/index.d.ts')
    expect(contents).toContain('package/lib/letterpress.cjs')
    expect(contents).toContain('package/bin/letterpress.js')
    expect(contents).toContain('package/starter/letterpress.yml')
    expect(contents).toContain('package/starter/dot-gitignore')
    expect(contents.filter((file) => /^package\/(src|test)\//.test(file) || file.endsWith('.cache') || file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([])
  })

  it('should install without TypeScript or esbuild', () => {
    expect(fs.existsSync(path.join(app, 'node_modules', 'typescript'))).toBe(false)
    expect(fs.existsSync(path.join(app, 'node_modules', 'esbuild'))).toBe(false)
  })

  it('should run --version, init, build, check and issue through npx, and never compile or bundle itself', () => {
    const shown = npx(['--version'])
    expect(shown.status, shown.stderr).toBe(0)
    expect(shown.stdout.trim()).toBe(version)

    const init = npx(['init', 'site'])
    expect(init.status, init.stderr).toBe(0)
    expect(JSON.parse(fs.readFileSync(path.join(app, 'site', 'package.json'), 'utf8')).dependencies).toEqual({letterpress: `^${version}`})

    const built = npx(['build', '--root', 'site'])
    expect(built.status, built.stderr).toBe(0)
    expect(built.stderr).toMatch(/^build: 2 posts published, \d+ pages, 0 errors, 0 warnings in /m)
    expect(fs.readFileSync(path.join(app, 'site', 'dist', 'site', 'index.html'), 'utf8')).toContain('Welcome to your letter')

    const checked = npx(['check', '--root', 'site'])
    expect(checked.status, checked.stderr).toBe(0)
    expect(checked.stderr).toMatch(/^check: 2 posts published, \d+ pages, 0 errors, 0 warnings in /m)

    const issue = npx(['issue', '2026-02', '--root', 'site'])
    expect(issue.status, issue.stderr).toBe(0)
    expect(fs.readFileSync(path.join(app, 'site', 'dist', 'email', '2026-02', 'issue.html'), 'utf8')).toContain('Tabs, code and notes')

    // Nothing in lib/ was made again; only V8's code cache may have been added beside the bundle.
    const libAfter = stamps(path.join(installed, 'lib'))
    for (const [file, mtime] of libBefore) expect(libAfter.get(file), file).toBe(mtime)
    expect([...libAfter.keys()].filter((file) => !libBefore.has(file))).toEqual(
      [...libAfter.keys()].filter((file) => file === 'letterpress.cjs.cache')
    )
  }, 15 * minutes)
})

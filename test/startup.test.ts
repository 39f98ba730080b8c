/**
 * The start-up bundle (bin/startup.js): lib/ and its dependencies in one
 * script with V8's code cache. It must build exactly what the modules build,
 * keep its cache for the next run, and step aside once lib/ is newer.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {bundleIsCurrent, makeBundle} from '../bin/startup.js'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-startup-'))
const bundle = path.join(work, 'bundle', 'letterpress.cjs')

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

/** A copy of the project's sample site. */
function sampleSite(name: string): string {
  const root = path.join(work, name)
  for (const entry of ['posts', 'issues', 'letterpress.yml']) {
    if (fs.existsSync(path.join(project, entry))) fs.cpSync(path.join(project, entry), path.join(root, entry), {recursive: true})
  }
  return root
}

/** Run the CLI from the test bundle in a fresh process; its exit code and whether V8 took the code cache. */
function fromBundle(args: string[], kind: string): {status: number | null; cached: boolean; stderr: string} {
  const script = `
    import {loadBundle} from ${JSON.stringify(pathToFileURL(path.join(project, 'bin', 'startup.js')).href)}
    const {cli, cached} = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(kind)})
    process.exitCode = await cli.main(${JSON.stringify(args)})
    process.stderr.write('cached=' + cached + '\\n')
  `
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: 120_000})
  return {status: result.status, cached: /cached=true/.test(result.stderr), stderr: result.stderr}
}

describe('the start-up bundle', () => {
  beforeAll(async () => {
    // lib/ is what the bundle is made from (a checkout compiles it on its first run, `npm ci` on install).
    const compiled = spawnSync(process.execPath, [path.join(project, 'bin', 'letterpress.js'), '--version'], {encoding: 'utf8'})
    expect(compiled.status).toBe(0)
    expect(await makeBundle(project, bundle)).toBe(true)
  }, 120_000)

  it('should build the same bytes as lib/ loaded as modules', () => {
    const modules = sampleSite('modules')
    const bundled = sampleSite('bundled')
    const plain = spawnSync(process.execPath, [path.join(project, 'bin', 'letterpress.js'), 'build', '--root', modules], {
      encoding: 'utf8',
      timeout: 120_000,
      env: {...process.env, LETTERPRESS_BUNDLE: '0'}
    })
    expect(plain.status, plain.stderr).toBe(0)
    const run = fromBundle(['build', '--root', bundled], 'build')
    expect(run.status, run.stderr).toBe(0)
    const expected = fileHashes(path.join(modules, 'dist'))
    expect(expected.size).toBeGreaterThan(20)
    expect(fileHashes(path.join(bundled, 'dist'))).toEqual(expected)
  }, 240_000)

  it('should keep V8’s code cache after a run and take it on the next', () => {
    fs.rmSync(`${bundle}.cache`, {force: true})
    expect(fromBundle(['--version'], 'other').cached).toBe(false)
    expect(fs.existsSync(`${bundle}.cache`)).toBe(true)
    expect(fromBundle(['--version'], 'other').cached).toBe(true)

    // A cache that does not match the bundle (here: one byte of it changed) is turned down and made again.
    const stored = fs.readFileSync(`${bundle}.cache`)
    stored[3] = stored[3] === 0x30 ? 0x31 : 0x30
    fs.writeFileSync(`${bundle}.cache`, stored)
    expect(fromBundle(['--version'], 'other').cached).toBe(false)
    expect(fromBundle(['--version'], 'other').cached).toBe(true)
  }, 120_000)

  it('should not be used once a module of lib/ or an install is newer', () => {
    const root = path.join(work, 'stale')
    fs.mkdirSync(path.join(root, 'lib', 'email'), {recursive: true})
    const at = (file: string, seconds: number) => {
      fs.writeFileSync(path.join(root, 'lib', file), '')
      fs.utimesSync(path.join(root, 'lib', file), seconds, seconds)
    }
    expect(bundleIsCurrent(root)).toBe(false)
    at('cli.js', 1000)
    at('email/issue.js', 1000)
    at('letterpress.cjs', 2000)
    expect(bundleIsCurrent(root)).toBe(true)
    at('email/issue.js', 3000)
    expect(bundleIsCurrent(root)).toBe(false)
    at('letterpress.cjs', 4000)
    expect(bundleIsCurrent(root)).toBe(true)
    // An install since (npm rewrites its lock files) may have changed the dependencies it holds.
    fs.mkdirSync(path.join(root, 'node_modules'))
    fs.writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), '{}')
    fs.utimesSync(path.join(root, 'node_modules', '.package-lock.json'), 5000, 5000)
    expect(bundleIsCurrent(root)).toBe(false)
  })
})

/**
 * The bytes letterpress writes, pinned: the sample site and a generated
 * 200-post site are built with the CLI (at a fixed SOURCE_DATE_EPOCH) and
 * every file of OUT is compared, by sha256, with the manifest under
 * test/fixtures/output/. A change to the pipeline's shape must leave these
 * untouched; a change meant to alter output shows here file by file, and the
 * manifest is then refreshed with `npx vitest run test/output-stability -u`
 * after the changed pages have been looked at.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {fileHashes} from './helpers/files.js'
import {writeGeneratedSite} from './helpers/generated-site.js'
import {projectRoot} from './helpers/site.js'

const bin = path.join(projectRoot, 'bin', 'letterpress.js')
const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, {recursive: true, force: true})
})

function buildManifest(root: string): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-stability-'))
  made.push(out)
  const run = spawnSync(process.execPath, [bin, 'build', '--root', root, '--out', path.join(out, 'out')], {
    encoding: 'utf8',
    env: {...process.env, SOURCE_DATE_EPOCH: '1796601600', NO_COLOR: '1'},
  })
  expect(run.status, run.stderr).toBe(0)
  const hashes = [...fileHashes(path.join(out, 'out'))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return hashes.map(([file, hash]) => `${hash.slice(0, 32)}  ${file}`).join('\n') + '\n'
}

describe('output stability', () => {
  it('should write the sample site byte for byte as the manifest records', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-sample-'))
    made.push(root)
    fs.cpSync(path.join(projectRoot, 'posts'), path.join(root, 'posts'), {recursive: true})
    fs.copyFileSync(path.join(projectRoot, 'letterpress.yml'), path.join(root, 'letterpress.yml'))
    await expect(buildManifest(root)).toMatchFileSnapshot('fixtures/output/sample-site.txt')
  }, 120_000)

  it('should write a generated 200-post site byte for byte as the manifest records', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-generated-'))
    made.push(root)
    writeGeneratedSite(root, 200)
    await expect(buildManifest(root)).toMatchFileSnapshot('fixtures/output/generated-200.txt')
  }, 300_000)
})

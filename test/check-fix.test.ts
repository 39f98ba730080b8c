/**
 * `check` on a post written for MkDocs: every place CommonMark reads
 * differently from Python-Markdown, and every safe repair, is a warning at
 * its line and column; `check --fix` repairs them in place after a backup,
 * and the repaired post then renders as Python-Markdown rendered the
 * original (compared as element names and text). The reference HTML is
 * committed (test/fixtures/check-fix/mkdocs-post/expected.html, from
 * ../shared/tools/mkdocs-reference.py); one test also runs that tool live
 * when it and its Python modules are there. Driven through the CLI.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {repairMojibake} from '../src/source/encoding.js'
import {mkdocsReference, normalizeHtml, python} from './helpers/fixtures.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const fixture = path.join(project, 'test', 'fixtures', 'check-fix', 'mkdocs-post')
const post = 'posts/2026/notes.md'
const rules = new Set(['pymd-emphasis', 'pymd-mailto-space', 'pymd-html-block', 'date-human', 'path-backslash', 'encoding-mojibake'])

interface Found {
  file: string
  line: number
  column: number
  severity: string
  rule: string
  message: string
}

let root: string
const original = fs.readFileSync(path.join(fixture, 'input.md'))

function run(args: string[], cwd = root, timeout = 60_000) {
  const result = spawnSync(process.execPath, [bin, ...args], {cwd, encoding: 'utf8', timeout})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

function checkJson(cwd = root): {code: number | null; found: Found[]} {
  const result = run(['check', '--format', 'json'], cwd)
  return {code: result.code, found: JSON.parse(result.stdout) as Found[]}
}

function makeRoot(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-fix-'))
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), {recursive: true})
    fs.writeFileSync(path.join(dir, relative), content)
  }
  return dir
}

/** Element names and text, whitespace folded: the structure a reader sees. */
function structure(html: string): string {
  return normalizeHtml(html, {collapseWhitespace: true, withoutAttributes: true})
}

let before: {code: number | null; found: Found[]}
let fixed: ReturnType<typeof run>
let after: {code: number | null; found: Found[]}

beforeAll(() => {
  root = makeRoot({[post]: original, 'posts/2026/img/loss.png': 'png', 'posts/2026/chart.png': 'png'})
  // Compile once up front (the CLI builds lib/ when src/ is newer), so no check below waits on it.
  run(['--version'], undefined, 110_000)
  before = checkJson()
  fixed = run(['check', '--fix'])
  after = checkJson()
})

afterAll(() => {
  fs.rmSync(root, {recursive: true, force: true})
})

describe('check on a post written for MkDocs', () => {
  it('should warn at each place that would render differently, with its own rule, at line and column', () => {
    const places = before.found.filter((item) => rules.has(item.rule)).map((item) => [item.rule, item.line, item.column])
    expect(places).toEqual([
      ['date-human', 3, 7],
      ['pymd-emphasis', 6, 39],
      ['pymd-emphasis', 8, 1],
      ['pymd-mailto-space', 10, 21],
      ['pymd-html-block', 12, 1],
      ['path-backslash', 16, 1],
      ['path-backslash', 16, 37],
      ['pymd-html-block', 20, 3],
      ['pymd-emphasis', 25, 25],
      ['encoding-mojibake', 29, 8]
    ])
    expect(before.found.every((item) => item.severity === 'warning')).toBe(true)
    expect(before.code).toBe(0)
  })
})

describe('check --fix', () => {
  it('should say what it changed in the post and where the original is', () => {
    expect(fixed.code).toBe(0)
    expect(fixed.stderr).toMatch(
      /^fixed posts\/2026\/notes\.md: encoding-mojibake, date-human, pymd-emphasis ×3, pymd-mailto-space, pymd-html-block ×2, path-backslash ×2 \(original in \.cache\/letterpress\/backup\/[^/]+\/posts\/2026\/notes\.md\)$/m
    )
  })

  it('should keep the original byte for byte in the backup', () => {
    const backup = /original in (\S+)\)/.exec(fixed.stderr)![1]!
    expect(fs.readFileSync(path.join(root, backup)).equals(original)).toBe(true)
  })

  it('should leave nothing of those rules for check to report', () => {
    expect(after.found.filter((item) => rules.has(item.rule))).toEqual([])
    expect(after.code).toBe(0)
  })

  it('should make the post render as Python-Markdown rendered the original', () => {
    const rendered = run(['render', post])
    expect(rendered.code, rendered.stderr).toBe(0)
    // Python-Markdown shows mojibake as it is; letterpress repairs it on load, and the fix writes that repair.
    const reference = repairMojibake(fs.readFileSync(path.join(fixture, 'expected.html'), 'utf8')).text
    expect(structure(rendered.stdout)).toBe(structure(reference))
  })

  it('should find nothing more to fix on a second run, and change nothing', () => {
    const text = fs.readFileSync(path.join(root, post))
    const again = run(['check', '--fix'])
    expect(again.stderr).toContain('check --fix: nothing to fix')
    expect(fs.readFileSync(path.join(root, post)).equals(text)).toBe(true)
  })

  it('should exit as check does: 1 when errors remain, after fixing what it can', () => {
    const broken = makeRoot({'posts/undated.md': '---\ntitle: Undated\n---\n\nSee **Note:**this.\n'})
    try {
      const result = run(['check', '--fix'], broken)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('date-missing')
      expect(fs.readFileSync(path.join(broken, 'posts/undated.md'), 'utf8')).toContain('See <strong>Note:</strong>this.')
    } finally {
      fs.rmSync(broken, {recursive: true, force: true})
    }
  })
})

const live =
  fs.existsSync(mkdocsReference) &&
  fs.existsSync(python) &&
  spawnSync(python, ['-c', 'import markdown, pymdownx'], {stdio: 'ignore'}).status === 0

describe('check --fix against Python-Markdown, live', () => {
  it.skipIf(!live)('should render the fixed post as the reference tool renders the original', () => {
    const dir = makeRoot({'original.md': original})
    try {
      const reference = spawnSync(python, [mkdocsReference, path.join(dir, 'original.md')], {encoding: 'utf8', timeout: 60_000})
      expect(reference.status, reference.stderr).toBe(0)
      const rendered = run(['render', post])
      expect(structure(rendered.stdout)).toBe(structure(repairMojibake(reference.stdout).text))
    } finally {
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })
})

/**
 * The CLI as a user runs it: `node bin/letterpress.js ...` from another
 * folder, with the contract's output formats and exit codes.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
let work: string

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {cwd: work, encoding: 'utf8', input, timeout: 60_000})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

function write(relative: string, content: string) {
  const file = path.join(work, relative)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, content)
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-cli-'))
  // Compile once up front so the tests below measure the CLI, not tsc.
  run(['--version'])
})

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

describe('letterpress render', () => {
  it('should print the web fragment of a file given from another folder', () => {
    write('one.md', '---\ntitle: One\n---\n\n!!! tip "Pin it"\n    Seeds *matter*.\n')
    const {code, stdout} = run(['render', 'one.md'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/<div class="admonition tip">\s*<p class="admonition-title">Pin it<\/p>/)
    expect(stdout).toContain('<em>matter</em>')
    expect(stdout).not.toContain('title: One')
  })

  it('should read standard input with -', () => {
    const {code, stdout} = run(['render', '-'], '# Hello\n')
    expect(code).toBe(0)
    expect(stdout).toMatch(/<h1[^>]*>Hello/)
  })

  it('should repair mojibake and say where on stderr', () => {
    write('moji.md', 'It\u201a\u00c4\u00f4s fine.\n')
    const {code, stdout, stderr} = run(['render', 'moji.md'])
    expect(code).toBe(0)
    expect(stdout).toContain('It’s fine.')
    expect(stderr).toMatch(/^moji\.md:1:3 {2}warning {2}.*encoding-mojibake$/m)
  })

  it('should refuse a missing file with a usage error and no stack trace', () => {
    const {code, stderr} = run(['render', 'nope.md'])
    expect(code).toBe(2)
    expect(stderr).toContain('cannot read nope.md')
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('should exit 2 on an unknown command or option', () => {
    expect(run(['publish']).code).toBe(2)
    expect(run(['check', '--bogus']).code).toBe(2)
  })
})

describe('letterpress check', () => {
  it('should list every problem as file:line:column, severity, message and rule, then a summary', () => {
    write('site/posts/a.md', '---\ntitle: A\ndate: 2026-13-45\n---\n\n![x](missing.png)\n')
    write('site/posts/b.md', '---\ntitle: B\n---\n\nNo date here.\n')
    const {code, stdout, stderr} = run(['check', '--root', 'site'])
    expect(code).toBe(1)
    const lines = stdout.trim().split('\n')
    expect(lines).toContainEqual(expect.stringMatching(/^posts\/a\.md:3:7 {2}error {2}.+ {2}frontmatter-date-invalid$/))
    expect(lines).toContainEqual(expect.stringMatching(/^posts\/a\.md:6:1 {2}warning {2}Image `missing\.png` not found.+ {2}image-missing$/))
    expect(lines).toContainEqual(expect.stringMatching(/^posts\/b\.md:1:1 {2}error {2}No date.+ {2}date-missing$/))
    expect(stderr).toMatch(/check: 2 posts, \d+ errors?, \d+ warnings? in [\d.]+ s/)
  })

  it('should print one JSON array in the contract’s shape with --format json', () => {
    const {code, stdout} = run(['check', '--root', 'site', '--format', 'json'])
    expect(code).toBe(1)
    const list = JSON.parse(stdout) as Array<Record<string, unknown>>
    expect(list.length).toBeGreaterThan(0)
    for (const item of list) {
      expect(Object.keys(item).sort()).toEqual(['column', 'file', 'line', 'message', 'rule', 'severity'])
      expect(item.rule).toMatch(/^[a-z]+(-[a-z0-9]+)*$/)
    }
  })

  it('should exit 0 with warnings only, and 1 with --strict', () => {
    write('warn/posts/a.md', '---\ntitle: A\ndate: 2026-01-02\n---\n\n![x](gone.png)\n')
    expect(run(['check', '--root', 'warn']).code).toBe(0)
    const strict = run(['check', '--root', 'warn', '--strict'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(/ {2}error {2}.+image-missing/)
  })

  it('should write nothing', () => {
    const before = fs.readdirSync(path.join(work, 'warn')).sort()
    run(['check', '--root', 'warn'])
    expect(fs.readdirSync(path.join(work, 'warn')).sort()).toEqual(before)
  })

  it('should report nothing on the project’s own sample site', () => {
    const {code, stdout} = run(['check', '--root', project, '--format', 'json'])
    expect(code).toBe(0)
    const list = JSON.parse(stdout) as Array<{rule: string; file: string}>
    expect(list).toEqual([])
  })
})

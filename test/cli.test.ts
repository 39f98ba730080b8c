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
    // Posts without a valid date are drafts: nothing is published, and check says so as build would.
    expect(stderr).toMatch(/check: 0 posts published, 2 drafts not published, 0 pages, 2 errors, \d+ warnings? in [\d.]+ s/)
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

  it('should refuse nested YAML aliases at the alias instead of expanding them', () => {
    // Nine levels of nine aliases: 387 million values if expanded, which took minutes and gigabytes.
    const names = 'abcdefghi'
    const keys = [...names].map((name, index) =>
      index === 0 ? 'a: &a [x, x, x, x, x, x, x, x, x]' : `${name}: &${name} [${Array(9).fill(`*${names[index - 1]}`).join(', ')}]`
    )
    write('laughs/letterpress.yml', 'title: Laughs\nbaseUrl: https://laughs.example.org/\nnewsletter:\n  from: Laughs <letters@laughs.example.org>\n')
    write('laughs/posts/laughs.md', `---\ntitle: Laughs\ndate: 2026-01-06\n${keys.join('\n')}\n---\n\nText.\n`)
    const {code, stdout} = run(['check', '--root', 'laughs'])
    expect(code).toBe(1)
    expect(stdout.trim().split('\n')).toEqual([
      'posts/laughs.md:7:8  error  Too many YAML aliases: `*c` stands for 91 and takes the expansion past 100; ' +
        'write the values out instead of nesting aliases  frontmatter-yaml'
    ])
  })

  it('should print each message on one line, escaping line breaks in what it quotes', () => {
    write('breaks/letterpress.yml', 'title: Breaks\nbaseUrl: https://breaks.example.org/\nnewsletter:\n  from: Breaks <letters@breaks.example.org>\n')
    write('breaks/posts/breaks.md', '---\ntitle: Breaks\ndate: 2026-01-02\n---\n\nSee [it](lost%0Afile.md).\n')
    const {code, stdout} = run(['check', '--root', 'breaks'])
    expect(code).toBe(0)
    expect(stdout.trimEnd().split('\n')).toEqual([
      'posts/breaks.md:6:5  warning  Link to `lost%0Afile.md`: no such post (looked for posts/lost\\nfile.md)  link-missing'
    ])
  })

  it('should report nothing on the project’s own sample site', () => {
    const {code, stdout} = run(['check', '--root', project, '--format', 'json'])
    expect(code).toBe(0)
    const list = JSON.parse(stdout) as Array<{rule: string; file: string}>
    expect(list).toEqual([])
  })
})

describe('a ROOT that is not a site', () => {
  const commands: string[][] = [
    ['build'],
    ['check'],
    ['issue', '2026-01'],
    ['new', 'A title'],
    ['send', '2026-01', '--to', 'reader@example.com', '--smtp', 'smtp://127.0.0.1:9'],
    ['dev', '--port', '0']
  ]

  it.each(commands)('should make a missing --root a usage error that creates nothing (%s)', (...command) => {
    const missing = path.join(work, 'typo')
    const {code, stderr} = run([...command, '--root', missing])
    expect(code, stderr).toBe(2)
    expect(stderr).toBe(`letterpress: no such folder: ${missing} (the site's ROOT, from --root or the working directory)\n`)
    expect(fs.existsSync(missing)).toBe(false)
  })

  it.each([['build'], ['check']])('should say that a ROOT without posts/ has no posts, exit 1 and write nothing (%s)', (command) => {
    fs.mkdirSync(path.join(work, 'bare'), {recursive: true})
    const {code, stdout, stderr} = run([command!, '--root', 'bare'])
    expect(code).toBe(1)
    expect(stdout + stderr).toMatch(/^posts:1:1 {2}error {2}ROOT has no posts\/ folder \(.+\/bare\/posts does not exist\): nothing to publish; check --root, or create posts\/ for the posts {2}posts-missing$/m)
    expect(fs.readdirSync(path.join(work, 'bare'))).toEqual([])
  })
})

describe('usage mistakes', () => {
  const mistakes: Array<[string, string[], RegExp]> = [
    ['a month that is no month', ['issue', '2026-13', '--root', 'usage'], /^letterpress: expected a month as YYYY-MM, got 2026-13$/],
    ['an unknown --format', ['check', '--format', 'xml', '--root', 'usage'], /^error: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, json\.$/],
    ['a missing month', ['issue', '--root', 'usage'], /^error: missing required argument 'month'$/],
    ['a --port that is not a port', ['dev', '--port', '70000', '--root', 'usage'], /^letterpress: --port must be a number from 0 to 65535, got 70000$/],
    ['a --base-url that is not absolute', ['build', '--base-url', 'notes.example', '--root', 'usage'], /^letterpress: --base-url must be an absolute http\(s\) URL, got notes\.example$/],
    ['a --timeout that is not seconds', ['send', '2026-01', '--to', 'reader@example.com', '--smtp', 'smtp://127.0.0.1:9', '--timeout', 'soon', '--root', 'usage'], /^letterpress: --timeout must be a number of seconds, got soon$/]
  ]

  it.each(mistakes)('should exit 2 with one line saying what is wrong: %s', (_name, args, message) => {
    write('usage/posts/a.md', '---\ntitle: A\ndate: 2026-01-02\n---\n\nText.\n')
    const {code, stdout, stderr} = run(args)
    expect(code, stderr).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.split('\n')[0]).toMatch(message)
    expect(stderr).not.toMatch(/^\s+at /m)
  })
})

describe('the config file under another name', () => {
  it('should read letterpress.yaml as letterpress.yml, and build again when it changes', () => {
    write('yaml/posts/a.md', '---\ntitle: A\ndate: 2026-01-02\n---\n\nText.\n')
    write('yaml/letterpress.yaml', 'title: Yaml Notes\nbaseUrl: https://yaml.example/\n')
    const first = run(['build', '--root', 'yaml'])
    expect(first.code, first.stderr).toBe(0)
    expect(fs.readFileSync(path.join(work, 'yaml/dist/site/index.html'), 'utf8')).toContain('Yaml Notes')
    write('yaml/letterpress.yaml', 'title: Renamed Notes\nbaseUrl: https://yaml.example/\n')
    const second = run(['build', '--root', 'yaml'])
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).not.toContain('nothing changed')
    expect(fs.readFileSync(path.join(work, 'yaml/dist/site/index.html'), 'utf8')).toContain('Renamed Notes')
  })

  it('should name letterpress.yaml in what it says of its settings', () => {
    write('yaml-start/posts/a.md', '---\ntitle: A\ndate: 2026-01-02\n---\n\nText.\n')
    write('yaml-start/letterpress.yaml', 'title: Yaml Notes\nnewsletter:\n  start: 2026-02\n')
    const {code, stderr} = run(['issue', '2026-01', '--root', 'yaml-start'])
    expect(code).toBe(2)
    expect(stderr).toBe('letterpress: No issue for 2026-01: issues start at 2026-02 (`newsletter.start` in letterpress.yaml); set an earlier `newsletter.start` to build it\n')
  })
})

describe('letterpress send with a bad --smtp', () => {
  it('should be a usage error naming a broken %-escape in the password, without printing it', () => {
    write('mail/posts/a.md', '---\ntitle: A\ndate: 2026-01-02\n---\n\nText.\n')
    const {code, stderr} = run(['send', '2026-01', '--root', 'mail', '--to', 'reader@example.com', '--smtp', 'smtp://user:pa%ZZs@127.0.0.1:9'])
    expect(code).toBe(2)
    expect(stderr).toBe('letterpress: the password in the SMTP URL has a broken %-escape: write a % in it as %25\n')
    expect(stderr).not.toContain('pa%ZZs')
  })

  it('should be a usage error for a scheme other than smtp:// or smtps://', () => {
    const {code, stderr} = run(['send', '2026-01', '--root', 'mail', '--to', 'reader@example.com', '--smtp', 'http://127.0.0.1:9'])
    expect(code).toBe(2)
    expect(stderr).toBe('letterpress: the SMTP URL must start with smtp:// or smtps://, not http://\n')
  })
})

/**
 * What the command line shows while and after it works, as a person sees it
 * on a terminal (run under a pseudo-terminal with util-linux `script`) and
 * as a CI log or a pipe gets it: progress, colour, `--quiet`, `--verbose`
 * and `--format json`.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {colorWanted, type CliIo} from '../src/cli/io.js'
import {Output} from '../src/cli/output.js'
import {formatStages, startProgress} from '../src/cli/progress.js'
import {formatText, type Diagnostic} from '../src/source/report.js'
import {writeGeneratedSite} from './helpers/generated-site.js'
import {projectRoot} from './helpers/site.js'

const bin = path.join(projectRoot, 'bin', 'letterpress.js')
const escape = '\x1b'

/** A stream that keeps what is written to it. */
function captured(terminal: boolean, columns = 80) {
  const chunks: string[] = []
  const colors = {} as never
  return {chunks, text: () => chunks.join(''), stream: {write: (text: string) => void chunks.push(text), terminal, known: true, columns, colors}}
}

describe('progress', () => {
  it('should redraw one line in place on a terminal, with done/total, rate and time left, and erase it at the end', () => {
    let now = 0
    const out = captured(true)
    const progress = startProgress(out.stream, {mode: 'live', intervalMs: 5000, now: () => now})
    progress.update({step: 'load', done: 0, total: 200})
    now = 2000
    progress.update({step: 'load', done: 100, total: 200})
    now = 3000
    progress.update({step: 'pages', done: 10})
    progress.finish()
    const text = out.text()
    expect(text).toContain('\rreading posts 100/200 (50%), 50/s, about 2 s left')
    expect(text).toContain('\rrendering pages 10')
    expect(text).not.toContain('\n')
    expect(text).not.toContain(escape)
    // A shorter line is padded over the longer one; the last write blanks the line and returns to its start.
    expect(text).toContain(`\rrendering pages 10${' '.repeat('reading posts 100/200 (50%), 50/s, about 2 s left'.length - 'rendering pages 10'.length)}`)
    expect(text.endsWith(`\r${' '.repeat('rendering pages 10'.length)}\r`)).toBe(true)
  })

  it('should show nothing of a run shorter than its delay', () => {
    let now = 0
    const live = captured(true)
    const lines = captured(false)
    const a = startProgress(live.stream, {mode: 'live', intervalMs: 5000, now: () => now})
    const b = startProgress(lines.stream, {mode: 'lines', intervalMs: 5000, now: () => now})
    for (let done = 0; done <= 40; done++) {
      now = done * 10
      a.update({step: 'load', done, total: 40})
      b.update({step: 'load', done, total: 40})
    }
    a.finish()
    b.finish()
    expect(live.text()).toBe('')
    expect(lines.text()).toBe('')
  })

  it('should write plain lines off a terminal: after the interval, then every interval or every tenth', () => {
    let now = 0
    const out = captured(false)
    const progress = startProgress(out.stream, {mode: 'lines', intervalMs: 5000, now: () => now})
    // 1,000 posts over 100 s: a line every tenth (10 s apart), never one per post.
    for (let done = 0; done <= 1000; done++) {
      now = done * 100
      progress.update({step: 'load', done, total: 1000})
    }
    // A stage with no counts that runs long: a line every interval saying how long so far.
    progress.update({step: 'write'})
    now += 6000
    progress.update({step: 'write'})
    progress.finish()
    const lines = out.text().trimEnd().split('\n')
    expect(lines[0]).toBe('reading posts 50/1000 (5%), 10/s, about 1 min 35 s left')
    expect(lines).toContain('reading posts 100/1000 (10%), 10/s, about 1 min 30 s left')
    expect(lines.at(-1)).toBe('writing (6 s)')
    expect(lines.length).toBeGreaterThan(10)
    expect(lines.length).toBeLessThan(30)
    expect(out.text()).not.toMatch(/[\r\x1b]/)
  })

  it('should keep each stage’s time and counts, merged when a stage comes back', () => {
    let now = 0
    const out = captured(false)
    const progress = startProgress(out.stream, {mode: 'none', intervalMs: 5000, now: () => now})
    progress.update({step: 'load'})
    now = 500
    progress.update({step: 'parse', done: 10, total: 10})
    now = 1500
    progress.update({step: 'load', done: 10, total: 10})
    now = 2000
    progress.update({step: 'pages', done: 30, total: 30, reused: 20})
    now = 2250
    const records = progress.finish()
    expect(records).toEqual([
      {step: 'load', label: 'reading posts', seconds: 1, done: 10, total: 10},
      {step: 'parse', label: 'parsing posts in worker threads', seconds: 1, done: 10, total: 10},
      {step: 'pages', label: 'rendering pages', seconds: 0.25, done: 30, total: 30, reused: 20}
    ])
    expect(formatStages(records).split('\n')).toEqual([
      'reading posts: 10 posts in 1.00 s',
      'parsing posts in worker threads: 10 posts in 1.00 s',
      'rendering pages: 30 pages (20 from the cache or OUT) in 0.25 s'
    ])
    expect(out.text()).toBe('')
  })
})

describe('colour', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, {TERM: 'dumb'}, false],
    [true, {NO_COLOR: '1'}, false],
    [true, {NO_COLOR: ''}, true],
    [false, {FORCE_COLOR: '1'}, true],
    [false, {FORCE_COLOR: ''}, true],
    [true, {FORCE_COLOR: '0'}, false],
    [false, {FORCE_COLOR: '1', NO_COLOR: '1'}, false]
  ])('terminal %s with %j: colour %s', (terminal, env, wanted) => {
    expect(colorWanted(terminal, env)).toBe(wanted)
  })
})

describe('messages', () => {
  const message = (file: string, line: number, rule: string, severity: Diagnostic['severity'] = 'warning'): Diagnostic => ({
    file,
    line,
    column: 1,
    severity,
    rule,
    message: `Something about line ${line}`
  })
  const many = [
    ...Array.from({length: 8}, (_, at) => message('posts/a.md', at + 1, 'link-missing')),
    message('posts/b.md', 3, 'image-missing'),
    message('posts/b.md', 4, 'frontmatter-date-invalid', 'error'),
    message('posts/c.md', 1, 'link-missing')
  ]
  function run(terminal: boolean, env: Record<string, string>, options: {quiet?: boolean} = {}) {
    let stdout = ''
    let stderr = ''
    const io: CliIo = {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      stdin: async () => new Uint8Array(),
      stdoutTerminal: terminal,
      stderrTerminal: terminal,
      env
    }
    new Output(io, options).messages(many, 'stdout')
    return {stdout, stderr}
  }

  it('should print the lines of `check` unchanged in a pipe, and count many by rule on stderr', () => {
    const {stdout, stderr} = run(false, {})
    expect(stdout).toBe(formatText(many) + '\n')
    expect(stderr).toBe('messages by rule:\n    9  link-missing\n    1  frontmatter-date-invalid\n    1  image-missing\n')
  })

  it('should group many messages by file on a terminal, and colour severities and locations', () => {
    const {stdout} = run(true, {})
    expect(stdout).toContain(`${escape}[36mposts/a.md:1:1${escape}[39m  ${escape}[33mwarning${escape}[39m`)
    expect(stdout).toMatch(/frontmatter-date-invalid.*\n\n.*posts\/c\.md:1:1/)
    expect(stdout.replace(/\x1b\[\d+m/g, '').split('\n\n').map((group) => group.trim().split('\n').length)).toEqual([8, 2, 1])
  })

  it('should colour nothing on a terminal under NO_COLOR, and show errors only with --quiet', () => {
    expect(run(true, {NO_COLOR: '1'}).stdout).not.toContain(escape)
    const quiet = run(false, {}, {quiet: true})
    expect(quiet.stdout).toBe(formatText(many.filter((item) => item.severity === 'error')) + '\n')
    expect(quiet.stderr).toBe('')
  })
})

const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0

describe('the command line on a terminal and in a pipe', () => {
  let work: string
  let site: string
  let small: string
  /** A fresh OUT each time, so no build is a warm no-op that renders nothing. */
  let outs = 0
  const freshOut = () => path.join(work, `out-${++outs}`)
  /**
   * The environment of a run: no colour setting from the test runner's own,
   * and a day between progress lines (so a short run prints none however
   * slow the machine) unless a test sets another.
   */
  const baseEnv = () => {
    const env: Record<string, string | undefined> = {...process.env, TERM: 'xterm-256color', LETTERPRESS_PROGRESS_INTERVAL: '86400'}
    delete env.NO_COLOR
    delete env.FORCE_COLOR
    delete env.LETTERPRESS_TIMINGS
    return env
  }

  function piped(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [bin, ...args], {cwd: work, encoding: 'utf8', env: {...baseEnv(), ...env}, timeout: 240_000})
    return {code: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  /** Run under a pseudo-terminal: stdout and stderr are one terminal, and what it shows is the output. */
  function onTerminal(args: string[], env: Record<string, string> = {}) {
    const command = [process.execPath, bin, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ')
    const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: work,
      encoding: 'utf8',
      env: {...baseEnv(), ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000
    })
    return {code: result.status, output: result.stdout}
  }

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-output-'))
    site = writeGeneratedSite(path.join(work, 'generated'), 20)
    small = path.join(work, 'small')
    fs.mkdirSync(path.join(small, 'posts'), {recursive: true})
    fs.writeFileSync(path.join(small, 'letterpress.yml'), 'title: Small\nbaseUrl: https://small.example/\nnewsletter:\n  from: Small <letters@small.example>\n')
    fs.writeFileSync(path.join(small, 'posts', 'a.md'), '---\ntitle: A\ndate: 2026-01-02\n---\n\n![x](gone.png)\n')
    // Compile once up front, so the runs below time the CLI, not tsc.
    piped(['--version'])
  }, 240_000)

  afterAll(() => {
    if (work) fs.rmSync(work, {recursive: true, force: true})
  })

  it.skipIf(!hasScript)('should show one live line with counts on a terminal, colour the warnings, and end on the summary', () => {
    const {code, output} = onTerminal(['build', '--root', site, '--out', freshOut()], {LETTERPRESS_PROGRESS_INTERVAL: '0.01'})
    expect(code, output).toBe(0)
    expect(output).toMatch(/\r(reading posts|rendering issues|rendering posts|rendering pages) \d+\/\d+ \(\d+%\)/)
    expect(output).toContain(`${escape}[33mwarning${escape}[39m`)
    // Every live line is erased before the messages and the summary, which end the output.
    const lastLine = output.replace(/\r\n/g, '\n').trimEnd().split('\n').at(-1)!
    expect(lastLine).toMatch(/^build: 18 posts published, 2 drafts not published, \d+ pages, 0 errors, .*2 warnings.* in [\d.]+ s -> /)
  }, 240_000)

  it.skipIf(!hasScript)('should write no escape code at all on a terminal under NO_COLOR', () => {
    const {code, output} = onTerminal(['build', '--root', site, '--out', freshOut()], {NO_COLOR: '1', LETTERPRESS_PROGRESS_INTERVAL: '0.01'})
    expect(code, output).toBe(0)
    expect(output).toMatch(/\r(reading posts|rendering \w+) \d+/)
    expect(output).not.toContain(escape)
  }, 240_000)

  it('should write plain progress lines to a pipe now and then, with no control character', () => {
    const {code, stderr} = piped(['build', '--root', site, '--out', freshOut()], {LETTERPRESS_PROGRESS_INTERVAL: '0.01'})
    expect(code, stderr).toBe(0)
    expect(stderr).toMatch(/^(reading posts|rendering issues|rendering posts|rendering pages) \d+\/\d+ \(\d+%\)/m)
    expect(stderr).not.toMatch(/[\r\x1b]/)
    expect(stderr).toMatch(/^build: 18 posts published, 2 drafts not published, \d+ pages, 0 errors, 2 warnings in [\d.]+ s -> /m)
  }, 240_000)

  it('should keep a short run to its messages and one summary line, and colour them under FORCE_COLOR', () => {
    const plain = piped(['build', '--root', small, '--out', freshOut()])
    expect(plain.code, plain.stderr).toBe(0)
    expect(plain.stderr.trimEnd().split('\n')).toEqual([
      'posts/a.md:6:1  warning  Image `gone.png` not found (looked for posts/gone.png)  image-missing',
      expect.stringMatching(/^build: 1 post published, \d+ pages, 0 errors, 1 warning in [\d.]+ s -> /)
    ])
    const forced = piped(['build', '--root', small, '--out', freshOut()], {FORCE_COLOR: '1'})
    expect(forced.stderr).toContain(`${escape}[33mwarning${escape}[39m`)
    expect(forced.stderr).toContain(`${escape}[36mposts/a.md:6:1${escape}[39m`)
  }, 240_000)

  it('should print errors and the summary only with --quiet', () => {
    fs.writeFileSync(path.join(small, 'posts', 'b.md'), '---\ntitle: B\n---\n\nNo date.\n')
    try {
      const {code, stderr} = piped(['build', '--root', small, '--out', freshOut(), '--quiet'], {LETTERPRESS_PROGRESS_INTERVAL: '0.01'})
      expect(code).toBe(1)
      expect(stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^posts\/b\.md:1:1 {2}error {2}No date.+ {2}date-missing$/),
        expect.stringMatching(/^build: \d+ posts? published(, [^,]+ not published)?, \d+ pages, 1 error, 1 warning in [\d.]+ s; nothing written$/)
      ])
    } finally {
      fs.rmSync(path.join(small, 'posts', 'b.md'))
    }
  }, 240_000)

  it('should refuse --quiet with --verbose as a usage error', () => {
    const {code, stderr} = piped(['check', '--root', small, '--quiet', '--verbose'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/cannot be used with option '--verbose'/)
  })

  it('should say how long each stage took and what it reused with --verbose', () => {
    const {code, stderr} = piped(['build', '--root', site, '--out', freshOut(), '--verbose'])
    expect(code, stderr).toBe(0)
    expect(stderr).toMatch(/^reading posts: 20 posts in [\d.]+ s$/m)
    expect(stderr).toMatch(/^rendering issues: \d+ issues \(\d+ from the cache\) in [\d.]+ s$/m)
    expect(stderr).toMatch(/^rendering pages: \d+ pages \(\d+ from the cache or OUT\) in [\d.]+ s$/m)
    expect(stderr).toMatch(/^writing: \d+ files \(\d+ unchanged\) in [\d.]+ s$/m)
  }, 240_000)

  it('should give the same messages from build --format json as from check --format json, with a summary', () => {
    const checked = piped(['check', '--root', site, '--format', 'json'])
    const out = freshOut()
    const built = piped(['build', '--root', site, '--out', out, '--format', 'json'])
    expect(built.code, built.stderr).toBe(0)
    const messages = JSON.parse(checked.stdout) as Diagnostic[]
    expect(messages.map((item) => item.rule)).toEqual(['link-missing', 'link-missing'])
    const document = JSON.parse(built.stdout) as {messages: Diagnostic[]; summary: Record<string, unknown>}
    expect(document.messages).toEqual(messages)
    expect(document.summary).toMatchObject({command: 'build', posts: 18, errors: 0, warnings: 2, written: true, outDir: out})
    expect((document.summary['stages'] as Array<{step: string}>).map((stage) => stage.step)).toEqual(['load', 'email', 'web', 'pages', 'write'])
    // The summary line is in the document, not on stderr.
    expect(built.stderr).not.toMatch(/^build: /m)
  }, 240_000)

  it('should give issue --format json the same message objects and the issue’s summary', () => {
    const out = freshOut()
    const {code, stdout, stderr} = piped(['issue', '2026-01', '--root', small, '--out', out, '--format', 'json'])
    expect(code, stderr).toBe(0)
    const document = JSON.parse(stdout) as {messages: Diagnostic[]; summary: Record<string, unknown>}
    expect(document.messages).toEqual([
      {file: 'posts/a.md', line: 6, column: 1, severity: 'warning', rule: 'image-missing', message: 'Image `gone.png` not found (looked for posts/gone.png)'}
    ])
    expect(document.summary).toMatchObject({command: 'issue', month: '2026-01', number: 1, posts: 1, errors: 0, warnings: 1, written: path.join(out, 'email', '2026-01')})
  }, 240_000)
})

/**
 * Pathological Markdown (cmark's and md4c's families, and the dialect's own
 * containers and spans) finishes: the content guard refuses it with a rule
 * id and a place, or it renders. Each case runs in a child process that is
 * killed after 20 s, so a regression fails its case instead of hanging the
 * suite; no assertion is about time (speed lives in the benchmarks).
 */
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {tests as commonmarkExamples} from 'commonmark-spec'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ContentLimitError, defaultLimits, findContentLimit} from '../src/source/guard.js'
import {renderFragment} from '../src/index.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(project, '..', 'shared')
const bin = path.join(project, 'bin', 'letterpress.js')
const library = pathToFileURL(path.join(project, 'lib', 'index.js')).href
/** A child that takes longer than this is killed and its case fails. */
const hardLimit = 20_000

/** What the child saw for one target. */
interface Outcome {
  ok: boolean
  name?: string
  ruleId?: string
  line?: number
  column?: number
  message?: string
  length?: number
}

/** Renders standard input with the compiled library, for each target, and prints one JSON line per target. */
const childScript = `
const {renderFragment} = await import(${JSON.stringify(library)})
const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const markdown = Buffer.concat(chunks).toString('utf8')
for (const target of ['web', 'email']) {
  try {
    const html = await renderFragment(markdown, {target})
    console.log(JSON.stringify({ok: true, length: html.length}))
  } catch (error) {
    console.log(JSON.stringify({ok: false, name: error.name, ruleId: error.ruleId, line: error.line, column: error.column, message: error.message}))
  }
}
`

/** Run `markdown` through `renderFragment` (web, then email) in a child killed after `hardLimit`. */
function renderInChild(markdown: string): Promise<{killed: boolean; outcomes: Outcome[]; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript], {
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, hardLimit)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      const outcomes = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Outcome)
      resolve({killed, outcomes, stderr})
    })
    // A child killed early closes its stdin: that is its outcome, not an error here.
    child.stdin.on('error', () => {})
    child.stdin.end(markdown)
  })
}

/** Nested list items, each indented two more than the last. */
function nestedList(count: number): string {
  return Array.from({length: count}, (_, index) => '  '.repeat(index) + '- a').join('\n') + '\n'
}

/** Line and column of `offset` in `text`. */
function place(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset)
  const lastBreak = before.lastIndexOf('\n')
  return {line: before.split('\n').length, column: offset - lastBreak}
}

/** 10,000 nested list items: 100 MB, as each is indented two more than the last. */
const deepList = nestedList(10_000)
const tenMegabytes = 'Some *text* with `code` and [links](x).\n\n'.repeat(250_000)

/** The cases: each refused with this rule at this place. */
const refused: Array<{name: string; markdown: string; ruleId: string; line: number; column: number}> = [
  {name: '20,000 nested block quotes', markdown: '>'.repeat(20_000) + ' a', ruleId: 'markdown-too-deep', line: 1, column: 65},
  // 100 MB: its size is what it is refused for.
  {
    name: '10,000 nested list items',
    markdown: deepList,
    ruleId: 'markdown-too-large',
    ...place(deepList, defaultLimits.maxLength)
  },
  {name: '300 nested list items', markdown: nestedList(300), ruleId: 'markdown-too-deep', line: 65, column: 129},
  {name: '`* ` 20,000 times then `a`', markdown: '* '.repeat(20_000) + 'a', ruleId: 'markdown-too-deep', line: 1, column: 129},
  {
    name: '`[` 20,000 times then `]` 20,000 times',
    markdown: '['.repeat(20_000) + ']'.repeat(20_000),
    ruleId: 'markdown-too-deep',
    line: 1,
    column: 20_001
  },
  {
    name: 'a 10 MB post of ordinary paragraphs',
    markdown: tenMegabytes,
    ruleId: 'markdown-too-large',
    ...place(tenMegabytes, defaultLimits.maxLength)
  }
]

/** More of cmark's and md4c's families, and the dialect's: refused (any guard rule) or rendered. */
const families: Array<{name: string; markdown: string}> = [
  {name: 'nested emphasis', markdown: '*a **a '.repeat(5000) + 'b' + ' a** a*'.repeat(5000)},
  {name: 'emphasis runs 10,000 long', markdown: '*'.repeat(10_000) + 'a' + '*'.repeat(10_000)},
  {name: 'mismatched emphasis', markdown: '*a_ '.repeat(20_000)},
  {name: 'emphasis closers in multiples of three', markdown: 'a**b' + 'c* '.repeat(20_000)},
  {name: '`*_` alternation', markdown: '*_'.repeat(50_000)},
  {name: 'nested links', markdown: '[a '.repeat(10_000) + 'b' + '](x)'.repeat(10_000)},
  {name: 'nested images', markdown: '!['.repeat(10_000) + 'a' + '](b)'.repeat(10_000)},
  {name: 'link closers without openers', markdown: 'a]'.repeat(50_000)},
  {name: 'link openers without closers', markdown: '[a'.repeat(50_000)},
  {name: 'link openers and emphasis closers', markdown: '[ a_'.repeat(20_000)},
  {name: '`[ (](` repeated', markdown: '[ (]('.repeat(20_000)},
  {name: 'unclosed link destinations', markdown: '[a](<b'.repeat(20_000) + '\n' + '[a](b'.repeat(20_000)},
  {name: 'a run of `<`', markdown: '<'.repeat(200_000)},
  {name: 'unclosed HTML comments', markdown: 'a <!-- '.repeat(20_000)},
  {name: 'unclosed processing instructions', markdown: 'a <?'.repeat(20_000)},
  {name: 'unclosed declarations and CDATA', markdown: '<!A '.repeat(20_000) + '\n' + '<![CDATA['.repeat(10_000)},
  {name: 'nested HTML elements', markdown: '<div>\n'.repeat(10_000) + 'a\n'},
  {name: 'backtick runs of every length', markdown: Array.from({length: 600}, (_, index) => '`'.repeat(index + 1)).join('e')},
  {name: 'backtick pairs', markdown: 'a`'.repeat(100_000)},
  {name: 'many reference definitions', markdown: Array.from({length: 20_000}, (_, index) => `[r${index}]: /u${index}`).join('\n') + '\n\n[r1]\n'},
  {name: 'many footnote definitions', markdown: Array.from({length: 20_000}, (_, index) => `[^${index}]: note`).join('\n') + '\n\nx[^1]\n'},
  {
    name: 'block quotes and lists alternating',
    markdown: Array.from({length: 2000}, (_, index) => '> '.repeat(index) + (index % 2 ? '- ' : '') + 'a').join('\n')
  },
  {name: 'a huge table', markdown: '| a | b |\n| - | - |\n' + '| x | *y* |\n'.repeat(30_000)},
  {name: 'a very wide table', markdown: '|' + ' a |'.repeat(20_000) + '\n|' + ' - |'.repeat(20_000) + '\n' + '| x |\n'.repeat(2000)},
  {name: 'a long list', markdown: '- item\n'.repeat(60_000)},
  {name: 'nested admonitions', markdown: Array.from({length: 300}, (_, index) => '    '.repeat(index) + '!!! note').join('\n\n') + '\n'},
  {name: 'nested content tabs', markdown: Array.from({length: 300}, (_, index) => '    '.repeat(index) + '=== "Tab"').join('\n\n') + '\n'},
  {name: 'nested directives', markdown: Array.from({length: 300}, (_, index) => ':'.repeat(303 - index) + 'note').join('\n') + '\n'},
  {name: 'unclosed `==`, `^^`, `++` and `~`', markdown: '==a ^^b ++c ~d '.repeat(20_000)},
  {name: 'nested braces in math', markdown: '$$\n' + '{'.repeat(10_000) + 'x' + '}'.repeat(10_000) + '\n$$\n'},
  {name: 'unclosed inline math', markdown: '$' + '{'.repeat(10_000) + '$'},
  {name: 'a long attribute list', markdown: '# Title {' + ' .x'.repeat(40_000) + '}\n'},
  {name: 'a 5 MB line', markdown: 'word '.repeat(1_000_000)}
]

beforeAll(() => {
  // Compile lib/ when src/ is newer (the CLI does that itself on each run).
  spawnSync(process.execPath, [bin, '--version'], {stdio: 'ignore', timeout: 300_000})
}, 320_000)

describe('the content guard on the issue’s cases', () => {
  for (const item of refused) {
    it(`should refuse ${item.name} with ${item.ruleId} at ${item.line}:${item.column}`, async () => {
      const {killed, outcomes, stderr} = await renderInChild(item.markdown)
      expect(killed, 'the child was killed after 20 s').toBe(false)
      expect(outcomes, stderr).toHaveLength(2)
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ok: false, name: 'ContentLimitError', ruleId: item.ruleId, line: item.line, column: item.column})
      }
    })
  }

  it('should say how deep, where and what to do', () => {
    const problem = findContentLimit('>'.repeat(20_000) + ' a')
    expect(problem).toBeInstanceOf(ContentLimitError)
    expect(problem?.reason).toBe(
      'block quotes and lists nested 20,000 deep at line 1; letterpress reads at most 64 levels: flatten the structure'
    )
    expect(problem?.message).toBe(problem?.reason)
  })

  it('should give the size of a post that is too large', () => {
    expect(findContentLimit(tenMegabytes)?.reason).toMatch(/^this post is 10,250,000 characters long; letterpress reads at most 250,000/)
  })

  it('should reject renderFragment with a catchable ContentLimitError', async () => {
    const error = await renderFragment('* '.repeat(20_000) + 'a').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ContentLimitError)
    expect(error).toMatchObject({ruleId: 'markdown-too-deep', line: 1, column: 129})
  })
})

/** Every `.md` file under `dir`. */
function markdownFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(dir, name))
}

describe('the content guard on real writing', () => {
  it('should accept every post of the project and of ../shared', () => {
    const dirs = [path.join(project, 'posts'), path.join(shared, 'seed'), path.join(shared, 'corpus')].filter((dir) => fs.existsSync(dir))
    const files = dirs.flatMap(markdownFiles)
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) expect(findContentLimit(fs.readFileSync(file, 'utf8')), file).toBeUndefined()
  })

  it('should accept all 652 CommonMark examples', () => {
    expect(commonmarkExamples).toHaveLength(652)
    for (const example of commonmarkExamples) {
      expect(findContentLimit(example.markdown.replaceAll('\u2192', '\t')), `example ${example.number}`).toBeUndefined()
    }
  })

  it.skipIf(!fs.existsSync(path.join(shared, 'bench', 'corpus.mjs')))('should accept the 1,000 generated benchmark posts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-guard-bench-'))
    try {
      const made = spawnSync(process.execPath, [path.join(shared, 'bench', 'corpus.mjs'), dir, '1000'], {stdio: 'ignore', timeout: 120_000})
      expect(made.status).toBe(0)
      const files = markdownFiles(path.join(dir, 'posts'))
      expect(files).toHaveLength(1000)
      for (const file of files) expect(findContentLimit(fs.readFileSync(file, 'utf8')), file).toBeUndefined()
    } finally {
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })

  it('should not count what is inside fenced code', () => {
    const code = '```python\n' + 'rows[i] = value]\n'.repeat(5000) + '```\n'
    expect(findContentLimit('# Code\n\n' + code + '\nAfter.\n')).toBeUndefined()
    // The same lines as one paragraph would take the parser seconds.
    expect(findContentLimit('rows[i] = value]\n'.repeat(5000))?.ruleId).toBe('markdown-too-complex')
  })

  it('should accept long real-looking posts up to the limits', () => {
    const section = (index: number) =>
      `## Part ${index}\n\nWe moved the *feature store* behind a [contract](https://example.org/${index}) and ` +
      'pinned `seed=42` so runs **repeat**. Drift alerts page the owner.\n\n- one\n- two\n\n' +
      '| metric | before | after |\n| --- | --- | --- |\n| p95 | 120 ms | 80 ms |\n\n' +
      '!!! tip "Pin it"\n    Keep the *seed* with the model.\n\n'
    let post = '---\ntitle: Long\ndate: 2026-01-01\n---\n\n'
    for (let index = 0; post.length < defaultLimits.maxLength - 400; index++) post += section(index)
    expect(findContentLimit(post)).toBeUndefined()
  })
})

describe('pathological families', () => {
  for (const family of families) {
    it(`should refuse or render ${family.name}`, async () => {
      const {killed, outcomes, stderr} = await renderInChild(family.markdown)
      expect(killed, 'the child was killed after 20 s').toBe(false)
      expect(outcomes, stderr).toHaveLength(2)
      for (const outcome of outcomes) {
        if (outcome.ok) continue
        expect(outcome.name, outcome.message).toBe('ContentLimitError')
        expect(outcome.ruleId).toMatch(/^markdown-too-(?:deep|large|complex)$/)
        expect(outcome.line).toBeGreaterThanOrEqual(1)
        expect(outcome.column).toBeGreaterThanOrEqual(1)
      }
    })
  }
})

describe('letterpress check with one pathological post', () => {
  let root: string

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-pathological-'))
    fs.mkdirSync(path.join(root, 'posts'))
    fs.writeFileSync(
      path.join(root, 'posts', 'deep.md'),
      '---\ntitle: Deep\ndate: 2026-03-02\n---\n\nIntro.\n\n' + '>'.repeat(20_000) + ' a\n'
    )
    fs.writeFileSync(
      path.join(root, 'posts', 'fine.md'),
      '---\ntitle: Fine\ndate: 2026-03-03\n---\n\nFeature stores, *without* the hype.\n'
    )
  })

  afterAll(() => {
    fs.rmSync(root, {recursive: true, force: true})
  })

  function check(format: 'text' | 'json') {
    const result = spawnSync(process.execPath, [bin, 'check', '--root', root, '--format', format], {
      encoding: 'utf8',
      timeout: hardLimit,
      killSignal: 'SIGKILL'
    })
    return {code: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  it('should exit 1 and name the post at its line with the rule', () => {
    const {code, stdout} = check('json')
    expect(code).toBe(1)
    const diagnostics = JSON.parse(stdout) as Array<{file: string; line: number; column: number; severity: string; rule: string}>
    expect(diagnostics).toContainEqual(
      expect.objectContaining({file: 'posts/deep.md', line: 8, column: 65, severity: 'error', rule: 'markdown-too-deep'})
    )
    expect(diagnostics.filter((item) => item.file === 'posts/fine.md' && item.severity === 'error')).toEqual([])
  })

  it('should print the text format without a stack trace', () => {
    const {code, stdout, stderr} = check('text')
    expect(code).toBe(1)
    expect(stdout + stderr).toMatch(/^posts\/deep\.md:8:65 {2}error {2}block quotes and lists nested 20,000 deep .* {2}markdown-too-deep$/m)
    expect(stdout + stderr).not.toMatch(/\n\s+at /)
  })
})

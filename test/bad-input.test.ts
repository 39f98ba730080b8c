/**
 * Bad input, end to end: the real CLI (`node bin/letterpress.js
 * build --root R --out O`) on a small valid site that was built once, then
 * broken in one way per case. Each case asserts the exit code (0 ok,
 * 1 content errors, 2 usage), the `file:line:column  severity
 * message  rule-id` line on stderr, that no stack trace is printed, and that
 * OUT is byte for byte what the last good build wrote (or, for what the
 * project treats as a warning, that the build succeeds).
 *
 * The base site is built once; every case works on a copy of its ROOT and
 * OUT. Cases that need a file or folder the build cannot read or write
 * (chmod) run the CLI as an unprivileged user when the tests run as root,
 * and are skipped only when neither is possible.
 */
import {spawn, spawnSync, type SpawnSyncOptions} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-bad-input-'))
// Readable by an unprivileged user, for the cases that run the CLI as one.
fs.chmodSync(work, 0o755)

/** A user id without privileges, for chmod cases when the tests run as root. */
const nobody = 65534

interface Run {
  code: number | null
  stderr: string
  stdout: string
}

function cli(args: string[], options: {uid?: number} = {}): Run {
  const spawnOptions: SpawnSyncOptions = {cwd: work, encoding: 'utf8', timeout: 60_000}
  if (options.uid !== undefined) Object.assign(spawnOptions, {uid: options.uid, gid: options.uid})
  const result = spawnSync(process.execPath, [bin, ...args], spawnOptions)
  return {code: result.status, stderr: String(result.stderr), stdout: String(result.stdout)}
}

/** One `file:line:column  severity  message  rule` line of stderr. */
interface Diagnostic {
  file: string
  line: number
  column: number
  severity: string
  message: string
  rule: string
}

function diagnostics(stderr: string): Diagnostic[] {
  const list: Diagnostic[] = []
  for (const line of stderr.split('\n')) {
    const match = /^(.+?):(\d+):(\d+) {2}(error|warning) {2}(.+) {2}([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(line)
    if (match) {
      list.push({
        file: match[1]!,
        line: Number(match[2]),
        column: Number(match[3]),
        severity: match[4]!,
        message: match[5]!,
        rule: match[6]!
      })
    }
  }
  return list
}

const post = (frontmatter: string, body = 'A paragraph about serving models.\n') => `---\n${frontmatter}---\n\n${body}`

const baseSite: Record<string, string> = {
  'letterpress.yml': 'title: Serving Notes\nbaseUrl: https://notes.example/\nauthors: [{name: Sam Reed, email: sam@notes.example}]\nnewsletter:\n  address: 1 Example Quay\n',
  'posts/2026/03/feature-stores.md': post('title: Feature stores\ndate: 2026-03-02\ntags: [data]\n'),
  'posts/2026/04/drift.md': post('title: Drift\ndate: 2026-04-05\ntags: [monitoring]\n', 'Drift is a product problem.\n\n![A chart](/assets/chart.svg)\n'),
  'posts/about.md': post('title: About\npage: true\n', 'Who writes this.\n'),
  'posts/assets/chart.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'
}

let base: {root: string; out: string; snapshot: Map<string, string>}

/** Whether the CLI can run as `nobody`, reading the project (needed when root ignores chmod). */
let canDropPrivileges = false

beforeAll(() => {
  const root = path.join(work, 'base', 'root')
  for (const [relative, text] of Object.entries(baseSite)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
    fs.writeFileSync(path.join(root, relative), text)
  }
  const out = path.join(work, 'base', 'parent', 'out')
  const first = cli(['build', '--root', root, '--out', out])
  expect(first.stderr).toMatch(/build: 2 posts published, .*0 errors, 0 warnings/)
  expect(first.code).toBe(0)
  base = {root, out, snapshot: fileHashes(out)}
  if (process.getuid?.() === 0) {
    const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(bin)}, 4)`], {uid: nobody, gid: nobody})
    canDropPrivileges = probe.status === 0
  }
})

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

/** One case's copy of the base site: ROOT, OUT (inside `parent`) and helpers. */
interface CaseSite {
  root: string
  out: string
  parent: string
  write: (relative: string, content: string | Uint8Array) => string
  /** Mode bits to restore after the case (so the folder can be removed). */
  restore: Array<[string, number]>
  /** How the build must run: as this process, as `nobody`, or not at all. */
  runAs: 'self' | 'nobody' | 'skip'
}

let cases = 0

function copyBase(): CaseSite {
  const dir = path.join(work, `case-${++cases}`)
  const root = path.join(dir, 'root')
  const parent = path.join(dir, 'parent')
  const out = path.join(parent, 'out')
  fs.cpSync(base.root, root, {recursive: true, verbatimSymlinks: true})
  fs.cpSync(base.out, out, {recursive: true})
  return {
    root,
    out,
    parent,
    restore: [],
    runAs: 'self',
    write(relative, content) {
      const file = path.join(root, relative)
      fs.mkdirSync(path.dirname(file), {recursive: true})
      fs.writeFileSync(file, content)
      return file
    }
  }
}

/**
 * Take away read (or write) permission on `target` for the build. Root reads
 * and writes anyway, so then the build runs as `nobody` (or the case is
 * skipped when it cannot); whether it is needed is found by trying.
 */
function revoke(site: CaseSite, target: string, mode: number, access: 'read' | 'write'): void {
  site.restore.push([target, fs.statSync(target).mode & 0o7777])
  fs.chmodSync(target, mode)
  let allowed = true
  try {
    if (access === 'read') {
      if (fs.statSync(target).isDirectory()) fs.readdirSync(target)
      else fs.readFileSync(target)
    } else {
      const probe = path.join(target, '.probe')
      fs.writeFileSync(probe, '')
      fs.rmSync(probe)
    }
  } catch {
    allowed = false
  }
  if (allowed) site.runAs = canDropPrivileges ? 'nobody' : 'skip'
}

function chownTree(target: string, uid: number): void {
  fs.lchownSync(target, uid, uid)
  if (fs.lstatSync(target).isDirectory()) {
    for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), uid)
  }
}

function buildCase(site: CaseSite): Run {
  if (site.runAs === 'nobody') {
    // Compile (as this user) first: `nobody` cannot write lib/.
    cli(['--version'])
    chownTree(path.dirname(site.root), nobody)
    return cli(['build', '--root', site.root, '--out', site.out], {uid: nobody})
  }
  return cli(['build', '--root', site.root, '--out', site.out])
}

/** What a case expects on stderr: one diagnostic line each. */
interface Expected {
  file: string
  /** 1-based; 0 when the case's `where` supplies it. */
  line: number
  column?: number
  severity: 'error' | 'warning'
  rule: string
  message: RegExp
}

interface BadInput {
  name: string
  /** Break the copy of the base site; `revoke` for permission cases. */
  apply: (site: CaseSite) => void
  code: 0 | 1 | 2
  /** Diagnostics that must be printed (others may be too, unless `only`). */
  expect?: Expected[]
  /** No other diagnostic line may be printed. */
  only?: boolean
  /** For failures without a file position (exit 2): what stderr must say. */
  stderr?: RegExp
  /** `unchanged`: OUT byte for byte as before; else a check of the rebuilt OUT. */
  out: 'unchanged' | ((out: string) => void)
  /** Positions known only once applied (the line of an edit in a built-in template). */
  where?: (site: CaseSite) => Partial<Expected>
}

/**
 * Nine levels of nine YAML aliases each ("billion laughs"): 387 million
 * values when expanded. `first` is the 1-based line of the `a:` key; the
 * `d:` line, 3 below, holds the first alias past the limit of 100.
 */
function aliasBomb(): string {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x]']
  const names = 'abcdefghi'
  for (let index = 1; index < names.length; index++) {
    lines.push(`${names[index]}: &${names[index]} [${Array(9).fill(`*${names[index - 1]}`).join(', ')}]`)
  }
  return lines.join('\n') + '\n'
}

const frontmatterCases: BadInput[] = [
  {
    name: 'nested YAML aliases that would expand to millions of values (at the alias)',
    // `d:` is on line 7: the post's `---`, title and date come first.
    apply: (site) => site.write('posts/2026/05/laughs.md', post(`title: Laughs\ndate: 2026-05-01\n${aliasBomb()}`)),
    code: 1,
    expect: [
      {file: 'posts/2026/05/laughs.md', line: 7, column: 8, severity: 'error', rule: 'frontmatter-yaml', message: /^Too many YAML aliases: `\*c` stands for 91 and takes the expansion past 100;/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a YAML alias that names no anchor',
    apply: (site) => site.write('posts/2026/05/dangling.md', post('title: Dangling\ndate: 2026-05-01\ntags: *topics\n')),
    code: 1,
    expect: [{file: 'posts/2026/05/dangling.md', line: 4, column: 7, severity: 'error', rule: 'frontmatter-yaml', message: /^`\*topics` names no anchor/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'malformed YAML',
    apply: (site) => site.write('posts/2026/05/unclosed.md', post('title: [Shadow deployments\ndate: 2026-05-01\n')),
    code: 1,
    expect: [
      {file: 'posts/2026/05/unclosed.md', line: 2, column: 8, severity: 'error', rule: 'frontmatter-yaml', message: /^Invalid YAML: this `\[` list is never closed; add the closing `\]`$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'frontmatter that is a list, not a mapping',
    apply: (site) => site.write('posts/2026/05/list.md', post('- drift\n- monitoring\n')),
    code: 1,
    expect: [{file: 'posts/2026/05/list.md', line: 2, column: 1, severity: 'error', rule: 'frontmatter-not-mapping', message: /must be a mapping of `key: value` lines; found a list/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'frontmatter that is a sentence, not a mapping',
    apply: (site) => site.write('posts/2026/05/sentence.md', post('Shadow deployments in practice\n')),
    code: 1,
    expect: [{file: 'posts/2026/05/sentence.md', line: 2, column: 1, severity: 'error', rule: 'frontmatter-not-mapping', message: /must be a mapping.*found text/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'unterminated frontmatter',
    apply: (site) => site.write('posts/2026/05/open.md', '---\ntitle: Shadow deployments\ndate: 2026-05-01\n\nThe body starts here.\n'),
    code: 1,
    expect: [{file: 'posts/2026/05/open.md', line: 1, column: 1, severity: 'error', rule: 'frontmatter-unterminated', message: /never closed: add a `---` line/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'wrong types',
    apply: (site) => site.write('posts/2026/05/types.md', post('title: Shadow deployments\ndate: 2026-05-01\ndraft: maybe\ntags: {team: platform}\n')),
    code: 1,
    expect: [
      {file: 'posts/2026/05/types.md', line: 4, column: 8, severity: 'error', rule: 'frontmatter-type', message: /^`draft` should be `true` or `false`; found text "maybe"$/},
      {file: 'posts/2026/05/types.md', line: 5, column: 7, severity: 'error', rule: 'frontmatter-type', message: /^`tags` should be text or a list of text; found a mapping$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an impossible date (2024-13-45)',
    apply: (site) => site.write('posts/2026/05/date.md', post('title: Shadow deployments\ndate: 2024-13-45\n')),
    code: 1,
    expect: [{file: 'posts/2026/05/date.md', line: 3, column: 7, severity: 'error', rule: 'frontmatter-date-invalid', message: /"2024-13-45" is not a date: there is no month 13/}],
    // The refused date has its own error; "no date" would only repeat it.
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a title that is not text',
    apply: (site) => site.write('posts/2026/05/listed.md', post('title: [Shadow, deployments]\ndate: 2026-05-01\n')),
    code: 1,
    expect: [{file: 'posts/2026/05/listed.md', line: 2, column: 8, severity: 'error', rule: 'frontmatter-type', message: /^`title` should be text/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a missing title (a warning: the file name stands in)',
    apply: (site) => site.write('posts/2026/05/shadow-deployments.md', post('date: 2026-05-01\n', 'No heading, just text.\n')),
    code: 0,
    expect: [{file: 'posts/2026/05/shadow-deployments.md', line: 1, column: 1, severity: 'warning', rule: 'title-missing', message: /^No title: add `title:` to the frontmatter or start the post with a `# Heading`$/}],
    only: true,
    out: (out) => {
      const html = fs.readFileSync(path.join(out, 'site/posts/shadow-deployments/index.html'), 'utf8')
      // In title case, as a title written by hand would be.
      expect(html).toContain('<h1 class="post-title">Shadow Deployments</h1>')
    }
  }
]

const urlCases: BadInput[] = [
  {
    name: 'a file name that gives no slug (nothing published at /posts/)',
    apply: (site) => site.write('posts/2026/05/2026-05-01-.md', post('title: Nameless\ndate: 2026-05-01\n')),
    code: 1,
    expect: [
      {file: 'posts/2026/05/2026-05-01-.md', line: 1, column: 1, severity: 'error', rule: 'slug-empty', message: /^The file name `2026-05-01-\.md` gives no slug \(no letters or digits after the date\): rename the file or add `slug:`/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a page whose file name gives no slug (not the home page)',
    apply: (site) => site.write('posts/---.md', post('title: Dashes\npage: true\n')),
    code: 1,
    expect: [{file: 'posts/---.md', line: 1, column: 1, severity: 'error', rule: 'slug-empty', message: /^The file name `---\.md` gives no slug/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'two posts with one slug (both files named)',
    apply: (site) => site.write('posts/2026/05/again.md', post('title: Drift again\ndate: 2026-05-01\nslug: drift\n')),
    code: 1,
    expect: [
      {file: 'posts/2026/04/drift.md', line: 1, column: 1, severity: 'error', rule: 'slug-duplicate', message: /^Same URL `\/posts\/drift\/` as posts\/2026\/05\/again\.md/},
      {file: 'posts/2026/05/again.md', line: 4, column: 1, severity: 'error', rule: 'slug-duplicate', message: /^Same URL `\/posts\/drift\/` as posts\/2026\/04\/drift\.md/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'two posts with one output path from their file names (both files named)',
    apply: (site) => site.write('posts/2026/05/drift.md', post('title: Drift, part two\ndate: 2026-05-01\n')),
    code: 1,
    expect: [
      {file: 'posts/2026/04/drift.md', line: 1, column: 1, severity: 'error', rule: 'slug-duplicate', message: /as posts\/2026\/05\/drift\.md/},
      {file: 'posts/2026/05/drift.md', line: 1, column: 1, severity: 'error', rule: 'slug-duplicate', message: /as posts\/2026\/04\/drift\.md/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an alias that is another post’s URL (both files named)',
    apply: (site) => site.write('posts/2026/05/moved.md', post('title: Moved\ndate: 2026-05-01\naliases: [/posts/drift/]\n')),
    code: 1,
    expect: [
      {file: 'posts/2026/04/drift.md', line: 1, severity: 'error', rule: 'slug-duplicate', message: /as posts\/2026\/05\/moved\.md/},
      // At the alias that collides.
      {file: 'posts/2026/05/moved.md', line: 4, severity: 'error', rule: 'slug-duplicate', message: /as posts\/2026\/04\/drift\.md/}
    ],
    out: 'unchanged'
  },
  ...(
    [
      ['`..`', 'slug: ../../etc\n', '"../../etc"'],
      ['an absolute path', 'slug: /etc/passwd\n', '"/etc/passwd"'],
      ['`%2e%2e`', 'slug: "%2e%2e"\n', '"%2e%2e"'],
      ['backslashes', 'slug: "..\\\\..\\\\evil"\n', '"..\\\\..\\\\evil"'],
      ['a NUL', 'slug: "drift\\0.html"\n', '"drift\\u0000.html"']
    ] as const
  ).map(
    ([what, line, shown]): BadInput => ({
      name: `a slug with ${what}`,
      apply: (site) => site.write('posts/2026/05/unsafe.md', post(`title: Unsafe\ndate: 2026-05-01\n${line}`)),
      code: 1,
      expect: [
        {
          file: 'posts/2026/05/unsafe.md',
          line: 4,
          column: 7,
          severity: 'error',
          rule: 'slug-unsafe',
          message: new RegExp(`^\`slug\` ${shown.replace(/[\\.*+?^${}()|[\]]/g, '\\$&')} is not safe in a URL: use only letters, digits and \`-\`$`)
        }
      ],
      only: true,
      out: 'unchanged'
    })
  ),
  ...(
    [
      ['`..`', '/../:slug/', /must not contain `\.` or `\.\.` segments/],
      ['`%2e%2e`', '/%2e%2e/:slug/', /must not contain encoded dots/],
      ['backslashes', '"\\\\..\\\\:slug"', /must not contain backslashes or control characters/],
      ['a NUL', '"/:slug\\0/"', /must not contain backslashes or control characters/],
      ['another host', '//evil.example/:slug/', /must be a path on this site/]
    ] as const
  ).map(
    ([what, value, message]): BadInput => ({
      name: `a permalink with ${what} (at its line in letterpress.yml)`,
      apply: (site) => fs.appendFileSync(path.join(site.root, 'letterpress.yml'), `permalink: ${value}\n`),
      code: 1,
      expect: [{file: 'letterpress.yml', line: 6, column: 12, severity: 'error', rule: 'permalink-unsafe', message}],
      only: true,
      out: 'unchanged'
    })
  ),
  {
    name: 'an alias with `..`',
    apply: (site) => site.write('posts/2026/05/alias.md', post('title: Alias\ndate: 2026-05-01\naliases: [/old/../../escape/]\n')),
    code: 1,
    expect: [{file: 'posts/2026/05/alias.md', line: 4, column: 11, severity: 'error', rule: 'alias-unsafe', message: /must not contain `\.` or `\.\.` segments/}],
    only: true,
    out: 'unchanged'
  }
]

const fileCases: BadInput[] = [
  {
    name: 'an empty file (a warning: nothing to publish)',
    apply: (site) => site.write('posts/2026/05/empty.md', ''),
    code: 0,
    expect: [{file: 'posts/2026/05/empty.md', line: 1, column: 1, severity: 'warning', rule: 'post-empty', message: /^Empty file: nothing to publish/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a binary file named .md',
    apply: (site) => site.write('posts/2026/05/model.md', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])),
    code: 1,
    expect: [{file: 'posts/2026/05/model.md', line: 1, column: 1, severity: 'error', rule: 'encoding-binary', message: /binary file, not Markdown/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'non-UTF-8 text (a warning: read as Windows-1252)',
    apply: (site) =>
      site.write('posts/2026/05/cafe.md', Buffer.from('---\ntitle: Caf\xe9 metrics\ndate: 2026-05-01\n---\n\nA na\xefve baseline.\n', 'latin1')),
    code: 0,
    expect: [
      {file: 'posts/2026/05/cafe.md', line: 2, column: 11, severity: 'warning', rule: 'encoding-latin1', message: /^Not valid UTF-8: read 0xE9 as é \(Windows-1252\); save the file as UTF-8$/},
      {file: 'posts/2026/05/cafe.md', line: 6, column: 5, severity: 'warning', rule: 'encoding-latin1', message: /0xEF as ï/}
    ],
    only: true,
    out: (out) => {
      const html = fs.readFileSync(path.join(out, 'site/posts/cafe/index.html'), 'utf8')
      expect(html).toContain('Café metrics')
      expect(html).toContain('naïve')
      expect(html).not.toContain('\uFFFD')
    }
  },
  {
    name: 'UTF-16 without a byte order mark (a warning: read as UTF-16)',
    apply: (site) => {
      const text = '---\ntitle: Wide café notes\ndate: 2026-05-01\n---\n\nA baseline, “quoted”.\n'
      site.write('posts/2026/05/wide-le.md', Buffer.from(text, 'utf16le'))
      site.write('posts/2026/05/wide-be.md', Buffer.from(text.replace('Wide', 'Big'), 'utf16le').swap16())
    },
    code: 0,
    expect: [
      {file: 'posts/2026/05/wide-be.md', line: 1, column: 1, severity: 'warning', rule: 'encoding-utf16', message: /^File is UTF-16 \(big-endian\) without a byte order mark; read it, but save it as UTF-8$/},
      {file: 'posts/2026/05/wide-le.md', line: 1, column: 1, severity: 'warning', rule: 'encoding-utf16', message: /^File is UTF-16 \(little-endian\) without a byte order mark;/}
    ],
    only: true,
    out: (out) => {
      expect(fs.readFileSync(path.join(out, 'site/posts/wide-le/index.html'), 'utf8')).toContain('Wide café notes')
      expect(fs.readFileSync(path.join(out, 'site/posts/wide-be/index.html'), 'utf8')).toContain('A baseline, “quoted”.')
    }
  },
  {
    name: 'link targets with line breaks (one line per message)',
    apply: (site) =>
      site.write('posts/2026/05/breaks.md', post('title: Breaks\ndate: 2026-05-01\n', 'See [notes](old%0Anotes.md) and [the log](run%0D%0Alog.txt).\n')),
    code: 0,
    expect: [
      {file: 'posts/2026/05/breaks.md', line: 6, column: 5, severity: 'warning', rule: 'link-missing', message: /^Link to `old%0Anotes\.md`: no such post \(looked for posts\/2026\/05\/old\\nnotes\.md\)$/},
      {file: 'posts/2026/05/breaks.md', line: 6, column: 33, severity: 'warning', rule: 'link-missing', message: /^Link target `run%0D%0Alog\.txt` not found \(looked for posts\/2026\/05\/run\\r\\nlog\.txt\)$/}
    ],
    only: true,
    out: (out) => expect(fs.existsSync(path.join(out, 'site/posts/breaks/index.html'))).toBe(true)
  },
  {
    name: 'code fences never closed (warnings at each fence)',
    apply: (site) =>
      site.write(
        'posts/2026/05/fences.md',
        post(
          'title: Fences\ndate: 2026-05-01\n',
          'Steps:\n\n1. Install it:\n\n    ~~~~sh\n    pip install it\n    ~~~\n\n2. Run it.\n\n' +
            '!!! note\n    ```\n    closed inside a note\n    ```\n\n' +
            '> ```yaml\n> key: value\n\nThe end, in a fence:\n\n```\nlast words\n'
        )
      ),
    code: 0,
    expect: [
      {file: 'posts/2026/05/fences.md', line: 10, column: 5, severity: 'warning', rule: 'code-fence-unclosed', message: /^Code block fence of 4 tildes is never closed, so the rest of its list item is code; add a line of 4 tildes to close it$/},
      {file: 'posts/2026/05/fences.md', line: 21, column: 3, severity: 'warning', rule: 'code-fence-unclosed', message: /^Code block fence of 3 backticks is never closed, so the rest of its quote is code/},
      {file: 'posts/2026/05/fences.md', line: 26, column: 1, severity: 'warning', rule: 'code-fence-unclosed', message: /^Code block fence of 3 backticks is never closed, so the rest of the post is code/}
    ],
    only: true,
    out: (out) => expect(fs.readFileSync(path.join(out, 'site/posts/fences/index.html'), 'utf8')).toContain('last words')
  },
  {
    name: 'an unreadable post',
    apply: (site) => revoke(site, site.write('posts/2026/05/locked.md', post('title: Locked\ndate: 2026-05-01\n')), 0o000, 'read'),
    code: 1,
    expect: [{file: 'posts/2026/05/locked.md', line: 1, column: 1, severity: 'error', rule: 'file-unreadable', message: /^Cannot read this file: permission denied$/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an unreadable image under posts/',
    apply: (site) => revoke(site, site.write('posts/assets/locked.png', 'not really a png'), 0o000, 'read'),
    code: 1,
    expect: [{file: 'posts/assets/locked.png', line: 1, column: 1, severity: 'error', rule: 'file-unreadable', message: /^Cannot read this file: permission denied/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an unreadable folder under posts/',
    apply: (site) => {
      site.write('posts/2026/06/hidden.md', post('title: Hidden\ndate: 2026-06-01\n'))
      revoke(site, path.join(site.root, 'posts/2026/06'), 0o000, 'read')
    },
    code: 1,
    expect: [{file: 'posts/2026/06', line: 1, column: 1, severity: 'error', rule: 'file-unreadable', message: /^Cannot read this folder: permission denied; the posts and files in it are left out$/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'symbolic link loops under posts/ (warnings: skipped)',
    apply: (site) => {
      const posts = path.join(site.root, 'posts')
      fs.symlinkSync('.', path.join(posts, '2026/self'))
      fs.symlinkSync('..', path.join(posts, '2026/up'))
      fs.symlinkSync('ping', path.join(posts, 'pong'))
      fs.symlinkSync('pong', path.join(posts, 'ping'))
      fs.symlinkSync('..', path.join(posts, 'site-root'))
    },
    code: 0,
    expect: [
      {file: 'posts/2026/self', line: 1, column: 1, severity: 'warning', rule: 'symlink-skipped', message: /leads to `posts\/2026`, read already/},
      {file: 'posts/2026/up', line: 1, column: 1, severity: 'warning', rule: 'symlink-skipped', message: /leads to a folder that holds posts\/ \(a loop\)/},
      {file: 'posts/ping', line: 1, column: 1, severity: 'warning', rule: 'symlink-skipped', message: /leads back to itself in a loop/},
      {file: 'posts/pong', line: 1, column: 1, severity: 'warning', rule: 'symlink-skipped', message: /leads back to itself in a loop/},
      {file: 'posts/site-root', line: 1, column: 1, severity: 'warning', rule: 'symlink-skipped', message: /holds posts\//}
    ],
    only: true,
    out: 'unchanged'
  }
]

/** The built-in `post.liquid` with one edit, as a ROOT/templates/web override. */
function overridePost(site: CaseSite, from: string | RegExp, to: string): void {
  const builtIn = fs.readFileSync(path.join(project, 'templates/web/post.liquid'), 'utf8')
  const edited = builtIn.replace(from, to)
  expect(edited, 'the built-in post.liquid changed: update this case').not.toBe(builtIn)
  site.write('templates/web/post.liquid', edited)
}

/** 1-based line of `needle` in a ROOT file (so the cases follow edits of the built-in theme). */
function lineOf(site: CaseSite, relative: string, needle: string): number {
  const lines = fs.readFileSync(path.join(site.root, relative), 'utf8').split('\n')
  return lines.findIndex((line) => line.includes(needle)) + 1
}

const templateCases: BadInput[] = [
  {
    name: 'an unknown variable in a web template override',
    apply: (site) => overridePost(site, '{{ post.title }}', '{{ post.titel }}'),
    code: 1,
    expect: [{file: 'templates/web/post.liquid', line: 0, severity: 'error', rule: 'template-error', message: /^undefined variable: post\.titel \(rendering \/posts\/.+\/\)$/}],
    where: (site) => ({line: lineOf(site, 'templates/web/post.liquid', 'post.titel')}),
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a missing partial in a web template override',
    apply: (site) => overridePost(site, "{% include 'partials/cover' %}", "{% include 'partials/sidebar' %}"),
    code: 1,
    expect: [{file: 'templates/web/post.liquid', line: 0, severity: 'error', rule: 'template-error', message: /^No template `partials\/sidebar\.liquid` in .+templates\/web, .+\(rendering \/posts\/.+\/\)$/}],
    where: (site) => ({line: lineOf(site, 'templates/web/post.liquid', 'partials/sidebar')}),
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a layout that does not exist',
    apply: (site) => overridePost(site, /\{% layout '?"?base'?"? %\}/, "{% layout 'wide' %}"),
    code: 1,
    expect: [{file: 'templates/web/post.liquid', line: 1, column: 1, severity: 'error', rule: 'template-error', message: /^No template `wide\.liquid` in /}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a Liquid tag never closed',
    apply: (site) => site.write('templates/web/page.liquid', '<h1>{{ post.title }}</h1>\n{% if post.draft %}\n<p>Draft</p>\n'),
    code: 1,
    expect: [{file: 'templates/web/page.liquid', line: 2, column: 1, severity: 'error', rule: 'template-error', message: /^tag \{% if post\.draft %\} not closed \(rendering \/about\/\)$/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an unknown variable in an email template override',
    apply: (site) =>
      site.write('templates/email/partials/header.mjml.liquid', '<mj-section>\n  <mj-column>\n    <mj-text>{{ site.nmae }}</mj-text>\n  </mj-column>\n</mj-section>\n'),
    code: 1,
    expect: [{file: 'templates/email/partials/header.mjml.liquid', line: 3, column: 17, severity: 'error', rule: 'template-error', message: /^undefined variable: site\.nmae \(rendering issue 2026-0\d\)$/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an MJML error in an email template override',
    apply: (site) =>
      site.write('templates/email/partials/header.mjml.liquid', '<mj-section>\n  <mj-column>\n    <mj-txt color="red">{{ site.name }}</mj-txt>\n  </mj-column>\n</mj-section>\n'),
    code: 1,
    expect: [{file: 'templates/email/partials/header.mjml.liquid', line: 3, column: 1, severity: 'error', rule: 'template-error', message: /^MJML: Element mj-txt doesn't exist or is not registered.*\(rendering issue 2026-0\d\)$/}],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'nested YAML aliases in letterpress.yml (at the alias)',
    // The base config has 5 lines: `a:` is line 6, `d:` line 9.
    apply: (site) => fs.appendFileSync(path.join(site.root, 'letterpress.yml'), aliasBomb()),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 9, column: 8, severity: 'error', rule: 'config-yaml', message: /^Too many YAML aliases: `\*c` stands for 91 and takes the expansion past 100; .* \(in letterpress\.yml\)$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a newsletter sender that is not an address',
    apply: (site) => fs.appendFileSync(path.join(site.root, 'letterpress.yml'), '  from: not an address\n'),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 6, column: 9, severity: 'error', rule: 'config-invalid', message: /^Setting `newsletter\.from` in letterpress\.yml: "not an address" is not an email address; write `Name <name@example\.com>` or `name@example\.com`$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'malformed YAML in letterpress.yml',
    apply: (site) => fs.appendFileSync(path.join(site.root, 'letterpress.yml'), 'copyright: [Jo Example\n'),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 6, column: 12, severity: 'error', rule: 'config-yaml', message: /^Invalid YAML: this `\[` list is never closed; add the closing `\]` \(in letterpress\.yml\)$/}
    ],
    out: 'unchanged'
  },
  {
    name: 'misspelt settings in letterpress.yml (each at its key, with the setting meant)',
    // The base config has 5 lines; the nested ones extend `newsletter:` (line 4).
    apply: (site) => {
      const config = path.join(site.root, 'letterpress.yml')
      fs.appendFileSync(config, '  form: Jo <jo@notes.example>\n  replyto: jo@notes.example\ntitel: Serving Notes\npostPerPage: 5\nnewsleter:\n  name: Notes\n')
    },
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 6, column: 3, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `newsletter\.form` in letterpress\.yml; did you mean `newsletter\.from`\?$/},
      {file: 'letterpress.yml', line: 7, column: 3, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `newsletter\.replyto` in letterpress\.yml; did you mean `newsletter\.replyTo`\?$/},
      {file: 'letterpress.yml', line: 8, column: 1, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `titel` in letterpress\.yml; did you mean `title`\?$/},
      {file: 'letterpress.yml', line: 9, column: 1, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `postPerPage` in letterpress\.yml; did you mean `postsPerPage`\?$/},
      {file: 'letterpress.yml', line: 10, column: 1, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `newsleter` in letterpress\.yml; did you mean `newsletter`\?$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'settings in letterpress.yml near no known one (with the settings allowed there)',
    apply: (site) => fs.appendFileSync(path.join(site.root, 'letterpress.yml'), '  utm:\n    term: spring\nsidebar: left\n'),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 7, column: 5, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `newsletter\.utm\.term` in letterpress\.yml; `newsletter\.utm` takes `source`, `medium`, `campaign`$/},
      {file: 'letterpress.yml', line: 8, column: 1, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `sidebar` in letterpress\.yml; the settings are `title`, `description`, `baseUrl`, .*`newsletter`, `theme`$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a letterpress.yml that is a list (in words, at line 1)',
    apply: (site) => fs.writeFileSync(path.join(site.root, 'letterpress.yml'), '- title: Serving Notes\n- baseUrl: https://notes.example/\n'),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 1, column: 1, severity: 'error', rule: 'config-invalid', message: /^letterpress\.yml must be a mapping of settings \(`title: My blog`\), not a list$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a letterpress.yml that is one line of text (in words, at line 1)',
    apply: (site) => fs.writeFileSync(path.join(site.root, 'letterpress.yml'), 'Serving Notes\n'),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 1, column: 1, severity: 'error', rule: 'config-invalid', message: /^letterpress\.yml must be a mapping of settings \(`title: My blog`\), not a single value$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'letterpress.yml and letterpress.yaml side by side (naming both)',
    apply: (site) => site.write('letterpress.yaml', 'title: Other Notes\n'),
    code: 1,
    expect: [
      {file: 'letterpress.yml', line: 1, column: 1, severity: 'error', rule: 'config-duplicate', message: /^Two config files, `letterpress\.yml` and `letterpress\.yaml`: letterpress reads one; keep one and delete the other$/}
    ],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'a misspelt setting in letterpress.json (read as the config, at its line)',
    apply: (site) => {
      fs.rmSync(path.join(site.root, 'letterpress.yml'))
      site.write('letterpress.json', '{\n  "title": "Serving Notes",\n  "baseUrl": "https://notes.example/",\n  "copyrigth": "Jo"\n}\n')
    },
    code: 1,
    expect: [
      {file: 'letterpress.json', line: 4, column: 3, severity: 'error', rule: 'config-invalid', message: /^Unknown setting `copyrigth` in letterpress\.json; did you mean `copyright`\?$/}
    ],
    only: true,
    out: 'unchanged'
  }
]

const outputCases: BadInput[] = [
  {
    name: 'an output folder whose parent is read-only',
    apply: (site) => {
      // A real change, so the build has something to write (an unchanged site is not rewritten).
      site.write('posts/2026/05/new.md', post('title: New\ndate: 2026-05-01\n'))
      revoke(site, site.parent, 0o555, 'write')
    },
    code: 2,
    stderr: /^letterpress: cannot write the output folder .+\/parent\/out: permission denied on .+\/parent\b.*; the previous output is unchanged/m,
    expect: [],
    only: true,
    out: 'unchanged'
  },
  {
    name: 'an output folder behind a file',
    apply: (site) => {
      site.write('posts/2026/05/new.md', post('title: New\ndate: 2026-05-01\n'))
      // Replace OUT's parent with a file: OUT cannot be made.
      fs.renameSync(site.parent, `${site.parent}.moved`)
      fs.writeFileSync(site.parent, 'a file where a folder should be\n')
    },
    code: 2,
    stderr: /^letterpress: cannot write the output folder .+\/parent\/out: .+ is in the way: part of that path is a file, not a folder/m,
    expect: [],
    only: true,
    out: 'unchanged'
  }
]

function runCase(item: BadInput, skip: (note: string) => void): void {
  const site = copyBase()
  try {
    item.apply(site)
    if (site.runAs === 'skip') {
      skip('running as root without a way to drop privileges: chmod does not stop this user')
      return
    }
    const run = buildCase(site)
    // Whatever happened, nothing may crash: no stack trace, an exit code of the contract.
    expect(run.stderr, run.stderr).not.toMatch(/^\s+at /m)
    expect(run.stderr).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/)
    expect(run.code, run.stderr).toBe(item.code)
    const printed = diagnostics(run.stderr)
    const overrides = item.where?.(site) ?? {}
    for (const wanted of item.expect ?? []) {
      const expected = {...wanted, ...overrides}
      const found = printed.find(
        (entry) =>
          entry.file === expected.file &&
          entry.rule === expected.rule &&
          entry.severity === expected.severity &&
          entry.line === expected.line &&
          (expected.column === undefined || entry.column === expected.column) &&
          expected.message.test(entry.message)
      )
      expect(found, `no ${expected.file}:${expected.line}:${expected.column ?? '*'} ${expected.severity} ${expected.rule} ${expected.message} in\n${run.stderr}`).toBeDefined()
    }
    if (item.only) expect(printed, run.stderr).toHaveLength(item.expect?.length ?? 0)
    if (item.stderr) expect(run.stderr).toMatch(item.stderr)
    if (item.code !== 0) {
      expect(run.stderr).toMatch(item.code === 1 ? /^build: .*; nothing written$/m : /^letterpress: /m)
      expect(run.stderr).not.toMatch(/^build: .* -> /m)
    } else {
      expect(printed.filter((entry) => entry.severity === 'error')).toEqual([])
      expect(run.stderr).toMatch(/^build: .*0 errors, .* -> /m)
    }

    // OUT: exactly the last good build, or rebuilt; never a staging folder left beside it.
    for (const [target, mode] of site.restore) fs.chmodSync(target, mode)
    if (fs.existsSync(`${site.parent}.moved`)) {
      fs.rmSync(site.parent)
      fs.renameSync(`${site.parent}.moved`, site.parent)
    }
    if (item.out === 'unchanged') expect(fileHashes(site.out)).toEqual(base.snapshot)
    else item.out(site.out)
    expect(fs.readdirSync(site.parent).filter((name) => name !== 'out')).toEqual([])
  } finally {
    for (const [target, mode] of site.restore) if (fs.existsSync(target)) fs.chmodSync(target, mode)
  }
}

describe('a build with bad input', () => {
  describe.each([
    ['frontmatter', frontmatterCases],
    ['slugs, permalinks and duplicate URLs', urlCases],
    ['files under posts/', fileCases],
    ['templates and config', templateCases],
    ['the output folder', outputCases]
  ] as const)('%s', (_group, table) => {
    it.for(table)('should report $name clearly and keep OUT safe', (item, context) => {
      runCase(item, (note) => context.skip(note))
    })
  })
})

describe('a page whose URL is one of the built-in pages', () => {
  // `slug: archive` on a page would give /archive/, which the built-in archive page then overwrites.
  it('should be an error naming the post, with OUT untouched', () => {
    const site = copyBase()
    site.write('posts/archive-page.md', post('title: My archive\npage: true\nslug: archive\n', 'Hand-picked posts.\n'))
    const run = buildCase(site)
    expect(run.stderr).not.toMatch(/^\s+at /m)
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toMatch(/^posts\/archive-page\.md:4:1 {2}error {2}URL `\/archive\/` belongs to the site's archive page: .* {2}slug-reserved$/m)
    expect(fileHashes(site.out)).toEqual(base.snapshot)
  })
})

describe('an interrupted build', () => {
  it('should leave the previous OUT when killed while writing, and the next build should clean up', async () => {
    const site = copyBase()
    // Enough files that the write stage takes a while to kill it in.
    const bytes = Buffer.alloc(48 * 1024, 7)
    for (let index = 0; index < 300; index++) site.write(`posts/assets/bulk/${String(index).padStart(3, '0')}.bin`, bytes)
    site.write('posts/2026/05/new.md', post('title: New\ndate: 2026-05-01\n'))
    cli(['--version'])

    const child = spawn(process.execPath, [bin, 'build', '--root', site.root, '--out', site.out], {stdio: ['ignore', 'ignore', 'pipe']})
    let sawStaging = false
    const watcher = fs.watch(site.parent, (_event, name) => {
      if (!sawStaging && String(name).startsWith('.out.new-')) {
        sawStaging = true
        child.kill('SIGKILL')
      }
    })
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, killed) => resolve(killed)))
    watcher.close()
    expect(sawStaging, 'the build ended before it started writing').toBe(true)
    expect(signal).toBe('SIGKILL')
    expect(fileHashes(site.out)).toEqual(base.snapshot)

    const again = cli(['build', '--root', site.root, '--out', site.out])
    expect(again.code, again.stderr).toBe(0)
    expect(fs.readdirSync(site.parent)).toEqual(['out'])
    expect(fs.existsSync(path.join(site.out, 'site/posts/new/index.html'))).toBe(true)
    expect(fs.existsSync(path.join(site.out, 'site/assets/bulk/299.bin'))).toBe(true)
  })

  it('should put back the previous OUT when killed between the two renames of the swap', () => {
    const site = copyBase()
    // What a kill between "OUT -> .out.new-x.old" and ".out.new-x -> OUT" leaves.
    fs.mkdirSync(path.join(site.parent, '.out.new-x1y2z3', 'site'), {recursive: true})
    fs.writeFileSync(path.join(site.parent, '.out.new-x1y2z3', 'site', 'index.html'), 'half')
    fs.renameSync(site.out, path.join(site.parent, '.out.new-x1y2z3.old'))

    // Even a failing build finds the previous OUT back in place.
    site.write('posts/2026/05/broken.md', post('title: [unclosed\n'))
    const failed = cli(['build', '--root', site.root, '--out', site.out])
    expect(failed.code, failed.stderr).toBe(1)
    expect(fileHashes(site.out)).toEqual(base.snapshot)

    fs.rmSync(path.join(site.root, 'posts/2026/05/broken.md'))
    const fixed = cli(['build', '--root', site.root, '--out', site.out])
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(fs.readdirSync(site.parent)).toEqual(['out'])
    expect(fileHashes(site.out)).toEqual(base.snapshot)
  })
})

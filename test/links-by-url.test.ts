/**
 * Links to another post by its URL on this site (its permalink, an alias,
 * an earlier site's URL scheme from `links.oldPermalinks`, or an absolute
 * URL on `baseUrl`'s host) resolve like links by .md path: checked, anchors
 * too, and rewritten to the post's current URL on the web and in the email.
 * Driven through the CLI.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
let root: string

interface Found {
  file: string
  line: number
  column: number
  severity: string
  rule: string
  message: string
}

function run(args: string[], cwd = root, timeout = 60_000) {
  const result = spawnSync(process.execPath, [bin, ...args], {cwd, encoding: 'utf8', timeout})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

function write(relative: string, content: string) {
  const file = path.join(root, relative)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, content)
}

/** The hrefs of the links of the paragraph whose text starts with `marker`. */
function hrefsAfter(html: string, marker: string): string[] {
  const start = html.indexOf('>' + marker)
  expect(start, marker).toBeGreaterThan(-1)
  const paragraph = html.slice(start, html.indexOf('</p>', start))
  return [...paragraph.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!)
}

let found: Found[]
let checkCode: number | null

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-links-url-'))
  // Compile once up front (the CLI builds lib/ when src/ is newer), so no check below waits on it.
  run(['--version'], undefined, 110_000)
  write(
    'letterpress.yml',
    [
      'baseUrl: https://example.org/',
      'permalink: /writing/:slug/',
      'links:',
      '  oldPermalinks: ["/blog/:year/:month/:slug/", "/old/:year/:slug.html"]',
      ''
    ].join('\n')
  )
  write(
    'posts/2026/tuning-notes.md',
    ['---', 'title: Tuning notes', 'date: 2026-03-05', 'aliases: [/notes/tuning/]', '---', '', '## Learning rates', '', 'Start small.', ''].join('\n')
  )
  write(
    'posts/2026/index-of-things.md',
    [
      '---',
      'title: Index of things',
      'date: 2026-03-09',
      '---',
      '',
      'Good: [permalink](/writing/tuning-notes/) [alias](/notes/tuning/) [old](/blog/2026/03/tuning-notes/) [absolute](https://example.org/writing/tuning-notes/) [anchor](/writing/tuning-notes/#learning-rates) [old anchor](/blog/2026/03/tuning-notes/#learning-rates) [old file](/old/2026/tuning-notes.html).',
      '',
      'Bad: [gone anchor](/writing/tuning-notes/#momentum) [typo](/writing/tunning-notes/) [absolute typo](https://example.org/writing/tuning-note/) [tags](https://example.org/tags/ml/).',
      ''
    ].join('\n')
  )
  const result = run(['check', '--format', 'json'])
  checkCode = result.code
  found = JSON.parse(result.stdout) as Found[]
})

afterAll(() => {
  fs.rmSync(root, {recursive: true, force: true})
})

describe('links to a post by its URL', () => {
  it('should accept a permalink, an alias, an old URL and an absolute URL on the site host, anchors included', () => {
    expect(found.filter((item) => item.line === 6)).toEqual([])
    expect(checkCode).toBe(0)
  })

  it('should report an anchor that the linked post does not have, at the link', () => {
    const anchors = found.filter((item) => item.rule === 'anchor-missing')
    expect(anchors.map((item) => [item.line, item.column])).toEqual([[8, 6]])
    expect(anchors[0]!.message).toContain('#momentum')
    expect(anchors[0]!.message).toContain('posts/2026/tuning-notes.md')
  })

  it('should report a URL that is no post as link-missing, with the closest post URL', () => {
    const missing = found.filter((item) => item.rule === 'link-missing')
    expect(missing.map((item) => [item.line, item.column])).toEqual([
      [8, 53],
      [8, 85]
    ])
    expect(missing[0]!.message).toContain('did you mean /writing/tuning-notes/?')
    expect(missing[1]!.message).toContain('https://example.org/writing/tuning-note/')
    expect(missing[1]!.message).toContain('did you mean /writing/tuning-notes/?')
  })

  it('should leave other pages of the site (tags, archive) unreported', () => {
    expect(found.some((item) => item.message.includes('/tags/ml/'))).toBe(false)
  })

  it('should rewrite every such link to the post’s current URL on the web and in the email', () => {
    const built = run(['build', '--out', 'out'])
    expect(built.code, built.stderr).toBe(0)
    const web = fs.readFileSync(path.join(root, 'out/site/writing/index-of-things/index.html'), 'utf8')
    const current = '/writing/tuning-notes/'
    const anchored = current + '#learning-rates'
    expect(hrefsAfter(web, 'Good:')).toEqual([current, current, current, current, anchored, anchored, current])
    const email = fs.readFileSync(path.join(root, 'out/email/2026-03/issue.html'), 'utf8')
    const absolute = 'https://example.org' + current
    expect(hrefsAfter(email, 'Good:').map((href) => href.replace(/\?utm_[^#]*/, ''))).toEqual([
      absolute,
      absolute,
      absolute,
      absolute,
      absolute + '#learning-rates',
      absolute + '#learning-rates',
      absolute
    ])
  })
})

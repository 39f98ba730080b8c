/**
 * The URL policy through the CLI: a `javascript:`, `vbscript:` or `data:`
 * URL in a post (cover, link, image, link definition) is dropped from the
 * web pages and from the email alike, with a `url-unsafe` warning at the
 * post's own line; the same URL in a setting of letterpress.yml is an error
 * at the setting's line, and nothing is built.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {simpleParser} from 'mailparser'
import {afterAll, describe, expect, it} from 'vitest'
import {isAllowedUrl, urlScheme} from '../src/source/url-policy.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-url-policy-'))
afterAll(() => fs.rmSync(work, {recursive: true, force: true}))

function cli(args: string[]): {code: number | null; stderr: string; stdout: string} {
  const result = spawnSync(process.execPath, [bin, ...args], {cwd: work, encoding: 'utf8', timeout: 90_000})
  return {code: result.status, stderr: String(result.stderr), stdout: String(result.stdout)}
}

/** A ROOT with these files (paths relative to ROOT). */
function site(name: string, files: Record<string, string>): string {
  const root = path.join(work, name)
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
    fs.writeFileSync(path.join(root, relative), content)
  }
  return root
}

/** Every `href`/`src` value in some HTML or MJML (attribute values as written; the outputs use no entities in schemes). */
function urlAttributes(html: string): string[] {
  // The theme's own icon, drawn from the site's initial when there is no logo, is an SVG data URL it makes itself.
  const own = html.replace(/<link rel="icon" href="data:image\/svg\+xml,[^"]*"/g, '')
  return [...own.matchAll(/\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((match) => match[1] ?? match[2] ?? match[3] ?? '')
}

const config = `title: Policy notes
baseUrl: https://notes.example/
authors:
  - name: Rowan Pike
    email: rowan@notes.example
    url: https://rowan.example/
subscribeUrl: https://notes.example/subscribe
newsletter:
  from: Policy notes <letters@notes.example>
`

const hostile = `---
title: Four ways to write a bad URL
date: 2026-03-02
cover: javascript:alert('cover')
---

A [plain link](javascript:alert('link')), a [folded one](JaVa&#9;ScRiPt:alert('tab')),
an image ![pixel](data:image/png;base64,iVBORw0KGgo=) and a [reference][ref].

A [fine link](https://rowan.example/fine) and a [mail](mailto:rowan@notes.example) stay.

[ref]: vbscript:msgbox('definition')

<p>Raw: <a href=" javascript:alert('raw')">raw link</a></p>
`

const note = `---
subject: Bad URLs, a note
---

Hello: a [note link](javascript:alert('note')) before the posts.
`

describe('the URL policy, from the command line', {timeout: 180_000}, () => {
  it('should drop unsafe URLs of a post from the pages and the email, with a warning at the post\'s own lines', async () => {
    const root = site('post', {'letterpress.yml': config, 'posts/2026-03-02-bad-urls.md': hostile, 'issues/2026-03.md': note})
    const out = path.join(work, 'post-out')
    const result = cli(['build', '--root', root, '--out', out])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toMatch(/^\s+at /m)

    const file = 'posts/2026-03-02-bad-urls.md'
    const warnings = result.stderr.split('\n').filter((line) => line.endsWith('  url-unsafe'))
    // The cover at its `cover:` line, not at a template; each link, image, definition and raw HTML
    // element at its own; the issue note's link at its line. Nothing else: no warning at a template.
    expect(warnings.map((line) => line.split('  ')[0]).sort()).toEqual(
      ['issues/2026-03.md:5:10', `${file}:4:1`, `${file}:7:3`, `${file}:7:45`, `${file}:8:10`, `${file}:12:1`, `${file}:14:1`].sort()
    )
    expect(result.stderr).toMatch(/ 0 errors, 7 warnings /)
    const at = (place: string) => warnings.find((line) => line.startsWith(place + '  '))
    expect(at(`${file}:4:1`)).toMatch(/warning {2}Cover `javascript:alert\('cover'\)` uses `javascript:`/)
    expect(at(`${file}:8:10`)).toMatch(/Image `data:image\/png;base64,iVBORw0KGgo=` uses `data:`/)
    expect(at(`${file}:14:1`)).toMatch(/`href` of `<a>` ` javascript:alert\('raw'\)` uses `javascript:`/)

    // Everything a reader gets: the site's HTML, the HTML and MJML, and both parts of the .eml.
    const documents = new Map<string, string>()
    for (const relative of fs.readdirSync(out, {recursive: true, encoding: 'utf8'}) as string[]) {
      if (/\.(?:html|mjml)$/.test(relative)) documents.set(relative, fs.readFileSync(path.join(out, relative), 'utf8'))
    }
    const mail = await simpleParser(fs.readFileSync(path.join(out, 'email', '2026-03', 'issue.eml')))
    documents.set('issue.eml (html)', String(mail.html))
    expect(documents.has(path.join('email', '2026-03', 'issue.html'))).toBe(true)
    expect(documents.has(path.join('site', 'posts', 'bad-urls', 'index.html'))).toBe(true)
    for (const [name, html] of documents) {
      for (const url of urlAttributes(html)) expect(isAllowedUrl(url), `${name}: ${url}`).toBe(true)
      expect(html, name).not.toMatch(/alert\('(?:cover|link|tab|raw|note)'\)|msgbox/)
    }
    // The safe links are still live on both channels.
    const page = documents.get(path.join('site', 'posts', 'bad-urls', 'index.html'))!
    expect(urlAttributes(page)).toEqual(expect.arrayContaining(['https://rowan.example/fine', 'mailto:rowan@notes.example']))
    expect(urlAttributes(String(mail.html))).toEqual(expect.arrayContaining(['https://rowan.example/fine', 'mailto:rowan@notes.example']))
    // The text part has no unsafe URL either.
    expect(String(mail.text)).not.toMatch(/javascript|vbscript|data:image/i)
  })

  it('should refuse unsafe URLs in letterpress.yml as errors at their lines, and build nothing', () => {
    const bad = config
      .replace('baseUrl: https://notes.example/', 'baseUrl: javascript:alert(0)//x/')
      .replace('url: https://rowan.example/', "url: \"java\\tscript:alert('author')\"")
      .replace('subscribeUrl: https://notes.example/subscribe', 'subscribeUrl: javascript:alert(1)')
      .replace('newsletter:\n', 'newsletter:\n  social:\n    - name: Feed\n      url: data:text/html,hi\n')
    const root = site('config', {
      'letterpress.yml': bad,
      'posts/2026-03-02-fine.md': '---\ntitle: Fine\ndate: 2026-03-02\n---\n\nNothing wrong here.\n'
    })
    const out = path.join(work, 'config-out')
    const result = cli(['build', '--root', root, '--out', out])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/^\s+at /m)
    const errors = result.stderr.split('\n').filter((line) => line.endsWith('  url-unsafe'))
    expect(errors.map((line) => line.split('  ').slice(0, 2).join('  '))).toEqual([
      'letterpress.yml:2:10  error',
      'letterpress.yml:6:10  error',
      'letterpress.yml:7:15  error',
      'letterpress.yml:11:12  error'
    ])
    expect(errors[0]).toMatch(/`baseUrl`.*`javascript:`/)
    expect(errors[1]).toMatch(/`authors\.0\.url`.*`javascript:`/)
    expect(errors[2]).toMatch(/`subscribeUrl`.*`javascript:`/)
    expect(errors[3]).toMatch(/`newsletter\.social\.0\.url`.*`data:`/)
    expect(fs.existsSync(out)).toBe(false)

    const checked = cli(['check', '--root', root, '--format', 'json'])
    expect(checked.code).toBe(1)
  })

  it('should refuse a baseUrl that is not absolute http(s) at its line, without a stack trace', () => {
    const root = site('base', {
      'letterpress.yml': 'title: Base\nbaseUrl: notes.example\n',
      'posts/2026-03-02-fine.md': '---\ntitle: Fine\ndate: 2026-03-02\n---\n\nNothing wrong here.\n'
    })
    const result = cli(['check', '--root', root])
    expect(result.code).toBe(1)
    expect(result.stderr + result.stdout).not.toMatch(/^\s+at |TypeError/m)
    expect(result.stdout).toMatch(/^letterpress\.yml:2:10 {2}error {2}Setting `baseUrl` in letterpress\.yml: must be an absolute http\(s\) URL, like https:\/\/example\.org\/ {2}config-invalid$/m)
  })

  it('should read a scheme as a browser does', () => {
    expect(urlScheme(' JaVa\n\tScript:alert(1)')).toBe('javascript')
    expect(urlScheme('/posts/x/')).toBeUndefined()
    expect(isAllowedUrl('HTTPS://a.example/')).toBe(true)
    expect(isAllowedUrl('//cdn.example/x.png')).toBe(true)
    expect(isAllowedUrl('#section')).toBe(true)
    expect(isAllowedUrl('data:image/png;base64,AAAA')).toBe(false)
    expect(isAllowedUrl('file:///etc/passwd')).toBe(false)
    expect(isAllowedUrl('\\\\evil.example/x')).toBe(false)
  })
})

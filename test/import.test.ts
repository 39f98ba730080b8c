/**
 * Posts written for MkDocs-Material, Astro, Hugo and Jekyll, built through
 * the CLI as they are (test/fixtures/import/<tool>/), and
 * `letterpress init --from` for the three tools whose config it reads.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const fixtures = path.join(project, 'test', 'fixtures', 'import')
let work: string

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {cwd: work, encoding: 'utf8', timeout: 120_000})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

/** A fresh folder under the test's work folder. */
function folder(name: string): string {
  const dir = path.join(work, name)
  fs.mkdirSync(dir, {recursive: true})
  return dir
}

/** Copy `from` (under the fixture) to `to` (under `root`), as a user moving folders would. */
function copy(tool: string, from: string, root: string, to: string): void {
  fs.cpSync(path.join(fixtures, tool, from), path.join(root, to), {recursive: true})
}

interface Diagnostic {
  file: string
  line: number
  severity: string
  rule: string
  message: string
}

function check(root: string): Diagnostic[] {
  const {stdout} = run(['check', '--root', root, '--format', 'json'])
  return JSON.parse(stdout) as Diagnostic[]
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8')
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-import-'))
  run(['--version'])
})

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

describe('posts from other tools, built as they are', {timeout: 180_000}, () => {
  it('should build an MkDocs project from its mkdocs.yml alone, at the blog plugin URLs', () => {
    const root = folder('mkdocs-as-is')
    fs.cpSync(path.join(fixtures, 'mkdocs-blog'), root, {recursive: true})
    const {code, stderr} = run(['build', '--root', root])
    expect(stderr).toContain('0 errors')
    expect(code).toBe(0)
    const site = path.join(root, 'dist', 'site')
    // post_url_format {date}/{slug} with post_url_date_format yyyy/MM, under blog_dir.
    const post = read(path.join(site, 'blog', '2026', '01', 'trimming-the-wick', 'index.html'))
    expect(post).toContain('<title>Trimming the wick')
    // Authors by their .authors.yml ids; /assets/ against docs_dir; a link to another post's .md.
    expect(post).toContain('Ada Lamplight')
    expect(post).toContain('Tom Wick')
    expect(post).toContain('src="/assets/lamp.png"')
    expect(post).toContain('href="/blog/2026/02/oil-grades/"')
    expect(fs.existsSync(path.join(site, 'assets', 'lamp.png'))).toBe(true)
    // site_name, copyright (HTML, as MkDocs writes it), site_url.
    const home = read(path.join(site, 'index.html'))
    expect(home).toContain('Lamplight Notes')
    expect(home).toContain('Copyright &copy; 2026 Ada Lamplight')
    const feed = read(path.join(site, 'feed.xml'))
    expect(feed).toContain('https://lamplight.example.org/blog/2026/01/trimming-the-wick/')
    expect(feed).toContain('<copyright>Copyright © 2026 Ada Lamplight</copyright>')
    // The MkDocs site's own pages are not blog posts.
    expect(fs.existsSync(path.join(site, 'index', 'index.html'))).toBe(false)
    expect(read(path.join(site, 'archive', 'index.html'))).not.toContain('>Blog<')
    // extra.social becomes the issues' footer links.
    expect(read(path.join(root, 'dist', 'email', '2026-01', 'issue.html'))).toContain('https://social.example.org/@lamplight')
  })

  it('should build Astro posts with only a field mapping and a permalink', () => {
    const root = folder('astro-as-is')
    copy('astro', 'src/content/blog', root, 'posts/content/blog')
    copy('astro', 'src/assets', root, 'posts/assets')
    copy('astro', 'public', root, 'posts')
    fs.writeFileSync(
      path.join(root, 'letterpress.yml'),
      'permalink: /blog/:slug/\nfrontmatter:\n  rename:\n    topics: tags\nlinks:\n  oldPermalinks: [/writing/:slug/]\n'
    )
    const {code, stderr} = run(['build', '--root', root])
    expect(stderr).toContain('3 posts')
    expect(stderr).toContain('0 errors')
    expect(stderr).not.toContain('image-missing')
    expect(code).toBe(0)
    const site = path.join(root, 'dist', 'site')
    // `date: 14 January 2026` beside `published: 2026-01-14`.
    const post = read(path.join(site, 'blog', 'descaling', 'index.html'))
    expect(post).toContain('datetime="2026-01-14')
    // heroImage is the cover; `topics` are the tags.
    expect(post).toContain('/assets/kettle.png')
    expect(fs.existsSync(path.join(site, 'tags', 'water', 'index.html'))).toBe(true)
    // pubDate 'Jan 28 2026' and updatedDate 'Feb 2, 2026'.
    const thermostat = read(path.join(site, 'blog', 'thermostat', 'index.html'))
    expect(thermostat).toContain('datetime="2026-01-28')
    expect(thermostat).toContain('2026-02-02')
    // Cross-links by URL: the site's own, and the old site's `/writing/:slug/`, point at the posts.
    expect(stderr).not.toContain('link-missing')
    expect(read(path.join(site, 'blog', 'spouts', 'index.html'))).toContain('href="/blog/descaling/"')
    expect(thermostat).toContain('href="/blog/spouts/"')
  })

  it('should build Hugo posts with only a permalink, page bundles named by their folder', () => {
    const root = folder('hugo-as-is')
    copy('hugo', 'content/posts', root, 'posts/posts')
    copy('hugo', 'static', root, 'posts')
    fs.rmSync(path.join(root, 'posts', 'posts', '_index.md'))
    // The bundle's TOML frontmatter is YAML once imported (see init --from below).
    fs.rmSync(path.join(root, 'posts', 'posts', 'harbour-walk'), {recursive: true})
    fs.writeFileSync(path.join(root, 'letterpress.yml'), 'permalink: /:year/:month/:slug/\n')
    const {code, stderr} = run(['build', '--root', root])
    expect(stderr).toContain('0 errors')
    expect(code).toBe(0)
    const site = path.join(root, 'dist', 'site')
    const post = read(path.join(site, '2026', '03', 'spring-tides', 'index.html'))
    // date with a time and zone, lastmod, summary, the first of images as cover, aliases.
    expect(post).toContain('datetime="2026-03-02T06:30:00.000Z"')
    expect(post).toContain('2026-03-05')
    expect(post).toContain('The highest water of the year comes with the equinox.')
    expect(post).toContain('/images/gull.png')
    expect(fs.existsSync(path.join(site, 'old', 'spring-tides', 'index.html'))).toBe(true)
  })

  it('should build Jekyll posts dated by their file names, with published: false left out', () => {
    const root = folder('jekyll-as-is')
    copy('jekyll', '_posts', root, 'posts/_posts')
    copy('jekyll', 'assets', root, 'posts/assets')
    fs.writeFileSync(path.join(root, 'letterpress.yml'), 'permalink: /:year/:month/:day/:slug/\nlinks:\n  oldPermalinks: [/:year/:month/:day/:slug.html]\n')
    const {code, stderr} = run(['build', '--root', root])
    expect(stderr).toContain('2 posts')
    expect(stderr).toContain('0 errors')
    expect(code).toBe(0)
    const site = path.join(root, 'dist', 'site')
    // `date: 2019-05-10 09:15:00 +0200`, the slug without the date prefix, `excerpt`.
    const first = read(path.join(site, '2019', '05', '10', 'first-flight', 'index.html'))
    expect(first).toContain('datetime="2019-05-10T07:15:00.000Z"')
    expect(first).toContain('A steady onshore breeze and a delta kite.')
    // No `date:` at all: the file name's. `category:` is a category.
    expect(fs.existsSync(path.join(site, '2019', '06', '02', 'mending-a-spar', 'index.html'))).toBe(true)
    expect(fs.existsSync(path.join(site, 'categories', 'repair', 'index.html'))).toBe(true)
    // A link by Jekyll's old `.html` URL resolves to the post's new one.
    expect(stderr).not.toContain('link-missing')
    expect(read(path.join(site, '2019', '06', '02', 'mending-a-spar', 'index.html'))).toContain('href="/2019/05/10/first-flight/"')
    // `published: false` is a draft.
    expect(fs.existsSync(path.join(site, '2019', '06', '20', 'a-calm-day', 'index.html'))).toBe(false)
  })
})

describe('letterpress init --from', {timeout: 180_000}, () => {
  it('should write letterpress.yml from mkdocs.yml and copy docs_dir under posts/', () => {
    const target = path.join(work, 'from-mkdocs')
    const {code, stdout} = run(['init', '--from', path.join(fixtures, 'mkdocs-blog'), target])
    expect(code).toBe(0)
    expect(stdout).toContain('Imported a MkDocs project')
    const config = parseYaml(read(path.join(target, 'letterpress.yml'))) as Record<string, unknown>
    expect(config).toMatchObject({
      title: 'Lamplight Notes',
      description: 'Short letters about keeping small machines running.',
      baseUrl: 'https://lamplight.example.org/',
      permalink: '/blog/:year/:month/:slug/',
      authors: [
        {id: 'ada', name: 'Ada Lamplight', url: 'https://lamplight.example.org/about/'},
        {id: 'tom', name: 'Tom Wick'}
      ],
      newsletter: {social: [{name: 'Mastodon', url: 'https://social.example.org/@lamplight'}, {name: 'Code', url: 'https://github.com/lamplight-example'}]}
    })
    expect(fs.existsSync(path.join(target, 'posts', 'blog', 'posts', '2026', 'wick-trimming.md'))).toBe(true)
    expect(fs.existsSync(path.join(target, 'posts', 'assets', 'lamp.png'))).toBe(true)
    // The MkDocs site's pages are not posts, so they are not copied.
    expect(fs.existsSync(path.join(target, 'posts', 'index.md'))).toBe(false)
    expect(check(target).filter((entry) => entry.severity === 'error')).toEqual([])
  })

  it('should read the site URL of astro.config.mjs without running it, and keep src/ links working', () => {
    const target = path.join(work, 'from-astro')
    const {code} = run(['init', '--from', path.join(fixtures, 'astro'), target])
    expect(code).toBe(0)
    const config = parseYaml(read(path.join(target, 'letterpress.yml'))) as Record<string, unknown>
    // The commented-out `site:` above the real one is not read.
    expect(config).toMatchObject({
      baseUrl: 'https://kettle.example.net',
      title: 'Kettle Logbook',
      description: 'Notes from a small workshop that repairs kettles.',
      permalink: '/blog/:slug/'
    })
    expect(fs.existsSync(path.join(target, 'posts', 'content', 'blog', 'descaling.md'))).toBe(true)
    expect(fs.existsSync(path.join(target, 'posts', 'favicon.png'))).toBe(true)
    const diagnostics = check(target)
    expect(diagnostics.filter((entry) => entry.severity === 'error')).toEqual([])
    expect(diagnostics.filter((entry) => entry.rule === 'image-missing')).toEqual([])
  })

  it('should read hugo.toml, convert TOML frontmatter to YAML and skip section lists', () => {
    const target = path.join(work, 'from-hugo')
    const {code} = run(['init', '--from', path.join(fixtures, 'hugo'), target])
    expect(code).toBe(0)
    const config = parseYaml(read(path.join(target, 'letterpress.yml'))) as Record<string, unknown>
    expect(config).toMatchObject({
      title: 'Harbour Log',
      baseUrl: 'https://harbour.example.com/',
      description: 'Tides, boats and the people who mend them.',
      language: 'en-gb',
      copyright: '© 2026 The Harbour Log',
      permalink: '/:year/:month/:slug/'
    })
    const bundle = read(path.join(target, 'posts', 'posts', 'harbour-walk', 'index.md'))
    expect(bundle.startsWith('---\ntitle: A walk along the pier\ndate: 2026-03-20T18:00:00')).toBe(true)
    expect(fs.existsSync(path.join(target, 'posts', 'posts', '_index.md'))).toBe(false)
    expect(fs.existsSync(path.join(target, 'posts', 'images', 'gull.png'))).toBe(true)
    const {code: built, stderr} = run(['build', '--root', target])
    expect(stderr).toContain('0 errors')
    expect(built).toBe(0)
    // The page bundle is named by its folder and finds the image beside it.
    expect(read(path.join(target, 'dist', 'site', '2026', '03', 'harbour-walk', 'index.html'))).toContain('pier.png')
  })

  it('should refuse a folder that is no known project (usage) and a target with a site (exit 1)', () => {
    const empty = folder('nothing-here')
    const unknown = run(['init', '--from', empty, path.join(work, 'unused')])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('holds no mkdocs.yml, astro.config.* or Hugo config')
    expect(fs.existsSync(path.join(work, 'unused', 'letterpress.yml'))).toBe(false)

    const taken = folder('taken')
    fs.writeFileSync(path.join(taken, 'letterpress.yml'), 'title: Mine\n')
    const refused = run(['init', '--from', path.join(fixtures, 'astro'), taken])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('exists already')
    expect(read(path.join(taken, 'letterpress.yml'))).toBe('title: Mine\n')
    expect(fs.existsSync(path.join(taken, 'posts'))).toBe(false)
  })
})

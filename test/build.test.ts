/**
 * `build` on the project's own sample site and on small hand-made sites:
 * the output contract, drafts, determinism and nothing half-written.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {check} from '../src/pipeline/check.js'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-build-'))

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

function site(name: string, posts: Record<string, string>, config = ''): string {
  const root = path.join(work, name)
  for (const [relative, content] of Object.entries(posts)) {
    const file = path.join(root, 'posts', relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  if (config) fs.writeFileSync(path.join(root, 'letterpress.yml'), config)
  return root
}

describe('build of the sample site', () => {
  const out = path.join(work, 'sample-out')
  let pages: Map<string, string>

  beforeAll(async () => {
    const result = await build({root: project, outDir: out})
    expect(result.errors).toBe(0)
    expect(result.written).toBe(true)
    pages = fileHashes(out)
  })

  it('should write the pages, feeds and files of the output contract', () => {
    for (const file of [
      'site/index.html',
      'site/posts/feature-stores-without-the-hype/index.html',
      'site/tags/index.html',
      'site/archive/index.html',
      'site/about/index.html',
      'site/feed.xml',
      'site/atom.xml',
      'site/feed.json',
      'site/sitemap.xml',
      'site/robots.txt',
      'site/404.html'
    ]) {
      expect(pages.has(file), file).toBe(true)
    }
  })

  it('should leave drafts out of pages, feeds and the sitemap', () => {
    expect(pages.has('site/posts/shadow-deployments/index.html')).toBe(false)
    const text = (file: string) => fs.readFileSync(path.join(out, file), 'utf8')
    for (const file of ['site/index.html', 'site/feed.xml', 'site/feed.json', 'site/sitemap.xml', 'site/archive/index.html']) {
      expect(text(file), file).not.toContain('shadow-deployments')
    }
  })

  it('should publish the posts’ own files at the same path', () => {
    expect(pages.has('site/assets/logo.svg')).toBe(true)
    expect(pages.has('site/2026/08/psi-histogram.png')).toBe(true)
  })

  it('should redirect an alias to its post', () => {
    const html = fs.readFileSync(path.join(out, 'site/blog/2026/10/data-contracts/index.html'), 'utf8')
    expect(html).toMatch(/http-equiv="refresh" content="0; url=\/posts\/data-contracts-upstream\/"/)
  })

  it('should give the same bytes on a second build', async () => {
    const again = path.join(work, 'sample-again')
    await build({root: project, outDir: again})
    expect(fileHashes(again)).toEqual(pages)
  })

  it('should show drafts, marked, with --drafts', async () => {
    const drafts = path.join(work, 'sample-drafts')
    await build({root: project, outDir: drafts, drafts: true})
    const html = fs.readFileSync(path.join(drafts, 'site/posts/shadow-deployments/index.html'), 'utf8')
    expect(html).toMatch(/[Dd]raft/)
  })
})

describe('a build that fails', () => {
  it('should leave the previous output byte for byte', async () => {
    const root = site('fails', {'a.md': '---\ntitle: A\ndate: 2026-01-05\n---\n\nFine.\n'})
    const out = path.join(root, 'dist')
    expect((await build({root, outDir: out})).written).toBe(true)
    const before = fileHashes(out)

    fs.writeFileSync(path.join(root, 'posts', 'b.md'), '---\ntitle: [unclosed\n---\n\nBroken.\n')
    const result = await build({root, outDir: out})
    expect(result.written).toBe(false)
    expect(result.errors).toBeGreaterThan(0)
    expect(result.diagnostics.find((item) => item.severity === 'error')).toMatchObject({
      file: 'posts/b.md',
      line: 2,
      rule: 'frontmatter-yaml'
    })
    expect(fileHashes(out)).toEqual(before)
    expect(fs.readdirSync(root).filter((name) => name.startsWith('.dist'))).toEqual([])
  })

  it('should refuse to replace a folder it did not make', async () => {
    const root = site('foreign', {'a.md': '---\ntitle: A\ndate: 2026-01-05\n---\n\nFine.\n'})
    const out = path.join(root, 'mine')
    fs.mkdirSync(out)
    fs.writeFileSync(path.join(out, 'keep.txt'), 'precious')
    await expect(build({root, outDir: out})).rejects.toThrow(/not made by letterpress/)
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('precious')
  })

  it('should refuse an output folder that holds the site', async () => {
    const root = site('self', {'a.md': '---\ntitle: A\ndate: 2026-01-05\n---\n\nFine.\n'})
    await expect(build({root, outDir: root})).rejects.toThrow(/contains the site root/)
    await expect(build({root, outDir: path.dirname(root)})).rejects.toThrow(/contains the site root/)
    expect(fs.existsSync(path.join(root, 'posts', 'a.md'))).toBe(true)
  })
})

describe('posts that claim one URL', () => {
  it('should be an error naming both files, and write nothing', async () => {
    const root = site('duplicate', {
      '2026/a.md': '---\ntitle: A\ndate: 2026-01-05\nslug: same\n---\n\nOne.\n',
      '2026/b/same.md': '---\ntitle: B\ndate: 2026-01-06\n---\n\nTwo.\n'
    })
    const result = await build({root})
    expect(result.written).toBe(false)
    const duplicates = result.diagnostics.filter((item) => item.rule === 'slug-duplicate')
    expect(duplicates.map((item) => item.file).sort()).toEqual(['posts/2026/a.md', 'posts/2026/b/same.md'])
    expect(duplicates.find((item) => item.file === 'posts/2026/a.md')).toMatchObject({line: 4, severity: 'error'})
    expect(duplicates.find((item) => item.file === 'posts/2026/a.md')!.message).toContain('posts/2026/b/same.md')
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false)
  })
})

describe('build of a root with only posts/', () => {
  it('should build with defaults and warn that the base URL is missing', async () => {
    const root = site('bare', {'hello.md': '# Hello\n\nA first post.\n'.replace('# Hello', '---\ndate: 2026-03-01\n---\n\n# Hello')})
    const result = await build({root})
    expect(result.errors).toBe(0)
    expect(result.diagnostics.map((item) => item.rule)).toContain('config-base-url')
    const html = fs.readFileSync(path.join(root, 'dist', 'site', 'posts', 'hello', 'index.html'), 'utf8')
    expect(html).toContain('Hello')
    // The title came from the heading: the page shows it once.
    expect(html.match(/<h1[^>]*>/g)).toHaveLength(1)
  })

  it('should have check warn about the missing base URL as build does', async () => {
    const root = site('bare-check', {'hello.md': '---\ndate: 2026-03-01\n---\n\n# Hello\n\nA first post.\n'})
    const checked = await check({root})
    expect(checked.diagnostics.filter((item) => item.rule === 'config-base-url')).toEqual([
      expect.objectContaining({file: 'letterpress.yml', severity: 'warning'})
    ])
  })
})

describe('a build after an interrupted one', () => {
  it('should clear what the interrupted write left beside the output', async () => {
    const root = site('interrupted', {'a.md': '---\ntitle: A\ndate: 2026-01-05\n---\n\nFine.\n'})
    const leftover = path.join(root, '.dist.new-abc123')
    fs.mkdirSync(path.join(leftover, 'site'), {recursive: true})
    fs.writeFileSync(path.join(leftover, 'site', 'index.html'), 'half')
    const result = await build({root})
    expect(result.written).toBe(true)
    expect(fs.readdirSync(root).filter((name) => name.startsWith('.dist'))).toEqual([])
    expect(fs.readFileSync(path.join(root, 'dist', 'site', 'posts', 'a', 'index.html'), 'utf8')).toContain('Fine.')
  })
})

describe('lists of posts', () => {
  it('should split the home page and each tag page into pages of `postsPerPage`, linked both ways', async () => {
    const posts: Record<string, string> = {}
    for (let day = 1; day <= 5; day++) {
      posts[`p${day}.md`] = `---\ntitle: Rollout note ${day}\ndate: 2026-03-0${day}\ntags: [${day === 3 ? 'canary' : 'canary, rollback'}]\n---\n\nNote ${day}.\n`
    }
    const root = site('lists', posts, 'title: Lists\nbaseUrl: https://example.org/\npostsPerPage: 2\n')
    const out = path.join(root, 'dist')
    expect((await build({root, outDir: out})).errors).toBe(0)
    const page = (relative: string) => fs.readFileSync(path.join(out, 'site', relative), 'utf8')
    const titles = (html: string) => [...html.matchAll(/>Rollout note (\d)</g)].map((match) => Number(match[1]))

    // Newest first: 5 4 | 3 2 | 1 on the home page; 5 4 | 3 2 | 1 tagged canary; 5 4 | 2 1 tagged rollback.
    expect(titles(page('index.html'))).toEqual([5, 4])
    expect(titles(page('page/3/index.html'))).toEqual([1])
    expect(titles(page('tags/canary/index.html'))).toEqual([5, 4])
    expect(titles(page('tags/canary/page/2/index.html'))).toEqual([3, 2])
    expect(titles(page('tags/canary/page/3/index.html'))).toEqual([1])
    expect(titles(page('tags/rollback/page/2/index.html'))).toEqual([2, 1])
    expect(fs.existsSync(path.join(out, 'site/tags/rollback/page/3'))).toBe(false)

    const middle = page('tags/canary/page/2/index.html')
    expect(middle).toContain('<title>Tag: canary — page 2')
    expect(middle).toContain('href="/tags/canary/" rel="prev"')
    expect(middle).toContain('href="/tags/canary/page/3/" rel="next"')
    expect(middle).toContain('Page 2 of 3')
    expect(page('tags/canary/index.html')).toContain('5 posts')
    expect(page('sitemap.xml')).toContain('<loc>https://example.org/tags/canary/page/3/</loc>')
  })
})

describe('the theme files', () => {
  it('should be linked by the version of their bytes, so a changed theme is a new URL', async () => {
    const root = site('theme', {'a.md': '---\ntitle: A\ndate: 2026-01-05\n---\n\nFine.\n'})
    const out = path.join(root, 'dist')
    await build({root, outDir: out})
    const versions = () => {
      const html = fs.readFileSync(path.join(out, 'site/index.html'), 'utf8')
      return [/href="\/assets\/theme\/theme\.css\?v=([0-9a-f]{10})"/.exec(html)?.[1], /src="\/assets\/theme\/theme\.js\?v=([0-9a-f]{10})"/.exec(html)?.[1]]
    }
    const [css, js] = versions()
    expect(css).toBeDefined()
    expect(js).toBeDefined()
    fs.mkdirSync(path.join(root, 'templates/web/assets'), {recursive: true})
    fs.writeFileSync(path.join(root, 'templates/web/assets/theme.css'), 'body { color: #222; }\n')
    await build({root, outDir: out})
    const [newCss, newJs] = versions()
    expect(newCss).not.toBe(css)
    expect(newJs).toBe(js)
    expect(fs.readFileSync(path.join(out, 'site/assets/theme/theme.css'), 'utf8')).toBe('body { color: #222; }\n')
  })
})

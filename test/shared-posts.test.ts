/**
 * The real posts in ../shared (the seed and the corpus), as an author would
 * run letterpress on them. Skipped unless every post the tests name is
 * there (a user's clone has none of them).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {check} from '../src/pipeline/check.js'
import {renderFragment} from '../src/index.js'
import {loadPost} from '../src/source/load.js'
import type {Diagnostic} from '../src/source/report.js'

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared')
/** The posts these tests name; the rest of seed/ and corpus/ is read as it comes. */
const named = [
  'seed/whats-new-in-mlops.md',
  ...['about.md', 'intro-llms.md', 'legal-tech.md', 'mlops-open-problems.md', 'reading.md'].map((name) => `corpus/${name}`)
]
const present = named.every((relative) => fs.existsSync(path.join(shared, relative)))

describe.skipIf(!present)('the seed and corpus posts', () => {
  let root: string
  let diagnostics: Diagnostic[] = []
  const names: string[] = []

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-shared-'))
    fs.mkdirSync(path.join(root, 'posts'))
    for (const folder of ['seed', 'corpus']) {
      for (const name of fs.readdirSync(path.join(shared, folder))) {
        if (!name.endsWith('.md')) continue
        fs.copyFileSync(path.join(shared, folder, name), path.join(root, 'posts', name))
        names.push(name)
      }
    }
    diagnostics = (await check({root})).diagnostics
  })

  afterAll(() => {
    fs.rmSync(root, {recursive: true, force: true})
  })

  const at = (file: string, rule: string) =>
    diagnostics.filter((item) => item.file === `posts/${file}` && item.rule === rule).map((item) => item.line)

  it('should report the seed’s missing image at its line', () => {
    expect(at('whats-new-in-mlops.md', 'image-missing')).toEqual([61])
  })

  it('should report every backslash image path of the corpus at its line', () => {
    expect(at('intro-llms.md', 'path-backslash')).toEqual([14, 26, 30])
    expect(at('mlops-open-problems.md', 'path-backslash')).toEqual([28])
    const message = diagnostics.find((item) => item.rule === 'path-backslash' && item.file.endsWith('mlops-open-problems.md'))
    expect(message?.column).toBe(5)
    expect(message?.message).toContain('/assets/mlops/1.png')
  })

  it('should report the corpus posts without a date as errors that say what to add', () => {
    for (const name of ['about.md', 'intro-llms.md', 'legal-tech.md', 'mlops-open-problems.md', 'reading.md']) {
      const found = diagnostics.find((item) => item.file === `posts/${name}` && item.rule === 'date-missing')
      expect(found, name).toBeDefined()
      expect(found!.severity).toBe('error')
      expect(found!.message).toMatch(/`date: YYYY-MM-DD`.*`page: true`/)
    }
    // The date the author wrote in the body is offered as a hint.
    const hinted = diagnostics.find((item) => item.file === 'posts/intro-llms.md' && item.rule === 'date-missing')
    expect(hinted!.message).toContain('May 15, 2023')
  })

  it('should report the seed’s mojibake as repaired, line by line', () => {
    const lines = at('whats-new-in-mlops.md', 'encoding-mojibake')
    expect(lines).toContain(14)
    expect(lines).toContain(87)
    expect(diagnostics.every((item) => item.file === 'posts/whats-new-in-mlops.md' || item.rule !== 'encoding-mojibake')).toBe(true)
  })

  it('should render every post with no lost text and no mojibake', async () => {
    for (const name of names) {
      const file = await loadPost(root, `posts/${name}`)
      const html = await renderFragment(String(file.value))
      expect(html, name).not.toMatch(/‚Ä|üì|Ã©|â€/)
      // Every word of every paragraph line survives (tags aside).
      const text = html.replace(/<img[^>]*\balt="([^"]*)"[^>]*>/g, ' $1 ').replace(/<[^>]+>/g, ' ')
      const source = String(file.value)
        .replace(/^---\n[^]*?\n---\n/, '')
        // Link destinations and bare URLs are attributes, not text.
        .replace(/\]\([^)]*\)/g, ']')
        .replace(/(?:https?:\/\/|www\.)\S+/g, ' ')
      for (const word of source.match(/[A-Za-z]{9,}/g) ?? []) {
        if (/<!--[^]*-->/.test(source) && isInComment(source, word)) continue
        expect(text, `${name}: ${word}`).toContain(word)
      }
    }
  })
})

describe.skipIf(!present)('a build of the seed and corpus posts with --drafts', () => {
  let root: string
  let result: Awaited<ReturnType<typeof build>>

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-shared-build-'))
    fs.mkdirSync(path.join(root, 'posts'))
    for (const folder of ['seed', 'corpus']) {
      for (const name of fs.readdirSync(path.join(shared, folder))) {
        if (name.endsWith('.md')) fs.copyFileSync(path.join(shared, folder, name), path.join(root, 'posts', name))
      }
    }
    result = await build({root, drafts: true})
  })

  afterAll(() => {
    fs.rmSync(root, {recursive: true, force: true})
  })

  it('should write a page for every post, with warnings and no errors', () => {
    expect(result.errors).toBe(0)
    expect(result.written).toBe(true)
    for (const slug of ['whats-new-in-mlops', 'intro-llms', 'legal-tech', 'mlops-open-problems', 'reading', 'about']) {
      expect(fs.existsSync(path.join(root, 'dist', 'site', 'posts', slug, 'index.html')), slug).toBe(true)
    }
    expect(result.diagnostics.filter((item) => item.rule === 'image-missing').length).toBeGreaterThanOrEqual(9)
  })

  it('should carry the repaired characters and every paragraph to the page', () => {
    const html = fs.readFileSync(path.join(root, 'dist', 'site', 'posts', 'whats-new-in-mlops', 'index.html'), 'utf8')
    expect(html).not.toMatch(/‚Ä|üì/)
    expect(html).toContain('it’s so easy to get overwhelmed')
    expect(html).toContain('📜')
    expect(html).toMatch(/<details class="note">\s*<summary>Note<\/summary>/)
  })
})

/** Words that only occur inside HTML comments are dropped on purpose. */
function isInComment(source: string, word: string): boolean {
  const outside = source.replace(/<!--[^]*?-->/g, ' ')
  return !outside.includes(word)
}

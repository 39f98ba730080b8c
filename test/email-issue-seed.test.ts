/**
 * The monthly issue built from the real posts in ../shared (the seed and the
 * corpus), as their author would: the seed copied into a fresh ROOT/posts
 * and built with drafts. The corpus posts carry no dates, so each gets one
 * in its temporary copy (its own month), which puts every one of them into
 * an issue of its own. Skipped when the seed post or the corpus folder is
 * absent (a user's clone).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {simpleParser} from 'mailparser'
import {visit} from 'unist-util-visit'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderOutputs, type RenderedSite} from '../src/pipeline/build.js'
import {loadConfig} from '../src/source/config.js'
import {lintEmailHtml} from '../src/email/lint.js'
import type {OutputContent} from '../src/pipeline/write.js'

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared')
const seed = path.join(shared, 'seed', 'whats-new-in-mlops.md')
const corpusDir = path.join(shared, 'corpus')
const present = fs.existsSync(seed) && fs.existsSync(corpusDir)
const corpus = present ? fs.readdirSync(corpusDir).filter((name) => name.endsWith('.md')).sort() : []
const baseUrl = 'https://letters.example/'

/** Mojibake the loader must have repaired (UTF-8 read as Mac Roman). */
const mojibake = /‚Äô|‚Äú|‚Äù|üìú|üìë|Ô∏è/

function text(value: OutputContent | undefined): string {
  if (value === undefined) throw new Error('missing output')
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return fs.readFileSync(value.copyFrom, 'utf8')
}

/** The post with a `date:` in its frontmatter: the given one, or its own when it has one. */
function withDate(markdown: string, date: string): string {
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(markdown)
  if (frontmatter && /^date:/m.test(frontmatter[1]!)) return markdown
  if (frontmatter) return markdown.replace(/^---\r?\n/, `---\ndate: ${date}\n`)
  return `---\ndate: ${date}\n---\n${markdown}`
}

function images(html: string): Element[] {
  const found: Element[] = []
  visit(fromHtml(html), 'element', (node) => {
    if (node.tagName === 'img') found.push(node)
  })
  return found
}

describe.skipIf(!present)('the issue of the real posts in ../shared', () => {
  let root: string
  let rendered: RenderedSite
  /** Month of each corpus post's issue. */
  const corpusMonths = new Map<string, string>()

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-email-seed-'))
    fs.mkdirSync(path.join(root, 'posts', 'corpus'), {recursive: true})
    fs.copyFileSync(seed, path.join(root, 'posts', 'whats-new-in-mlops.md'))
    corpus.forEach((name, index) => {
      const month = `2023-${String(index + 1).padStart(2, '0')}`
      const markdown = fs.readFileSync(path.join(corpusDir, name), 'utf8')
      const dated = withDate(markdown, `${month}-15`)
      const own = /^---\r?\n[\s\S]*?^date:\s*['"]?(\d{4}-\d{2})/m.exec(dated)?.[1]
      corpusMonths.set(name, own ?? month)
      fs.writeFileSync(path.join(root, 'posts', 'corpus', name), dated)
    })
    const {config, file} = await loadConfig(root, {drafts: true, baseUrl})
    rendered = await renderOutputs(config, file)
  }, 120_000)

  afterAll(() => {
    if (root) fs.rmSync(root, {recursive: true, force: true})
  })

  it('should build without errors', () => {
    const errors = rendered.files.flatMap((file) => file.messages.filter((message) => message.fatal).map((message) => `${file.path}: ${message.reason}`))
    expect(errors).toEqual([])
    expect(rendered.failed).toBe(false)
  })

  it('should give the seed a 2022-10 issue with its collapsible note open, emoji as characters and repaired text', async () => {
    const html = text(rendered.outputs.get('email/2022-10/issue.html'))
    const plain = text(rendered.outputs.get('email/2022-10/issue.txt'))
    const summary = JSON.parse(text(rendered.outputs.get('email/2022-10/issue.json'))) as {posts: Array<{slug: string}>}
    expect(summary.posts.map((post) => post.slug)).toEqual(['whats-new-in-mlops'])

    // `??? Note` is rendered expanded: its body is there, with no details to open.
    expect(html).not.toMatch(/<details|<summary/i)
    expect(html).toMatch(/lp-callout-title[^>]*>Note</)
    expect(html).toContain('Inspired by Advent of Code')
    expect(plain).toMatch(/\[Note\]\n +Inspired by Advent of Code/)

    // :bookmark_tabs: is the emoji itself; mojibake is repaired in both parts.
    for (const part of [html, plain]) {
      expect(part).toContain('📑')
      expect(part).not.toContain(':bookmark_tabs:')
      expect(part).toContain('’')
      expect(part).toContain('📜')
      expect(part).not.toMatch(mojibake)
    }

    // The image is absolute, sized to the column and described.
    const [image, ...others] = images(html)
    expect(others).toEqual([])
    expect(image!.properties['src']).toBe(`${baseUrl}ml-engineering/assets/mlops/1.png`)
    expect(image!.properties['width']).toBe(552)
    expect(image!.properties['alt']).toBe('Github Template for ML/DS Projects')

    const mail = await simpleParser(Buffer.from(rendered.outputs.get('email/2022-10/issue.eml') as Uint8Array))
    expect(mail.text).toContain('📑')
    expect(mail.html).toBe(html)
  })

  it('should keep every real post\'s issue inside the email contract (the lint finds nothing)', () => {
    const months = [...rendered.outputs.keys()].filter((name) => name.endsWith('/issue.html'))
    expect(months).toContain('email/2022-10/issue.html')
    for (const name of months) expect(lintEmailHtml(text(rendered.outputs.get(name))), name).toEqual([])
  })

  for (const name of corpus) {
    it(`should put corpus/${name} into an issue with absolute images, emoji and no mojibake`, () => {
      const month = corpusMonths.get(name)!
      const html = text(rendered.outputs.get(`email/${month}/issue.html`))
      const plain = text(rendered.outputs.get(`email/${month}/issue.txt`))
      expect(html).not.toMatch(/<details|<summary|<svg|<script/i)
      for (const part of [html, plain]) {
        expect(part).not.toMatch(mojibake)
        // Shortcodes the dialect knows come out as characters (`:not_an_emoji:`-style text may stay).
        expect(part).not.toMatch(/:(heart|boom|bookmark_tabs|rocket|fire|wave|smile|tada|sparkles):/)
      }
      for (const image of images(html)) {
        expect(String(image.properties['src'])).toMatch(/^https?:\/\//)
        expect(String(image.properties['src'])).not.toContain('\\')
        expect(String(image.properties['width'])).toMatch(/^\d+$/)
        expect(typeof image.properties['alt']).toBe('string')
      }
    })
  }
})

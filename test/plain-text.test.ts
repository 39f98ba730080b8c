/**
 * A post's text for search is read from its body's tree as rendering makes
 * it (`renderedText`), where it used to be read from the body's HTML parsed
 * again (`plainText`): the two must give the same text, or a build with
 * workers would index other words than one without. Held over generated
 * trees (fast-check), over raw HTML that a parser reads differently from
 * the tree it came from, and over every sample post (and the real posts in
 * ../shared when present).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import fc from 'fast-check'
import type {ElementContent, Root} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {afterAll, describe, expect, it} from 'vitest'
import {plainText, renderedText} from '../src/render/plain-text.js'
import {searchTextOf} from '../src/pipeline/search.js'
import {loadConfig} from '../src/source/config.js'
import {loadSite} from '../src/source/site.js'
import {createWebRenderer} from '../src/web/render.js'
import {renderPostForWeb} from '../src/web/post.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(projectRoot, '..', 'shared')

const text = fc.stringMatching(/^[a-z &<>\n\t\u00a0é]{0,12}$/).map((value): ElementContent => ({type: 'text', value}))
const element = (tagName: string, children: ElementContent[], className?: string[]): ElementContent => ({
  type: 'element',
  tagName,
  properties: className ? {className} : {},
  children
})

/** Trees shaped as a renderer makes them: phrasing inside paragraphs and headings, blocks inside blocks. */
const inline: fc.Arbitrary<ElementContent> = fc.letrec<{inline: ElementContent}>((tie) => ({
  inline: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    text,
    fc.array(tie('inline'), {maxLength: 3}).map((children) => element('em', children)),
    fc.array(tie('inline'), {maxLength: 3}).map((children) => element('span', children)),
    text.map((child) => element('code', [child]))
  )
})).inline
const block: fc.Arbitrary<ElementContent> = fc.letrec<{block: ElementContent}>((tie) => ({
  block: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    fc.array(inline, {maxLength: 4}).map((children) => element('p', children)),
    fc.tuple(fc.array(inline, {maxLength: 3}), fc.boolean()).map(([children, permalink]) =>
      element('h2', permalink ? [...children, element('a', [{type: 'text', value: '¶'}], ['headerlink'])] : children)
    ),
    fc.array(text, {maxLength: 3}).map((children) => element('pre', children)),
    text.map((child) => element('pre', [element('code', [child])])),
    text.map((child) => element('textarea', [child])),
    fc.array(tie('block'), {maxLength: 3}).map((children) => element('div', children)),
    fc.array(fc.array(fc.oneof(tie('block'), inline), {maxLength: 2}), {maxLength: 3}).map((items) =>
      element('ul', items.map((children) => element('li', children)))
    ),
    text
  )
})).block

describe('the text search reads of a rendered body', () => {
  it('is the same read from the tree as from its HTML parsed again', () => {
    fc.assert(
      fc.property(fc.array(block, {maxLength: 5}), fc.boolean(), (children, withoutPermalinks) => {
        const tree: Root = {type: 'root', children}
        expect(renderedText(tree, {withoutPermalinks})).toBe(plainText(toHtml(tree), {withoutPermalinks}))
      }),
      {numRuns: 500}
    )
  })

  it('keeps the line break after `<pre>` that a parser would not see as the first', () => {
    // Serialised, the second break is the first one after `<pre>`: the parser drops it, and so must the tree's reading.
    const tree: Root = {type: 'root', children: [element('p', [{type: 'text', value: 'before'}]), element('pre', [{type: 'text', value: '\nafter'}])]}
    expect(plainText(toHtml(tree))).toBe('beforeafter')
    expect(renderedText(tree)).toBe('beforeafter')
  })

  it('reads raw HTML and elements a parser takes as text the way the parsed HTML reads', () => {
    const trees: Root[] = [
      {type: 'root', children: [{type: 'raw', value: '<p>one <b>two</b></p>'}]},
      {type: 'root', children: [element('noscript', [element('img', [])]), {type: 'text', value: 'after'}]},
      {type: 'root', children: [element('p', [element('iframe', [element('b', [{type: 'text', value: 'inside'}])])])]}
    ]
    for (const tree of trees) expect(renderedText(tree)).toBe(plainText(toHtml(tree, {allowDangerousHtml: true})))
    expect(renderedText(trees[0]!)).toBe('one two')
  })
})

/** Every post of ROOT (drafts too) rendered for the web: its search text from the tree equals the one from its HTML. */
async function expectSameTexts(root: string): Promise<number> {
  const {config} = await loadConfig(root)
  const site = await loadSite(config)
  const renderer = await createWebRenderer(config)
  const absolute = (url: string) => new URL(url, 'https://example.com/').href
  // Drafts too: the real posts of ../shared are drafts.
  for (const post of site.all) {
    const rendered = await renderPostForWeb(post, renderer, absolute, false, undefined, {searchText: true})
    expect(rendered.searchText, post.sourcePath).toBe(searchTextOf(rendered.contentHtml))
  }
  return site.all.length
}

describe('search text of real posts', () => {
  const roots: string[] = []
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, {recursive: true, force: true})
  })

  it.skipIf(!fs.existsSync(path.join(projectRoot, 'posts')))('is the same from the tree as from the HTML for every sample post', async () => {
    expect(await expectSameTexts(projectRoot)).toBeGreaterThan(0)
  }, 120_000)

  it.skipIf(!fs.existsSync(path.join(shared, 'seed')))('is the same for the posts in ../shared', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-search-text-'))
    roots.push(root)
    fs.mkdirSync(path.join(root, 'posts'))
    for (const folder of ['seed', 'corpus']) {
      if (!fs.existsSync(path.join(shared, folder))) continue
      for (const name of fs.readdirSync(path.join(shared, folder))) {
        if (name.endsWith('.md')) fs.copyFileSync(path.join(shared, folder, name), path.join(root, 'posts', `${folder}-${name}`))
      }
    }
    fs.writeFileSync(path.join(root, 'letterpress.yml'), 'title: Shared posts\nbaseUrl: https://example.com/\n')
    expect(await expectSameTexts(root)).toBeGreaterThan(0)
  }, 300_000)
})

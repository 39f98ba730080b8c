/**
 * Headings on the web: a MkDocs-style permalink anchor inside every heading
 * the transform stage gave an id.
 */
import GithubSlugger from 'github-slugger'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {createParser, parseFile} from '../src/source/parse.js'
import {toWebHast, webHastToHtml} from '../src/web/render.js'
import {createWebRenderContext} from '../src/web/handlers/render-context.js'

const parser = createParser()

/** Parse and give headings ids as the transform stage does. */
async function parseWithIds(markdown: string): Promise<Root> {
  const tree = await parseFile(parser, new VFile({value: markdown, path: 'input.md'}))
  const slugger = new GithubSlugger()
  visit(tree, 'heading', (node) => {
    node.data = {...node.data, hProperties: {...node.data?.hProperties, id: slugger.slug(toString(node))}}
  })
  return tree
}

describe('headings on the web', () => {
  it('should put a permalink anchor inside a heading with an id', async () => {
    const html = webHastToHtml(toWebHast(await parseWithIds('## Feature *store* design\n')))
    expect(html).toBe(
      '<h2 id="feature-store-design">Feature <em>store</em> design<a class="headerlink" href="#feature-store-design" aria-label="Permalink to this heading">¶</a></h2>'
    )
  })

  it('should give every level and repeated titles their own anchors', async () => {
    const html = webHastToHtml(toWebHast(await parseWithIds('# Runbook\n\n### Rollback\n\n### Rollback\n')))
    expect(html.match(/href="#[^"]+"/g)).toEqual(['href="#runbook"', 'href="#rollback"', 'href="#rollback-1"'])
  })

  it('should add no anchor to a heading without an id', async () => {
    expect(await renderFragment('## Plain\n')).toBe('<h2>Plain</h2>')
  })

  it('should leave anchors out when a render asks (excerpts)', async () => {
    const tree = await parseWithIds('## Summary\n')
    const handlers = createWebRenderContext().handlers({permalinks: false})
    expect(webHastToHtml(toWebHast(tree, {handlers}))).toBe('<h2 id="summary">Summary</h2>')
  })

  it('should be exactly what the CommonMark comparison strips', async () => {
    const html = webHastToHtml(toWebHast(await parseWithIds('Title\n=====\n\n## Next <b>x</b>\n')))
    const stripped = html
      .replace(/(<h[1-6])\s+id="[^"]*"/g, '$1')
      .replace(/<a[^>]*class="headerlink"[^>]*>[^<]*<\/a>/g, '')
    expect(stripped).toBe('<h1>Title</h1>\n<h2>Next <b>x</b></h2>')
  })
})

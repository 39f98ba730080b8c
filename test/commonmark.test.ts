/**
 * The dialect must not change how plain CommonMark renders: every example
 * of the CommonMark 0.31.2 spec gives the same HTML with the whole
 * letterpress dialect on as with plain remark-parse + remark-gfm (heading ids
 * and permalinks aside, and HTML comments, which the dialect drops). The
 * deliberate differences: a document that starts with a `---` line closed
 * by another `---` line has frontmatter, and a link whose scheme the URL
 * policy refuses (`<a+b+c:d>`, `<made-up-scheme://x>`) keeps its text but
 * loses its `href` (README, "Security").
 */
import {tests} from 'commonmark-spec'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {isAllowedUrl, urlScheme} from '../src/source/url-policy.js'

const plain = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, {allowDangerousHtml: true})
  .use(rehypeStringify, {allowDangerousHtml: true})

/** The spec shows tabs as `→`. */
function untab(value: string): string {
  return value.replaceAll('\u2192', '\t')
}

/**
 * Heading ids and permalinks are the dialect's own additions; HTML comments
 * are the author's notes, which it drops.
 */
function withoutAdditions(html: string): string {
  return html
    .replace(/\n?<!--[^]*?-->/g, '')
    .trim()
    .replace(/(<h[1-6])\s+id="[^"]*"/g, '$1')
    .replace(/<a[^>]*class="headerlink"[^>]*>[^<]*<\/a>/g, '')
}

describe('CommonMark 0.31.2 with the whole dialect on', () => {
  it.each(tests.map((example) => [example.number, example.section, example] as const))(
    'should render example %i (%s) as plain remark does',
    async (_number, _section, example) => {
      const markdown = untab(example.markdown)
      // A document that opens with a `---` fence closed by another is
      // frontmatter in the dialect (examples 96 and 98): the rest must then
      // render as plain remark renders the rest.
      const frontmatter = /^---\n(?:[^]*?\n)?---\n/.exec(markdown)
      const body = frontmatter ? markdown.slice(frontmatter[0].length) : markdown
      const expected = String(await plain.process(body)).replace(/<a href="([^"]*)"/g, (whole, href: string) =>
        urlScheme(href) === undefined || isAllowedUrl(href) ? whole : '<a'
      )
      const actual = await renderFragment(markdown)
      expect(withoutAdditions(actual)).toBe(withoutAdditions(expected))
    }
  )
})

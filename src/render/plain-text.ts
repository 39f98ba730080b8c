/**
 * Plain text from rendered HTML, for the places that take text only: a
 * page's meta description, a feed item's summary, a feed's copyright line,
 * the text search finds a post by.
 */
import {fromHtml} from 'hast-util-from-html'
import {CONTINUE, SKIP, visit} from '../syntax/walk.js'
import {shorten} from './excerpt.js'

/** The text of `html`, shortened to 200 characters at a word (`shorten`); `undefined` when it has none. */
export function plainExcerpt(html: string): string | undefined {
  const text = plainText(html)
  return text ? shorten(text, 200) : undefined
}

/**
 * The whole text of `html` on one line (runs of white space as one space).
 * `withoutPermalinks`: without headings' `¶` links (`a.headerlink`), which
 * are no part of what the post says.
 */
export function plainText(html: string, {withoutPermalinks = false}: {withoutPermalinks?: boolean} = {}): string {
  const parts: string[] = []
  visit(fromHtml(html, {fragment: true}), (node) => {
    if (withoutPermalinks && node.type === 'element' && node.tagName === 'a' && [node.properties['className']].flat().includes('headerlink')) return SKIP
    if (node.type === 'text') parts.push(node.value)
    return CONTINUE
  })
  return parts.join('').replace(/\s+/g, ' ').trim()
}

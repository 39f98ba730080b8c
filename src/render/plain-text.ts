/**
 * Plain text from rendered HTML, for the places that take text only: a
 * page's meta description, a feed item's summary, a feed's copyright line.
 */
import {fromHtml} from 'hast-util-from-html'
import {visit} from 'unist-util-visit'

/** The text of `html` with its whitespace collapsed, cut to 200 characters with `…`; `undefined` when it has none. */
export function plainExcerpt(html: string): string | undefined {
  const parts: string[] = []
  visit(fromHtml(html, {fragment: true}), 'text', (node) => void parts.push(node.value))
  const text = parts.join('').replace(/\s+/g, ' ').trim()
  return text ? (text.length > 200 ? text.slice(0, 197).trimEnd() + '…' : text) : undefined
}

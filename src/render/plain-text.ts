/**
 * Plain text from rendered HTML, for the places that take text only: a
 * page's meta description, a feed item's summary, a feed's copyright line.
 */
import {fromHtml} from 'hast-util-from-html'
import {visit} from '../syntax/walk.js'
import {shorten} from './excerpt.js'

/** The text of `html`, shortened to 200 characters at a word (`shorten`); `undefined` when it has none. */
export function plainExcerpt(html: string): string | undefined {
  const parts: string[] = []
  visit(fromHtml(html, {fragment: true}), 'text', (node) => void parts.push(node.value))
  const text = parts.join('').replace(/\s+/g, ' ').trim()
  return text ? shorten(text, 200) : undefined
}

/**
 * Plain text from rendered HTML, for the places that take text only: a
 * page's meta description, a feed item's summary, a feed's copyright line,
 * the text search finds a post by.
 */
import type {Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import {CONTINUE, EXIT, SKIP, visit} from '../syntax/walk.js'
import {shorten} from './excerpt.js'

/** The text of `html`, shortened to 200 characters at a word (`shorten`); `undefined` when it has none. */
export function plainExcerpt(html: string): string | undefined {
  const text = plainText(html)
  return text ? shorten(text, 200) : undefined
}

/** Options for `plainText` and `renderedText`. */
export interface TextOptions {
  /**
   * Without headings' `¶` links (`a.headerlink`), which are no part of
   * what the post says.
   */
  withoutPermalinks?: boolean
}

/** The whole text of `html` on one line (runs of white space as one space). */
export function plainText(html: string, options: TextOptions = {}): string {
  return textOf(fromHtml(html, {fragment: true}), options, false)
}

/**
 * What `plainText` gives for `toHtml(tree)`, read from the tree itself, as
 * rendering makes it, without serialising and parsing it again. The text
 * is the same because the tree is what an HTML parser would build from its
 * serialisation, but for two things it handles here: a line break opening
 * a `pre` or `listing`, which a parser drops, and raw HTML and elements
 * whose content a parser reads as text or elsewhere (`noscript`,
 * `template`, `textarea`, ...): a tree holding those is serialised and
 * parsed after all.
 */
export function renderedText(tree: Root, options: TextOptions = {}): string {
  return verbatim(tree) ? plainText(toHtml(tree, {allowDangerousHtml: true}), options) : textOf(tree, options, true)
}

/** Elements a parser reads differently from how they serialise (their content as text, or elsewhere). */
const reparsed = new Set(['noscript', 'template', 'iframe', 'noembed', 'noframes', 'xmp', 'plaintext', 'script', 'style', 'title', 'textarea'])
/** Elements whose opening line break a parser drops. */
const leadingBreakDropped = new Set(['pre', 'listing'])

function verbatim(tree: Root): boolean {
  let found = false
  visit(tree, (node) => {
    if (node.type === 'raw' || (node.type === 'element' && reparsed.has(node.tagName))) {
      found = true
      return EXIT
    }
    return CONTINUE
  })
  return found
}

/** Whether nothing is serialised before `children[index]` inside their element (only empty text comes first). */
function opensElement(children: ReadonlyArray<{type: string; value?: string}>, index: number): boolean {
  for (let at = 0; at < index; at++) if (children[at]!.type !== 'text' || children[at]!.value !== '') return false
  return true
}

function textOf(tree: Root, {withoutPermalinks = false}: TextOptions, serialised: boolean): string {
  const parts: string[] = []
  visit(tree, (node, index, parent) => {
    if (withoutPermalinks && node.type === 'element' && node.tagName === 'a' && [node.properties['className']].flat().includes('headerlink')) return SKIP
    if (node.type !== 'text') return CONTINUE
    const opening = serialised && parent?.type === 'element' && leadingBreakDropped.has(parent.tagName) && opensElement(parent.children, index ?? 0)
    parts.push(opening && node.value.startsWith('\n') ? node.value.slice(1) : node.value)
    return CONTINUE
  })
  return parts.join('').replace(/\s+/g, ' ').trim()
}

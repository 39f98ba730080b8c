/**
 * Raw HTML on the web: kept as written, except HTML comments, which are the
 * author's notes to themselves (drafts of paragraphs, `<!-- more -->`) and
 * never reach readers.
 */
import type {Html} from 'mdast'
import type {Handlers} from 'mdast-util-to-hast'

/** A raw HTML node that is only comments (and whitespace). */
const onlyComments = /^\s*(?:<!--[^]*?-->\s*)+$/

/** Web handler for `html` nodes: comments dropped, everything else raw. */
export const htmlHandlers: Handlers = {
  html(state, node: Html) {
    if (onlyComments.test(node.value)) return undefined
    // An HTML block that opens with a comment may go on after it on the same line.
    const value = node.value.startsWith('<!--') ? node.value.replace(/^<!--[^]*?-->/, '') : node.value
    if (!state.options.allowDangerousHtml) return undefined
    const result = {type: 'raw' as const, value}
    state.patch(node, result)
    return state.applyData(node, result)
  }
}

/**
 * Email handler of inline code: long code gets break points (`<wbr>`)
 * between its parts, so a narrow table column wraps it there rather than
 * anywhere.
 */
import type {ElementContent} from 'hast'
import type {Handlers} from 'mdast-util-to-hast'
import {h, text} from './context.js'

/** Inline code at least this long gets break points (shorter code fits any column). */
const codeBreakLength = 8
/** Where inline code may break: after a run of separators that follows, and precedes, something else. */
const codeBreakPoint = /(?<=[^\s_/.,:@=&?][_/.,:@=&?]+)(?=[^\s_/.,:@=&?])/

/** The parts of inline code between its break points (one part when it is short). */
export function codeParts(value: string): string[] {
  return value.length < codeBreakLength ? [value] : value.split(codeBreakPoint)
}

/**
 * Inline code with `<wbr>` after the punctuation that separates the parts
 * of identifiers, paths and URLs (`_ / . , : @ = & ?`): a narrow column
 * (a table cell on a phone) then wraps `feature_<wbr>views` between its
 * parts instead of before its last letter.
 */
function codeBreaks(value: string): ElementContent[] {
  const children: ElementContent[] = []
  codeParts(value).forEach((part, index) => {
    if (index > 0) children.push(h('wbr', {}))
    children.push(text(part))
  })
  return children
}

/** The email handler for `inlineCode` nodes. */
export const inlineCodeHandlers: Handlers = {
  inlineCode(state, node) {
    const result = h('code', {className: ['lp-code-inline']}, codeBreaks(node.value.replace(/\r?\n|\r/g, ' ')))
    state.patch(node, result)
    return result
  }
}

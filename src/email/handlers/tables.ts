/**
 * Email handler of GFM tables: a table that fits the column keeps its words
 * whole, and cells that hold a number never break inside it, because a
 * phone squeezes a table far narrower than a browser window does.
 */
import type {ElementContent} from 'hast'
import type {PhrasingContent, Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {defaultHandlers, type Handlers} from 'mdast-util-to-hast'
import {contentWidth} from '../styles.js'
import {addClass} from './context.js'
import {codeParts} from './inline-code.js'

/** A table cell that is a number, a percentage, a date or a time, with an optional short unit. */
const numberLike = /^[-+−±~≈<>]?[$€£]?\d[\d.,:/-]{0,14}(?:%|\s?[a-zA-Zµ]{1,3})?$/

/** What one character of table text may take, in pixels (14px text; code is wider than prose). */
const tableCharacterWidth = 8
/** A cell's padding and border, in pixels. */
const tableCellChrome = 21

/** The longest run a browser cannot break inside: words, hyphenated parts, code between its `<wbr>`s. */
function longestRun(nodes: readonly PhrasingContent[]): number {
  let longest = 0
  for (const node of nodes) {
    if (node.type === 'inlineCode') {
      for (const part of codeParts(node.value)) for (const word of part.split(/\s+/)) longest = Math.max(longest, word.length)
    } else if (node.type === 'text') {
      for (const word of node.value.split(/\s+|(?<=-)/)) longest = Math.max(longest, [...word].length)
    } else if ('children' in node) {
      longest = Math.max(longest, longestRun(node.children as PhrasingContent[]))
    }
  }
  return longest
}

/**
 * Whether a table fits the email's column without breaking inside a word:
 * the sum over its columns of their longest unbreakable run, estimated
 * generously. A table that fits keeps its words whole (no `1,204,3`/`31`);
 * one that does not lets its cells break words, as MJML's text blocks do
 * everywhere, rather than push the column past the screen.
 */
function fitsWhole(node: Table): boolean {
  const columns: number[] = []
  for (const row of node.children) {
    row.children.forEach((cell, index) => {
      columns[index] = Math.max(columns[index] ?? 0, longestRun(cell.children))
    })
  }
  const width = columns.reduce((sum, characters) => sum + characters * tableCharacterWidth + tableCellChrome, 0)
  return width <= contentWidth
}

/** The email handler for `table` nodes. */
export const tableHandlers: Handlers = {
  table(state, node: Table) {
    const result = defaultHandlers.table(state, node)
    result.properties = {...result.properties, className: fitsWhole(node) ? ['lp-table', 'lp-table-whole'] : ['lp-table']}
    // Numbers never break, even in a table squeezed onto a phone: `1,204,331`, not `1,2`/`04,`/`331`.
    const cells = node.children.flatMap((row) => row.children)
    let index = 0
    const mark = (children: ElementContent[]) => {
      for (const child of children) {
        if (child.type !== 'element') continue
        if (child.tagName === 'td' || child.tagName === 'th') {
          const cell = cells[index++]
          if (cell && numberLike.test(toString(cell).trim())) addClass(child, 'lp-cell-number')
        } else mark(child.children)
      }
    }
    mark(result.children)
    return result
  }
}

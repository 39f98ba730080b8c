/**
 * Email handler of GFM tables. A table keeps its words whole, and cells
 * that hold a number never break inside it, because a phone squeezes a
 * table far narrower than a browser window does: MJML's text blocks set
 * `word-break:break-word`, which lets a browser cut `Signal` into
 * `Signa`/`l` to fit a column. A table wider than the screen even so sits
 * in a box of its own that scrolls sideways (`lp-table-scroll`,
 * `overflow-x:auto`, which Gmail, Apple Mail and Outlook on the web and on
 * phones honour), so the page around it never does. Outlook for Windows
 * ignores it and wraps the cells as it always has.
 */
import type {Element, ElementContent} from 'hast'
import type {Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {defaultHandlers, type Handlers} from 'mdast-util-to-hast'
import {addClass} from './context.js'

/** A table cell that is a number, a percentage, a date or a time, with an optional short unit. */
const numberLike = /^[-+−±~≈<>]?[$€£]?\d[\d.,:/-]{0,14}(?:%|\s?[a-zA-Zµ]{1,3})?$/

/** A number with a hyphen or slash inside (`2026-03-10`, `03-11`, `1/2`): a browser may break it there, and should not. */
const hyphenatedNumber = /\d+(?:[-/‐–]\d+)+/g

/** Wrap each hyphenated number of a cell's text in a span that keeps it on one line. */
function keepNumbersWhole(children: ElementContent[]): ElementContent[] {
  return children.flatMap((child): ElementContent[] => {
    if (child.type === 'element') {
      if (child.tagName !== 'code') child.children = keepNumbersWhole(child.children)
      return [child]
    }
    if (child.type !== 'text' || child.value.search(hyphenatedNumber) === -1) return [child]
    const parts: ElementContent[] = []
    let last = 0
    for (const match of child.value.matchAll(hyphenatedNumber)) {
      if (match.index > last) parts.push({type: 'text', value: child.value.slice(last, match.index)})
      parts.push({type: 'element', tagName: 'span', properties: {className: ['lp-nowrap']}, children: [{type: 'text', value: match[0]}]})
      last = match.index + match[0].length
    }
    if (last < child.value.length) parts.push({type: 'text', value: child.value.slice(last)})
    return parts
  })
}

/** The email handler for `table` nodes. */
export const tableHandlers: Handlers = {
  table(state, node: Table) {
    const result = defaultHandlers.table(state, node)
    result.properties = {...result.properties, className: ['lp-table']}
    // Numbers never break: `1,204,331`, not `1,2`/`04,`/`331`; nor dates inside text: `2026-03-10`, not `2026-`/`03-10`.
    const cells = node.children.flatMap((row) => row.children)
    let index = 0
    const mark = (children: ElementContent[]) => {
      for (const child of children) {
        if (child.type !== 'element') continue
        if (child.tagName === 'td' || child.tagName === 'th') {
          const cell = cells[index++]
          if (cell && numberLike.test(toString(cell).trim())) addClass(child, 'lp-cell-number')
          else child.children = keepNumbersWhole(child.children)
        } else mark(child.children)
      }
    }
    mark(result.children)
    // The scrolling box in a one-cell table of fixed layout: in the auto layout of the columns around it, the
    // box would grow to the table's width; a fixed layout holds it to the column's. A client that ignores
    // `table-layout` lays it out as before, no worse.
    const scroll: Element = {type: 'element', tagName: 'div', properties: {className: ['lp-table-scroll']}, children: [result]}
    const cell: Element = {type: 'element', tagName: 'td', properties: {className: ['lp-table-box-cell']}, children: [scroll]}
    const box: Element = {
      type: 'element',
      tagName: 'table',
      properties: {role: 'presentation', width: '100%', cellPadding: '0', cellSpacing: '0', border: '0', className: ['lp-table-box']},
      children: [{type: 'element', tagName: 'tr', properties: {}, children: [cell]}]
    }
    state.patch(node, box)
    return box
  }
}

/**
 * Web handler of GFM task list items (`- [x] Done`): the checkbox and the
 * item's text go into one `<label>`, so the (disabled) checkbox is named by
 * its own text, as assistive technology needs. Everything else is the
 * standard `listItem` output.
 */
import type {Element, ElementContent} from 'hast'
import type {ListItem, Parents} from 'mdast'
import {defaultHandlers, type Handlers, type State} from 'mdast-util-to-hast'

/** Elements that end the phrasing run a label may hold. */
const blocks = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figure', 'footer', 'form',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul'
])

/** Elements a label must not contain (other controls, other labels). */
const labelable = new Set(['button', 'input', 'label', 'meter', 'output', 'progress', 'select', 'textarea'])

function containsLabelable(nodes: ElementContent[]): boolean {
  return nodes.some(
    (node) => node.type === 'element' && (labelable.has(node.tagName) || containsLabelable(node.children))
  )
}

/** Wrap the checkbox in `parent` and the phrasing after it in a `<label>`. */
function label(parent: Element): void {
  const start = parent.children.findIndex(
    (child) => child.type === 'element' && child.tagName === 'input' && child.properties['type'] === 'checkbox'
  )
  if (start < 0) return
  let end = start + 1
  while (end < parent.children.length) {
    const child = parent.children[end]!
    if (child.type === 'element' && blocks.has(child.tagName)) break
    end++
  }
  // A line ending before a nested list stays outside the label.
  while (end > start + 1) {
    const last = parent.children[end - 1]!
    if (last.type === 'text' && last.value.trim() === '') end--
    else break
  }
  const text = parent.children.slice(start + 1, end)
  if (text.length === 0 || containsLabelable(text)) return
  const wrapped: Element = {
    type: 'element',
    tagName: 'label',
    properties: {},
    children: parent.children.slice(start, end)
  }
  parent.children.splice(start, end - start, wrapped)
}

/** Web handlers for task list items (`listItem` with `checked`). */
export const taskListHandlers: Handlers = {
  listItem(state: State, node: ListItem, parent: Parents | undefined): Element {
    const result = defaultHandlers.listItem(state, node, parent)
    if (typeof node.checked !== 'boolean') return result
    // Tight items hold the checkbox directly, loose ones in their first paragraph.
    const first = result.children.find((child): child is Element => child.type === 'element')
    label(first && first.tagName === 'p' ? first : result)
    return result
  }
}

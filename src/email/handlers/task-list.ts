/**
 * Email handler of GFM task list items (`- [x] Done`): the checkbox is a
 * ☑ or ☐ character, because email clients strip forms and their inputs.
 */
import type {ElementContent} from 'hast'
import {defaultHandlers, type Handlers} from 'mdast-util-to-hast'
import {h, text} from './context.js'

/** The email handler for `listItem` nodes (task items; others as standard). */
export const taskListHandlers: Handlers = {
  listItem(state, node, parent) {
    const result = defaultHandlers.listItem(state, node, parent)
    if (typeof node.checked !== 'boolean') return result
    const swap = (children: ElementContent[]): boolean => {
      for (const [index, child] of children.entries()) {
        if (child.type !== 'element') continue
        if (child.tagName === 'input') {
          children[index] = h('span', {className: ['lp-task']}, [text(node.checked ? '☑' : '☐')])
          return true
        }
        if (swap(child.children)) return true
      }
      return false
    }
    swap(result.children)
    result.properties = {className: ['lp-task-item']}
    return result
  }
}

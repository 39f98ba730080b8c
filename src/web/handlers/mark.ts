/**
 * Web handler of `==mark==`: `<mark>`.
 */
import type {Element} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Mark} from '../../syntax/mdast.js'

/** Web handlers for `mark` nodes. */
export const markHandlers: Handlers = {
  mark(state: State, node: Mark): Element {
    const result: Element = {
      type: 'element',
      tagName: 'mark',
      properties: {},
      children: state.all(node)
    }
    state.patch(node, result)
    return state.applyData(node, result)
  }
}

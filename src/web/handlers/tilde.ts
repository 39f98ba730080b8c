/**
 * Web handler of `~subscript~`: `<sub>`.
 */
import type {Element} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Subscript} from '../../syntax/mdast.js'

/** Web handlers for `subscript` nodes. */
export const tildeHandlers: Handlers = {
  subscript(state: State, node: Subscript): Element {
    const result: Element = {
      type: 'element',
      tagName: 'sub',
      properties: {},
      children: state.all(node)
    }
    state.patch(node, result)
    return state.applyData(node, result)
  }
}

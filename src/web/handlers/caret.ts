/**
 * Web handlers of `^^insert^^` and `^superscript^`: `<ins>` and `<sup>`.
 */
import type {Element} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Insert, Superscript} from '../../syntax/mdast.js'

/** Web handlers for `insert` and `superscript` nodes. */
export const caretHandlers: Handlers = {
  insert(state: State, node: Insert): Element {
    return wrap(state, node, 'ins')
  },
  superscript(state: State, node: Superscript): Element {
    return wrap(state, node, 'sup')
  }
}

function wrap(state: State, node: Insert | Superscript, tagName: string): Element {
  const result: Element = {
    type: 'element',
    tagName,
    properties: {},
    children: state.all(node)
  }
  state.patch(node, result)
  return state.applyData(node, result)
}

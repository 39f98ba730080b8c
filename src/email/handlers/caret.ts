/**
 * Email handlers of `^^insert^^` and `^superscript^`: `<ins>` and `<sup>`.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {Insert, Superscript} from '../../syntax/mdast.js'
import {h} from './context.js'

/** Email handlers for `insert` and `superscript` nodes. */
export const caretHandlers: Handlers = {
  insert(state, node: Insert) {
    return h('ins', {}, state.all(node))
  },

  superscript(state, node: Superscript) {
    return h('sup', {}, state.all(node))
  }
}

/**
 * Email handler of `~subscript~`: `<sub>`.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {Subscript} from '../../syntax/mdast.js'
import {h} from './context.js'

/** The email handler for `subscript` nodes. */
export const tildeHandlers: Handlers = {
  subscript(state, node: Subscript) {
    return h('sub', {}, state.all(node))
  }
}

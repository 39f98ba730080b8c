/**
 * Email handler of `==mark==`: `<mark>`.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {Mark} from '../../syntax/mdast.js'
import {h} from './context.js'

/** The email handler for `mark` nodes. */
export const markHandlers: Handlers = {
  mark(state, node: Mark) {
    return h('mark', {}, state.all(node))
  }
}

/**
 * Email handlers of abbreviations (`*[HTML]: Hyper Text Markup Language`):
 * `<abbr title>` where the term is used; the definition itself shows nothing.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {Abbreviation} from '../../syntax/mdast.js'
import {h} from './context.js'

/** Email handlers for `abbreviation` and `abbreviationDefinition` nodes. */
export const abbreviationHandlers: Handlers = {
  abbreviation(state, node: Abbreviation) {
    return h('abbr', {title: node.title}, state.all(node))
  },

  abbreviationDefinition: () => undefined
}

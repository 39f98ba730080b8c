/**
 * Email handlers of definition lists (`Term` / `:   Description`): `<dl>`,
 * `<dt>` and `<dd>`; a tight description holds its text directly.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {DefinitionDescription, DefinitionList, DefinitionTerm} from '../../syntax/mdast.js'
import {h} from './context.js'

/** Email handlers for `definitionList`, `definitionTerm` and `definitionDescription` nodes. */
export const definitionListHandlers: Handlers = {
  definitionList(state, node: DefinitionList) {
    const result = h('dl', {}, state.wrap(state.all(node), true))
    state.patch(node, result)
    return result
  },

  definitionTerm(state, node: DefinitionTerm) {
    return h('dt', {}, state.all(node))
  },

  definitionDescription(state, node: DefinitionDescription) {
    const content = state.all(node)
    // A tight description holds its text directly, as a tight list item does.
    const tight =
      !node.spread &&
      content.filter((child) => child.type === 'element').length === 1 &&
      content.some((child) => child.type === 'element' && child.tagName === 'p')
    const children = tight
      ? content.flatMap((child) => (child.type === 'element' && child.tagName === 'p' ? child.children : [child]))
      : state.wrap(content, true)
    return h('dd', {}, children)
  }
}

/**
 * Email handlers of content tabs (`=== "Title"`): stacked sections, each
 * under its title, because no script runs in email to switch them.
 */
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Tab, TabSet} from '../../syntax/mdast.js'
import {h, some, text} from './context.js'

/** Email handlers for `tabSet`, `tab` and `tabTitle` nodes. */
export const tabsHandlers: Handlers = {
  tabSet(state: State, node: TabSet) {
    const result = h('div', {className: ['lp-tabs']}, state.wrap(state.all(node), true))
    state.patch(node, result)
    return result
  },

  tab(state: State, node: Tab) {
    const [first, ...rest] = node.children
    const title = first?.type === 'tabTitle' ? state.all(first) : [text(node.title)]
    const body = first?.type === 'tabTitle' ? rest : node.children
    const content = some(state, node, body)
    const result = h('div', {className: ['lp-tab']}, [
      h('p', {className: ['lp-tab-title']}, title),
      ...state.wrap(content, true)
    ])
    state.patch(node, result)
    return result
  },

  tabTitle(state, node) {
    return h('p', {className: ['lp-tab-title']}, state.all(node))
  }
}

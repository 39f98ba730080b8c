/**
 * Email handlers of admonitions (`!!! note "Title"`, `??? tip`): a
 * one-column table, because Outlook ignores borders and padding on divs.
 * An untitled admonition is titled by its kind, and a collapsible one is
 * open: email has no `<details>`.
 */
import type {ElementContent} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Admonition} from '../../syntax/mdast.js'
import {calloutFamily} from '../styles.js'
import {h, some, text} from './context.js'

/** `note` → `Note`, as MkDocs titles an admonition without a title. */
export function defaultCalloutTitle(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

/** Email handlers for `admonition` and `admonitionTitle` nodes. */
export const admonitionHandlers: Handlers = {
  admonition(state: State, node: Admonition) {
    const kind = node.kind || 'note'
    // The colour family (`important` is `tip`, an unknown kind is `note`), so the
    // dark stylesheet, which has one rule per family, covers every kind.
    const kindClass = 'lp-kind-' + calloutFamily(kind)
    const rows: ElementContent[] = []
    const [first, ...rest] = node.children
    const body = first?.type === 'admonitionTitle' ? rest : node.children
    let title: ElementContent[] | undefined
    if (first?.type === 'admonitionTitle') title = state.all(first)
    else if (node.title === null) title = [text(defaultCalloutTitle(kind))]
    else if (node.title !== '') title = [text(node.title)]
    if (title) {
      rows.push(h('tr', {}, [h('td', {className: ['lp-callout-title', kindClass]}, title)]))
    }
    const content = some(state, node, body)
    rows.push(h('tr', {}, [h('td', {className: ['lp-callout-body']}, state.wrap(content, true))]))
    const result = h(
      'table',
      {className: ['lp-callout', kindClass], role: 'presentation', width: '100%', cellPadding: '0', cellSpacing: '0', border: '0'},
      [h('tbody', {}, rows)]
    )
    state.patch(node, result)
    return result
  },

  admonitionTitle(state, node) {
    return h('p', {}, [h('strong', {}, state.all(node))])
  }
}

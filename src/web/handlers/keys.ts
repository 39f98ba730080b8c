/**
 * Web handler of `++ctrl+alt+del++`, with pymdownx.keys' markup so MkDocs
 * themes style it: `<span class="keys"><kbd class="key-control">Ctrl</kbd>
 * <span>+</span>...</span>`. Known names get the class `key-<canonical>`
 * and their label; quoted keys show their text and get no class.
 */
import type {Element, ElementContent} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Keys} from '../../syntax/mdast.js'
import {lookupKey, quotedKeyLabel} from '../../syntax/keys/key-map.js'

/** Web handlers for `keys` nodes. */
export const keysHandlers: Handlers = {
  keys(state: State, node: Keys): Element {
    const children: ElementContent[] = []

    for (const key of node.keys) {
      if (children.length > 0) {
        children.push({
          type: 'element',
          tagName: 'span',
          properties: {},
          children: [{type: 'text', value: '+'}]
        })
      }

      const first = key.charAt(0)
      const info = first === '"' || first === "'" ? undefined : lookupKey(key)
      children.push({
        type: 'element',
        tagName: 'kbd',
        properties: info ? {className: ['key-' + info.name]} : {},
        children: [
          {type: 'text', value: info ? info.label : quotedKeyLabel(key)}
        ]
      })
    }

    const result: Element = {
      type: 'element',
      tagName: 'span',
      properties: {className: ['keys']},
      children
    }
    state.patch(node, result)
    return state.applyData(node, result)
  }
}

/**
 * Web handler of emoji shortcodes.
 *
 * The emoji is written as the character itself, not an image: it needs no
 * third-party CDN (pymdownx's default points at one), scales and colours
 * with the text, copies as the emoji, and reads the same in feeds and
 * email. It is wrapped as `<span class="emoji" role="img"
 * aria-label="collision">💥</span>`: the class lets a theme pick an emoji
 * font or size, and `role="img"` with the Unicode description as its label
 * gives screen readers one clear name instead of whatever they make of the
 * code points. No `title`: screen readers would read the name twice.
 */
import type {Element} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Emoji} from '../../syntax/mdast.js'
import {emojiByName} from '../../syntax/emoji/emoji-index.js'

/** Web handlers for `emoji` nodes. */
export const emojiHandlers: Handlers = {
  emoji(state: State, node: Emoji): Element {
    const record = emojiByName.get(node.name)
    const result: Element = {
      type: 'element',
      tagName: 'span',
      properties: {
        className: ['emoji'],
        role: 'img',
        ariaLabel: record?.description ?? node.name.replaceAll('_', ' ')
      },
      children: [{type: 'text', value: node.value}]
    }
    state.patch(node, result)
    return state.applyData(node, result)
  }
}

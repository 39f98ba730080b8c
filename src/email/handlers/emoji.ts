/**
 * Email handler of `:emoji:` shortcodes: the character itself, as text.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {Emoji} from '../../syntax/mdast.js'
import {text} from './context.js'

/** The email handler for `emoji` nodes. */
export const emojiHandlers: Handlers = {
  emoji(_state, node: Emoji) {
    return text(node.value)
  }
}

/**
 * The mdast `emoji` node back to `:name:`. A `:` in text that would start a
 * known shortcode is escaped (`\:boom:`).
 */
import type {Emoji} from '../mdast.js'
import type {Handle, Options} from 'mdast-util-to-markdown'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'
import {emojiByName} from './emoji-index.js'

/** Serialize an emoji as its shortcode. */
const handleEmoji: Handle = function (node) {
  return ':' + (node as Emoji).name + ':'
}

// Escape only before exact known names (the closing `:` makes order moot),
// so times like `10:30:00` stay as written.
const knownNames = [...emojiByName.keys()]
  .map((name) => name.replace(/[+-]/g, '\\$&'))
  .join('|')

/** Create the to-markdown extension for `:name:` emoji shortcodes. */
export function emojiToMarkdown(): Options {
  return {
    handlers: {emoji: Object.assign(handleEmoji, {peek: () => ':'})},
    unsafe: [
      {
        character: ':',
        // A lookahead: a match must not swallow the next colon (`:b:boom:`).
        after: '(?=(?:' + knownNames + '):)',
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      }
    ]
  }
}

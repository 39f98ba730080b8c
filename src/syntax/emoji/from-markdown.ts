/**
 * `emoji` tokens to the mdast `emoji` node (`name` without colons, `value`
 * the emoji character).
 */
import type {Emoji} from '../mdast.js'
import type {CompileContext, Extension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import {emojiByName} from './emoji-index.js'

/** Create the from-markdown extension for `:name:` emoji shortcodes. */
export function emojiFromMarkdown(): Extension {
  return {
    enter: {emoji: enterEmoji},
    exit: {emoji: exitEmoji, emojiName: exitEmojiName}
  }
}

function enterEmoji(this: CompileContext, token: Token): undefined {
  this.enter({type: 'emoji', name: '', value: ''}, token)
}

function exitEmojiName(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as Emoji
  node.name = this.sliceSerialize(token)
  // The tokenizer only accepts known names.
  node.value = emojiByName.get(node.name)?.emoji ?? ''
}

function exitEmoji(this: CompileContext, token: Token): undefined {
  this.exit(token)
}

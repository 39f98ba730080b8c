/**
 * `keys` tokens to the mdast `keys` node: `value` is the source between the
 * `++` markers, `keys` the keys in order, names in lower case and quoted
 * keys as written, quotes included (`['ctrl', '"Any key"']`).
 */
import type {CompileContext, Extension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {Keys} from '../mdast.js'

/** Create the from-markdown extension for `++key+key++`. */
export function keysFromMarkdown(): Extension {
  return {
    enter: {keys: enterKeys},
    exit: {keys: exitKeys, keysKey: exitKeysKey}
  }
}

function enterKeys(this: CompileContext, token: Token): undefined {
  this.enter({type: 'keys', value: '', keys: []}, token)
}

function exitKeysKey(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as Keys
  const key = this.sliceSerialize(token)
  const first = key.charCodeAt(0)
  // Quoted keys keep their case: they are text to show, not names.
  node.keys.push(first === 34 || first === 39 ? key : key.toLowerCase())
}

function exitKeys(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as Keys
  node.value = this.sliceSerialize(token).slice(2, -2)
  this.exit(token)
}

/**
 * The mdast `keys` node back to `++key+key++`: from `value` when it is set
 * (it is what the author wrote), else from `keys` joined with `+`. A `++`
 * in text that could start keys is escaped (`\++ctrl++`).
 */
import type {Handle, Options} from 'mdast-util-to-markdown'
import type {Keys} from '../mdast.js'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'

/** Serialize keys. */
const handleKeys: Handle = function (node) {
  const keys = node as Keys
  return '++' + (keys.value || keys.keys.join('+')) + '++'
}

/** Create the to-markdown extension for `++key+key++`. */
export function keysToMarkdown(): Options {
  return {
    handlers: {keys: Object.assign(handleKeys, {peek: () => '+'})},
    unsafe: [
      {
        character: '+',
        after: '(?=\\+[\\w"\'-])',
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      }
    ]
  }
}

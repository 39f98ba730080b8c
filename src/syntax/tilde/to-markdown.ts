/**
 * The mdast `subscript` node back to `~subscript~`.
 *
 * Every `~` in text is escaped (as GFM does already); whitespace inside a
 * subscript is written as a character reference (`&#x20;`).
 */
import type {Options} from 'mdast-util-to-markdown'
import {anyWhitespaceUnsafe, createSpanHandle} from '../mark/create-span-markdown.js'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /** Content of `~subscript~`. */
    subscript: 'subscript'
  }
}

/** Create the to-markdown extension for `~subscript~`. */
export function tildeToMarkdown(): Options {
  return {
    handlers: {subscript: createSpanHandle('subscript', '~')},
    unsafe: [
      {
        character: '~',
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      },
      ...anyWhitespaceUnsafe('subscript')
    ]
  }
}

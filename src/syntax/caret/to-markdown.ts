/**
 * The mdast `insert` and `superscript` nodes back to `^^insert^^` and
 * `^superscript^`.
 *
 * Every `^` in text is escaped (`\^`). Whitespace at the edges of an insert,
 * and any whitespace in a superscript, is written as a character reference
 * (`&#x20;`), which pymdownx reads the same way.
 */
import type {Options} from 'mdast-util-to-markdown'
import {
  anyWhitespaceUnsafe,
  createSpanHandle,
  edgeWhitespaceUnsafe
} from '../mark/create-span-markdown.js'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /** Content of `^^insert^^`. */
    insert: 'insert'
    /** Content of `^superscript^`. */
    superscript: 'superscript'
  }
}

/** Create the to-markdown extension for `^^insert^^` and `^sup^`. */
export function caretToMarkdown(): Options {
  return {
    handlers: {
      insert: createSpanHandle('insert', '^^'),
      superscript: createSpanHandle('superscript', '^')
    },
    unsafe: [
      {
        character: '^',
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      },
      ...edgeWhitespaceUnsafe('insert', '^^'),
      ...anyWhitespaceUnsafe('superscript')
    ]
  }
}

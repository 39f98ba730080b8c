/**
 * The mdast `mark` node back to `==mark==`.
 *
 * `=` runs of two or more in text are escaped (`\=\=`), whitespace at
 * the edges of the content is written as a character reference. A mark
 * right after or before a letter cannot be written (pymdownx's smart rules
 * would not see it); it is written anyway.
 */
import type {Options} from 'mdast-util-to-markdown'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'
import {createSpanHandle, edgeWhitespaceUnsafe} from './create-span-markdown.js'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /** Content of `==mark==`. */
    mark: 'mark'
  }
}

/** Create the to-markdown extension for `==mark==`. */
export function markToMarkdown(): Options {
  return {
    handlers: {mark: createSpanHandle('mark', '==')},
    unsafe: [
      // Every `=` of a run of two or more: escaping only some could leave
      // an exact `==` run behind (`====` as `==\==`). Lookarounds, so that
      // matches do not overlap and skip markers.
      {
        character: '=',
        after: '(?==)',
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      },
      {
        character: '=',
        before: '(?<==)',
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      },
      ...edgeWhitespaceUnsafe('mark', '==')
    ]
  }
}

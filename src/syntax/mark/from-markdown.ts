/**
 * `mark` tokens to the mdast `mark` node.
 */
import type {Extension} from 'mdast-util-from-markdown'
import {createSpanFromMarkdown} from './create-span-markdown.js'

/** Create the from-markdown extension for `==mark==`. */
export function markFromMarkdown(): Extension {
  return createSpanFromMarkdown([{token: 'mark', node: 'mark', eols: true}])
}

/**
 * `insert` and `superscript` tokens to their mdast nodes; in a superscript
 * an escaped space (`\ `) is a space.
 */
import type {Extension} from 'mdast-util-from-markdown'
import {createSpanFromMarkdown} from '../mark/create-span-markdown.js'

/** Create the from-markdown extension for `^^insert^^` and `^sup^`. */
export function caretFromMarkdown(): Extension {
  return createSpanFromMarkdown([
    {token: 'insert', node: 'insert', eols: true},
    {token: 'superscript', node: 'superscript', eols: false}
  ])
}

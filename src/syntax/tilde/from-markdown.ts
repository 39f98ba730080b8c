/**
 * `subscript` tokens to the mdast `subscript` node; an escaped space
 * (`\ `) inside is a space.
 */
import type {Extension} from 'mdast-util-from-markdown'
import {createSpanFromMarkdown} from '../mark/create-span-markdown.js'

/** Create the from-markdown extension for `~subscript~`. */
export function tildeFromMarkdown(): Extension {
  return createSpanFromMarkdown([
    {token: 'subscript', node: 'subscript', eols: false}
  ])
}

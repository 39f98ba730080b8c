/**
 * remark plugin for keyboard keys `++ctrl+alt+del++` (pymdownx.keys):
 * registers the syntax, the from-markdown and the to-markdown extensions.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {keysFromMarkdown} from './from-markdown.js'
import {keysSyntax} from './syntax.js'
import {keysToMarkdown} from './to-markdown.js'

/** Add `++key+key++` to remark (parse and stringify). */
export function remarkKeys(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(keysSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(keysFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(keysToMarkdown())
}

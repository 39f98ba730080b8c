/**
 * remark plugin for `^^insert^^` and `^superscript^` (pymdownx.caret):
 * registers the syntax, the from-markdown and the to-markdown extensions.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {caretFromMarkdown} from './from-markdown.js'
import {caretSyntax} from './syntax.js'
import {caretToMarkdown} from './to-markdown.js'

/** Add `^^insert^^` and `^superscript^` to remark (parse and stringify). */
export function remarkCaret(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(caretSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(caretFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(caretToMarkdown())
}

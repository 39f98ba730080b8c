/**
 * remark plugin for `==mark==` (pymdownx.mark): registers the syntax, the
 * from-markdown and the to-markdown extensions.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {markFromMarkdown} from './from-markdown.js'
import {markSyntax} from './syntax.js'
import {markToMarkdown} from './to-markdown.js'

/** Add `==mark==` to remark (parse and stringify). */
export function remarkMark(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(markSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(markFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(markToMarkdown())
}

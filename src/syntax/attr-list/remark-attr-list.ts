/**
 * remark plugin for attr lists `{ #id .class key=value }` after links,
 * images and ATX headings (Python-Markdown attr_list): registers the syntax,
 * the from-markdown and the to-markdown extensions.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {attributeListFromMarkdown} from './from-markdown.js'
import {attributeListSyntax} from './syntax.js'
import {attributeListToMarkdown} from './to-markdown.js'

/** Add attr lists to remark (parse and stringify). */
export function remarkAttrList(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(attributeListSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(attributeListFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(attributeListToMarkdown())
}

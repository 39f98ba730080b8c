/**
 * remark plugin for definition lists (Python-Markdown `def_list`):
 * registers the micromark syntax and the mdast-util-from-markdown and
 * -to-markdown extensions.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {definitionListFromMarkdown} from './from-markdown.js'
import {definitionListSyntax} from './syntax.js'
import {definitionListToMarkdown} from './to-markdown.js'

export {definitionListFromMarkdown} from './from-markdown.js'
export {definitionListSyntax} from './syntax.js'
export {definitionListToMarkdown} from './to-markdown.js'

/** Add `Term` / `:   description` lists to remark (parse and stringify). */
export function remarkDefinitionList(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(definitionListSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(definitionListFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(definitionListToMarkdown())
}

export default remarkDefinitionList

/**
 * remark plugin for content tabs (pymdownx.tabbed `=== "Title"`): registers
 * the micromark syntax and the mdast-util-from-markdown and -to-markdown
 * extensions. Grouping tabs into sets is part of from-markdown.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {tabsFromMarkdown} from './from-markdown.js'
import {tabsSyntax} from './syntax.js'
import {tabsToMarkdown} from './to-markdown.js'

export {tabsFromMarkdown} from './from-markdown.js'
export {tabsSyntax} from './syntax.js'
export {tabsToMarkdown} from './to-markdown.js'

/** Add `===` content tabs to remark (parse and stringify). */
export function remarkTabs(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(tabsSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(tabsFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(tabsToMarkdown())
}

export default remarkTabs

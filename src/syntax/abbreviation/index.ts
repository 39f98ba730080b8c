/**
 * remark plugin for abbreviations (Python-Markdown `abbr`): registers the
 * micromark syntax for `*[HTML]: Hyper Text Markup Language` lines, the
 * mdast-util-from-markdown and -to-markdown extensions, and the transform
 * that wraps occurrences in `abbreviation` nodes.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {abbreviationFromMarkdown} from './from-markdown.js'
import {abbreviationSyntax} from './syntax.js'
import {abbreviationToMarkdown} from './to-markdown.js'
import {markAbbreviations} from './transform.js'

export {abbreviationFromMarkdown} from './from-markdown.js'
export {abbreviationSyntax} from './syntax.js'
export {abbreviationToMarkdown} from './to-markdown.js'
export {markAbbreviations} from './transform.js'

/**
 * Add abbreviations to remark (parse, transform and stringify).
 *
 * The transform runs with the other transforms (`processor.run`), on the
 * text as parsed; text nodes that later transforms create are not searched.
 */
export function remarkAbbreviation(this: Processor<Root>) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(abbreviationSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(abbreviationFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(abbreviationToMarkdown())

  return function (tree: Root, file: VFile): undefined {
    markAbbreviations(tree, file.value === undefined ? undefined : String(file))
  }
}

export default remarkAbbreviation

/**
 * remark plugin for admonitions: registers the micromark syntax (MkDocs
 * `!!!`/`???` containers and `:::` directive fences), the mdast from- and
 * to-markdown extensions, and the tree transform that turns GitHub alerts
 * (`> [!NOTE]`) into admonitions.
 */
import type {Root} from 'mdast'
// For the `micromarkExtensions`, `fromMarkdownExtensions` and
// `toMarkdownExtensions` fields they declare on processor data.
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {transformAlerts} from './alert.js'
import {admonitionDirectiveSyntax} from './directive-syntax.js'
import {admonitionFromMarkdown} from './from-markdown.js'
import {admonitionSyntax} from './syntax.js'
import {admonitionToMarkdown} from './to-markdown.js'

/**
 * Add admonitions to remark: `!!! kind "title"`, `??? kind "title"`,
 * `???+ kind "title"`, `:::kind[title]{.class}` ... `:::` and `> [!KIND]`,
 * all producing `admonition` nodes (see `src/syntax/mdast.ts`).
 *
 * The syntax takes characters no other construct starts with (`!`, `?`,
 * `:` at the start of a line), so registration order does not matter for
 * parsing. The returned transformer turns alerts into admonitions; it needs
 * the file (its source), and transforms that look for admonitions must run
 * after it.
 */
export function remarkAdmonition(
  this: Processor<Root>
): (tree: Root, file: VFile) => undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(admonitionSyntax(), admonitionDirectiveSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(admonitionFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(admonitionToMarkdown())

  return function (tree, file) {
    transformAlerts(tree, file)
  }
}


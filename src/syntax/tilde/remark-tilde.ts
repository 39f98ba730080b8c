/**
 * remark plugin for `~subscript~` (pymdownx.tilde): registers the syntax,
 * the from-markdown and the to-markdown extensions. Use it with remark-gfm's
 * `singleTilde: false`, so `~~text~~` stays strikethrough.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {tildeFromMarkdown} from './from-markdown.js'
import {tildeSyntax} from './syntax.js'
import {tildeToMarkdown} from './to-markdown.js'

/** Add `~subscript~` to remark (parse and stringify). */
export function remarkTilde(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(tildeSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(tildeFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(tildeToMarkdown())
}

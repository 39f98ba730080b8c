/**
 * remark plugin for emoji shortcodes `:name:` (pymdownx.emoji, with
 * GitHub's gemoji names): registers the syntax, the from-markdown and the
 * to-markdown extensions.
 */
import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {emojiFromMarkdown} from './from-markdown.js'
import {emojiSyntax} from './syntax.js'
import {emojiToMarkdown} from './to-markdown.js'

/** Add `:name:` emoji shortcodes to remark (parse and stringify). */
export function remarkEmoji(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(emojiSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(emojiFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(emojiToMarkdown())
}

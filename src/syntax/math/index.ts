/**
 * remark plugin for single-dollar inline math as MkDocs authors write it
 * (pymdownx.arithmatex smart dollars, pandoc `tex_math_dollars`): `$x$` is
 * math, `$5 and $10` is text. Registers the micromark syntax,
 * mdast-util-math's from-markdown (the tokens are remark-math's, so the
 * node is remark-math's `inlineMath`) and the to-markdown extension.
 */
import type {Root} from 'mdast'
import {mathFromMarkdown} from 'mdast-util-math'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Processor} from 'unified'
import {dollarMathSyntax} from './syntax.js'
import {dollarMathToMarkdown} from './to-markdown.js'

export {dollarMathSyntax} from './syntax.js'
export {dollarMathToMarkdown} from './to-markdown.js'

/**
 * Add `$x$` inline math to remark (parse and stringify).
 *
 * Meant to run after `remark-math` with `{singleDollarTextMath: false}`:
 * remark-math keeps `$$x$$` and display math, this plugin owns the single
 * dollar. Registering mdast-util-math's from-markdown again is harmless
 * (same handlers) and lets the plugin work without remark-math too.
 */
export function remarkDollarMath(this: Processor<Root>): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(dollarMathSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(mathFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(dollarMathToMarkdown())
}

export default remarkDollarMath

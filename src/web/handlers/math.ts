/**
 * Web rendering of math (remark-math's `math` and `inlineMath` nodes) with
 * KaTeX at build time: HTML for the eye plus MathML for screen readers, no
 * client script. The page needs KaTeX's stylesheet and fonts, published by
 * the build from `katexAssets()`.
 *
 * Invalid TeX never breaks a build: the formula shows as its source in
 * `<code class="math-error">` and a `math-invalid` warning names the line.
 */
import {createRequire} from 'node:module'
import {readdirSync} from 'node:fs'
import path from 'node:path'
import type {Element, ElementContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import katex from 'katex'
import type {Nodes} from 'mdast'
import type {InlineMath, Math} from 'mdast-util-math'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {ReportMessage} from './report.js'

/** Options for rendering math. */
export interface MathOptions {
  /** TeX macros available to every formula (`{'\\RR': '\\mathbb{R}'}`). */
  macros?: Readonly<Record<string, string>> | undefined
}

/** One rendered formula. */
export interface RenderedMath {
  /** KaTeX's markup, or the source in `code.math-error` when invalid. */
  nodes: ElementContent[]
  /** Why the formula is invalid (KaTeX's message), when it is. */
  error: string | undefined
}

/**
 * Render one formula to hast. KaTeX runs with `output: 'htmlAndMathml'` and
 * throws on errors internally (rather than `throwOnError: false`) so the
 * error can be reported and the source shown instead of KaTeX's red text.
 */
export function renderMath(tex: string, displayMode: boolean, options: MathOptions = {}): RenderedMath {
  let html: string
  try {
    html = katex.renderToString(tex, {
      displayMode,
      output: 'htmlAndMathml',
      throwOnError: true,
      // A copy per formula: `\gdef` in one post must not leak into the next.
      macros: {...options.macros},
      // LaTeX-compatibility notes (unicode in math mode, ...) render fine;
      // KaTeX's default prints them to the console, which a build must not.
      strict: 'ignore'
    })
  } catch (error) {
    const reason = error instanceof katex.ParseError ? error.rawMessage : String(error)
    const code: Element = {
      type: 'element',
      tagName: 'code',
      properties: {className: ['math-error'], title: reason},
      children: [{type: 'text', value: tex}]
    }
    return {nodes: [code], error: reason}
  }
  const fragment = fromHtml(html, {fragment: true})
  const nodes = fragment.children.filter((node): node is ElementContent => node.type !== 'doctype')
  return {nodes, error: undefined}
}

/** Options for `createMathHandlers`. */
export interface MathHandlerOptions extends MathOptions {
  /** Receives a `math-invalid` warning for each formula KaTeX rejects. */
  report?: ReportMessage | undefined
}

/**
 * The web handlers for `math` (display: `<div class="math math-display">`
 * around KaTeX's markup) and `inlineMath` (KaTeX's `<span class="katex">`).
 * An invalid display formula renders as `<pre class="math math-display">
 * <code class="math-error">`.
 */
export function createMathHandlers(options: MathHandlerOptions = {}): Handlers {
  return {
    math(state: State, node: Math): Element {
      const {nodes, error} = renderMath(node.value, true, options)
      if (error !== undefined) reportError(options, node, error)
      const result: Element = {
        type: 'element',
        tagName: error === undefined ? 'div' : 'pre',
        properties: {className: ['math', 'math-display']},
        children: nodes
      }
      // Not `applyData`: remark-math's `data.hName` would turn this back into `<code>`.
      state.patch(node, result)
      return result
    },
    inlineMath(state: State, node: InlineMath): ElementContent[] {
      const {nodes, error} = renderMath(node.value, false, options)
      if (error !== undefined) reportError(options, node, error)
      for (const child of nodes) state.patch(node, child)
      return nodes
    }
  }
}

function reportError(options: MathHandlerOptions, node: Nodes, error: string): void {
  options.report?.({
    reason: `Invalid TeX, shown as source: ${error}`,
    node,
    ruleId: 'math-invalid'
  })
}

/** The math handlers without a message sink (invalid TeX still renders as source). */
export const mathHandlers: Handlers = createMathHandlers()

/**
 * KaTeX's stylesheet and fonts, for the build to publish at
 * `assets/katex/` (the CSS finds its fonts at `fonts/` beside it). `from` is
 * an absolute path, `to` is relative to the site root, `/`-separated.
 */
export function katexAssets(): Array<{from: string; to: string}> {
  const require = createRequire(import.meta.url)
  const dist = path.dirname(require.resolve('katex/dist/katex.min.css'))
  const fonts = readdirSync(path.join(dist, 'fonts')).sort()
  return [
    {from: path.join(dist, 'katex.min.css'), to: 'assets/katex/katex.min.css'},
    ...fonts.map((name) => ({from: path.join(dist, 'fonts', name), to: `assets/katex/fonts/${name}`}))
  ]
}

/**
 * Web rendering of code blocks (fenced and indented): highlighted at build
 * time by Shiki with both themes as CSS variables, plus the fence options
 * MkDocs authors write (pymdownx.superfences / pymdownx.highlight):
 *
 * ```` ```python title="train.py" hl_lines="2 3" linenums="1" ````
 *
 * Output: `<pre class="shiki ..."><code class="language-python">` with one
 * `<span class="line">` per line (`line highlighted` for `hl_lines`, a
 * leading `<span class="linenos" data-linenos="N">` with `linenums`). A title
 * wraps the block: `<div class="code-block"><div class="code-title">train.py
 * </div><pre ...></pre></div>`.
 */
import type {Element} from 'hast'
import type {Code} from 'mdast'
import type {Handlers, State} from 'mdast-util-to-hast'
import {fenceInfo} from '../../render/fence.js'
import type {Highlight} from '../../render/highlight.js'
import type {ReportMessage} from './report.js'

/** Options for `createCodeHandlers`. */
export interface CodeHandlerOptions {
  /** Receives a warning for a fence language Shiki does not know. */
  report?: ReportMessage | undefined
}

/**
 * The web handler for `code` nodes, highlighting with a prepared
 * highlighter (`await highlight.prepare(trees)` first: handlers are
 * synchronous). An unknown language renders as escaped plain text in the
 * same `pre.shiki` frame, keeping its `language-x` class, and is reported as
 * a `code-language-unknown` warning. Lines too long to highlight are shown
 * plain and reported as one `code-line-too-long` warning at the block.
 */
export function createCodeHandlers(highlight: Highlight, options: CodeHandlerOptions = {}): Handlers {
  return {
    code(state: State, node: Code): Element {
      const info = fenceInfo(node.lang, node.meta)
      let language: string | undefined
      if (info.language !== undefined) {
        language = highlight.language(info.language)
        if (language === undefined) {
          options.report?.({
            reason: `Unknown code language \`${info.language}\`: the block is shown without highlighting; use a name Shiki knows (python, bash, yaml, ...) or \`text\``,
            node,
            ruleId: 'code-language-unknown'
          })
        }
      }

      const lineCount = node.value.split('\n').length
      const highlightLines = new Set<number>()
      for (const [from, to] of info.highlightLines) {
        for (let line = from; line <= Math.min(to, lineCount); line++) highlightLines.add(line)
      }

      const long = highlight.plainLines(node.value, language)
      if (long.length > 0) {
        const many = long.length > 1
        options.report?.({
          reason:
            `Code ${many ? 'lines' : 'line'} ${long.join(', ')} of this block ${many ? 'are' : 'is'} longer than ` +
            `${highlight.maxLineLength} characters: shown without highlighting; break ${many ? 'them' : 'it'} up, or mark the block \`text\``,
          node,
          ruleId: 'code-line-too-long'
        })
      }

      const pre = highlight.highlight(node.value, language, {
        highlightLines,
        lineNumbersStart: info.lineNumbersStart,
        codeClassName: info.language ? ['language-' + info.language] : undefined
      })
      state.patch(node, pre)
      const result = state.applyData(node, pre)
      if (info.title === undefined) return result

      const wrapper: Element = {
        type: 'element',
        tagName: 'div',
        properties: {className: ['code-block']},
        children: [
          {
            type: 'element',
            tagName: 'div',
            properties: {className: ['code-title']},
            children: [{type: 'text', value: info.title}]
          },
          result
        ]
      }
      state.patch(node, wrapper)
      return wrapper
    }
  }
}

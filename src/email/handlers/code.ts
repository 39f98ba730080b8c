/**
 * Email handler of code blocks: highlighted with inline colours, because no
 * stylesheet survives in email, and a mermaid diagram (which needs a script
 * to draw) becomes a link to the web page plus its source.
 */
import type {Element, ElementContent} from 'hast'
import type {Code} from 'mdast'
import type {Handlers, State} from 'mdast-util-to-hast'
import {fenceInfo} from '../../render/fence.js'
import type {Highlight} from '../../render/highlight.js'
import {h, text, type EmailHandlerOptions} from './context.js'
import {createStrings} from '../../source/strings/index.js'

/** The email handler for `code` nodes. */
export function createCodeHandlers(options: Pick<EmailHandlerOptions, 'highlight' | 'pageUrl' | 'strings'>): Handlers {
  const {highlight, pageUrl} = options
  const strings = options.strings ?? createStrings('en')
  return {
    code(state: State, node: Code) {
      const info = fenceInfo(node.lang, node.meta)
      const language = info.language?.toLowerCase()
      const parts: ElementContent[] = []
      if (language === 'mermaid') {
        // The link goes where the sentence puts `{link}`.
        const [before = '', after = ''] = strings.text('email.diagramOnWeb', {link: '\u0000'}).split('\u0000')
        const label = pageUrl
          ? [text(before), h('a', {href: pageUrl}, [text(strings.text('email.diagramLink'))]), text(after)]
          : [text(strings.text('email.diagramSource'))]
        parts.push(h('p', {className: ['lp-diagram-link']}, label))
      }
      const title = info.title ?? undefined
      if (title) parts.push(h('p', {className: ['lp-code-title']}, [text(title)]))
      const pre = h('pre', {className: title ? ['lp-code', 'lp-code-titled'] : ['lp-code']}, [
        h('code', {className: ['lp-code-body']}, codeTokens(highlight, node, info.highlightLines, language))
      ])
      state.patch(node, pre)
      parts.push(pre)
      if (parts.length === 1) return pre
      const wrapper = h('div', {}, parts)
      state.patch(node, wrapper)
      return wrapper
    }
  }
}

/** The code's tokens, coloured when there is a highlighter, with the fence's `hl_lines` marked. */
function codeTokens(
  highlight: Highlight | undefined,
  node: Code,
  ranges: Array<[number, number]>,
  language: string | undefined
): ElementContent[] {
  if (!highlight) return [text(node.value)]
  const lines = new Set<number>()
  const count = node.value.split('\n').length
  for (const [from, to] of ranges) for (let line = from; line <= Math.min(to, count); line++) lines.add(line)
  const known = language === undefined ? undefined : highlight.language(language)
  const pre = highlight.highlight(node.value, known, {colors: 'inline', highlightLines: lines})
  return inlineTokens(pre)
}

/**
 * Shiki's `<pre>` (light theme, inline colours) to the tokens of one
 * `<code>`: line wrappers dropped, the default colour left to the `<pre>`,
 * neighbours of one colour merged (bytes count in email), highlighted
 * lines wrapped in `span.lp-hl`.
 */
function inlineTokens(pre: Element): ElementContent[] {
  const foreground = styleColor(pre.properties['style'])
  const code = pre.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code')
  if (!code) return []
  const out: ElementContent[] = []
  for (const line of code.children) {
    if (line.type === 'text') {
      out.push(text(line.value))
      continue
    }
    if (line.type !== 'element') continue
    const tokens = mergeTokens(line.children, foreground)
    const classes = line.properties['className']
    const highlighted = Array.isArray(classes) && classes.includes('highlighted')
    if (!highlighted) {
      out.push(...tokens)
      continue
    }
    // Mark the code, not its indentation: a wrapped line then reads as one marked run.
    const first = tokens[0]
    const indentation = first ? /^[ \t]*/.exec(tokenText(first))![0] : ''
    if (first && indentation) {
      out.push(text(indentation))
      if (first.type === 'text') first.value = first.value.slice(indentation.length)
      else if (first.type === 'element' && first.children[0]?.type === 'text') {
        first.children[0].value = first.children[0].value.slice(indentation.length)
      }
    }
    out.push(h('span', {className: ['lp-hl']}, tokens))
  }
  // Merge the text nodes between lines into their neighbours.
  const merged: ElementContent[] = []
  for (const node of out) {
    const last = merged.at(-1)
    if (node.type === 'text' && last?.type === 'text') last.value += node.value
    else merged.push(node)
  }
  return merged
}

function tokenText(node: ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(tokenText).join('')
  return ''
}

function mergeTokens(children: ElementContent[], foreground: string | undefined): ElementContent[] {
  const runs: Array<{style: string | undefined; value: string}> = []
  for (const child of children) {
    let style: string | undefined
    let value = ''
    if (child.type === 'text') value = child.value
    else if (child.type === 'element') {
      style = typeof child.properties['style'] === 'string' ? child.properties['style'] : undefined
      if (style !== undefined && styleColor(style) === foreground && !/font-style|font-weight|text-decoration/.test(style)) {
        style = undefined
      }
      value = child.children.map((grandchild) => (grandchild.type === 'text' ? grandchild.value : '')).join('')
    }
    // Whitespace looks the same in any colour: give it to the neighbour.
    const last = runs.at(-1)
    if (last && (last.style === style || /^\s*$/.test(value))) last.value += value
    else if (last && /^\s*$/.test(last.value)) {
      last.style = style
      last.value += value
    } else runs.push({style, value})
  }
  return runs.map((run) =>
    run.style === undefined ? text(run.value) : h('span', {style: run.style.toLowerCase()}, [text(run.value)])
  )
}

function styleColor(style: unknown): string | undefined {
  if (typeof style !== 'string') return undefined
  const match = /(?:^|;)\s*color\s*:\s*([^;]+)/i.exec(style)
  return match?.[1]?.trim().toLowerCase()
}

/**
 * The mdast `inlineMath` node back to `$x$` where the single-dollar rule
 * reads it back, else to remark-math's `$$x$$`; and the escape of every `$`
 * in text.
 */
import type {InlineMath} from 'mdast-util-math'
import {mathToMarkdown} from 'mdast-util-math'
import type {Handle, Info, Options, State} from 'mdast-util-to-markdown'
import type {Parents} from 'mdast'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'

// remark-math's own handler with single dollars off: always `$$` or more,
// padded when the value starts or ends with a space or a dollar.
const doubleDollarHandle: Handle | undefined = mathToMarkdown({
  singleDollarTextMath: false
}).handlers?.inlineMath

/**
 * Create the to-markdown extension for `$x$`.
 *
 * Register it after remark-math's (the dialect comes after remark-math in
 * the parser), so this `inlineMath` handler is the one used.
 *
 * Every `$` in text is escaped (`\$`), so a price such as `$5` comes back
 * as `\$5`, which reads the same.
 */
export function dollarMathToMarkdown(): Options {
  return {
    handlers: {inlineMath: Object.assign(inlineMath, {peek: inlineMathPeek})},
    unsafe: [
      // Every `$`, not only those before a non-space: mdast-util-to-markdown
      // drops a conditional escape when the next character gets escaped,
      // and `$\[` still opens a formula.
      {character: '$', inConstruct: 'phrasing', notInConstruct: noEscapeConstructs}
    ]
  }
}

function inlineMath(
  node: InlineMath,
  parent: Parents | undefined,
  state: State,
  info: Info
): string {
  let value = node.value

  if (!singleDollarSafe(value) || /^\d/.test(info.after)) {
    if (!doubleDollarHandle) throw new Error('mdast-util-math lost its inlineMath handler')
    return doubleDollarHandle(node, parent, state, info)
  }

  // A line ending inside followed by, say, `# ` would start a heading when
  // read back: turn such line endings into spaces, as remark-math does.
  for (const pattern of state.unsafe) {
    if (!pattern.atBreak) continue
    const expression = state.compilePattern(pattern)
    let match: RegExpExecArray | null

    while ((match = expression.exec(value))) {
      let position = match.index
      // Patterns find the `\n` of a CRLF; replace the whole pair.
      if (value.charCodeAt(position) === 10 && value.charCodeAt(position - 1) === 13) {
        position--
      }

      value = value.slice(0, position) + ' ' + value.slice(match.index + 1)
    }
  }

  return '$' + value + '$'
}

function inlineMathPeek(): string {
  return '$'
}

/**
 * Whether `$value$` parses back as this formula: something to hold, no
 * whitespace at either edge, no `$` that would close early and no trailing
 * backslash that would escape the closing `$`.
 */
function singleDollarSafe(value: string): boolean {
  if (value === '' || /^\s|\s$/.test(value)) return false
  let index = 0

  while (index < value.length) {
    const char = value.charAt(index)
    if (char === '$') return false

    if (char === '\\') {
      const next = value.charAt(index + 1)
      if (next === '') return false
      // Before a line ending a backslash takes nothing with it.
      index += next === '\n' || next === '\r' ? 1 : 2
      continue
    }

    index++
  }

  return true
}

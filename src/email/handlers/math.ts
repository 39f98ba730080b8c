/**
 * Email handlers of math (`$…$`, `$$…$$`): Unicode text with real
 * `<sup>`/`<sub>` (`../math.ts`), since email clients load neither KaTeX's
 * stylesheet nor its fonts. TeX that has no such form is shown as source.
 */
import type {ElementContent} from 'hast'
import type {InlineMath, Math} from 'mdast-util-math'
import type {Handlers, State} from 'mdast-util-to-hast'
import {texToSegments, type MathSegment} from '../math.js'
import {h, text} from './context.js'

/** Math segments as hast: text, `<sup>`, `<sub>`. */
export function mathToHast(segments: MathSegment[]): ElementContent[] {
  return segments.map((segment) =>
    segment.type === 'text' ? text(segment.value) : h(segment.type, {}, mathToHast(segment.children))
  )
}

/** Email handlers for `math` and `inlineMath` nodes. */
export const mathHandlers: Handlers = {
  math(state: State, node: Math) {
    const segments = texToSegments(node.value)
    const result = segments
      ? h('p', {className: ['lp-math-block']}, mathToHast(segments))
      : h('pre', {className: ['lp-code']}, [h('code', {className: ['lp-code-body']}, [text(node.value)])])
    state.patch(node, result)
    return result
  },

  inlineMath(state: State, node: InlineMath) {
    const segments = texToSegments(node.value)
    const result = segments
      ? h('span', {className: ['lp-math']}, mathToHast(segments))
      : h('code', {className: ['lp-math-tex']}, [text(`$${node.value}$`)])
    state.patch(node, result)
    return result
  }
}

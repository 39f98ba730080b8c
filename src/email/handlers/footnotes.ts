/**
 * Email handlers of footnotes: a call is a plain number and the notes are a
 * list at the end, because in-page anchors do not work in most clients. The
 * `root` handler is here because it is the one that appends that list.
 */
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import type {FootnoteDefinition, FootnoteReference, Root} from 'mdast'
import type {Handler, Handlers, State} from 'mdast-util-to-hast'
import {addClass, h, text, type EmailHandlerOptions} from './context.js'
import {createStrings} from '../../source/strings/index.js'

/**
 * Email handlers for `root`, `footnoteReference` and `footnoteDefinition`
 * nodes. They number notes in the order their calls appear, so each render
 * needs handlers of its own.
 */
export function createFootnoteHandlers(options: Pick<EmailHandlerOptions, 'strings'> = {}): Handlers {
  const strings = options.strings ?? createStrings('en')
  const footnoteOrder: string[] = []

  function footnoteNumber(identifier: string): number {
    const id = identifier.toUpperCase()
    let index = footnoteOrder.indexOf(id)
    if (index === -1) {
      footnoteOrder.push(id)
      index = footnoteOrder.length - 1
    }
    return index + 1
  }

  function footnotes(state: State): Element | undefined {
    const items: ElementContent[] = []
    // A note may call another note: the list grows while it is rendered.
    for (let index = 0; index < footnoteOrder.length; index++) {
      const definition: FootnoteDefinition | undefined = state.footnoteById.get(footnoteOrder[index]!)
      if (!definition) continue
      const content = state.all(definition)
      const onlyParagraph =
        content.filter((child) => child.type === 'element').length === 1 &&
        content.find((child): child is Element => child.type === 'element')?.tagName === 'p'
      const children = onlyParagraph
        ? content.flatMap((child) => (child.type === 'element' ? child.children : [child]))
        : content.map((child) => {
            if (child.type === 'element' && child.tagName === 'p') addClass(child, 'lp-footnote')
            return child
          })
      items.push(h('li', {className: ['lp-footnote']}, children))
    }
    if (items.length === 0) return undefined
    return h('div', {className: ['lp-footnotes']}, [
      h('p', {className: ['lp-footnotes-title']}, [text(strings.text('email.notes'))]),
      h('ol', {}, items)
    ])
  }

  return {
    // mdast-util-to-hast's own root handler returns a root too; its type says elements only.
    root: ((state: State, node: Root): HastRoot => {
      const children = state.wrap(state.all(node), true)
      const notes = footnotes(state)
      if (notes) children.push(text('\n'), notes)
      return {type: 'root', children}
    }) as unknown as Handler,

    footnoteReference(state: State, node: FootnoteReference) {
      const result = h('sup', {className: ['lp-footnote-ref']}, [text(String(footnoteNumber(node.identifier)))])
      state.patch(node, result)
      return result
    },

    // Definitions are rendered in the list at the end, in the order their calls number them.
    footnoteDefinition: () => undefined
  }
}

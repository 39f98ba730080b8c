/**
 * Web HTML for admonitions, as MkDocs Material renders them (so themes made
 * for MkDocs keep working):
 *
 * ```html
 * <div class="admonition note"><p class="admonition-title">Title</p>...</div>
 * <details class="note" open><summary>Title</summary>...</details>
 * ```
 *
 * All three syntaxes (`!!!`/`???`, `> [!NOTE]`, `:::note`) render alike.
 */
import type {Admonition, AdmonitionTitle} from '../../syntax/mdast.js'
import type {Element, ElementContent} from 'hast'
import type {Parents} from 'mdast'
import type {Handlers, State} from 'mdast-util-to-hast'

/**
 * mdast-util-to-hast handlers for `admonition` and `admonitionTitle`.
 *
 * The title is the `admonitionTitle` child when there is one; `title: null`
 * shows the kind capitalised (`note` gives `Note`); `title: ''` shows no
 * title (a collapsible one keeps an empty `<summary>`, as pymdownx does).
 * Extra classes follow the kind. `???+` gives `<details open>`.
 */
export const admonitionHandlers: Handlers = {
  admonition,
  admonitionTitle
}

function admonition(state: State, node: Admonition): Element {
  const collapsible = node.collapsible !== null
  const children: ElementContent[] = []
  const first = node.children[0]

  if (node.title === null) {
    children.push(titleElement(collapsible, [{type: 'text', value: capitalise(node.kind)}]))
  } else if (node.title === '') {
    if (collapsible) children.push(titleElement(true, []))
  } else if (!first || first.type !== 'admonitionTitle') {
    // A title given as a string only (a tree made by code, not parsed).
    children.push(titleElement(collapsible, [{type: 'text', value: node.title}]))
  }

  children.push(...state.all(node))
  const classes = [node.kind, ...node.classes].filter(Boolean)
  const result: Element = collapsible
    ? {
        type: 'element',
        tagName: 'details',
        properties: {
          className: classes.length > 0 ? classes : undefined,
          open: node.collapsible === 'open' ? true : undefined
        },
        children: state.wrap(children, true)
      }
    : {
        type: 'element',
        tagName: 'div',
        properties: {className: ['admonition', ...classes]},
        children: state.wrap(children, true)
      }
  state.patch(node, result)
  return state.applyData(node, result)
}

function admonitionTitle(
  state: State,
  node: AdmonitionTitle,
  parent: Parents | undefined
): Element {
  const collapsible = parent?.type === 'admonition' && parent.collapsible !== null
  const result = titleElement(collapsible, state.all(node))
  state.patch(node, result)
  return state.applyData(node, result)
}

/** `<summary>` in `<details>`, `<p class="admonition-title">` otherwise. */
function titleElement(collapsible: boolean, children: ElementContent[]): Element {
  return collapsible
    ? {type: 'element', tagName: 'summary', properties: {}, children}
    : {
        type: 'element',
        tagName: 'p',
        properties: {className: ['admonition-title']},
        children
      }
}

/** Python's `str.capitalize` on a lower-cased kind. */
function capitalise(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

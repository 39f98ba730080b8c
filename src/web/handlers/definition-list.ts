/**
 * Definition lists on the web, as Python-Markdown's `def_list` writes them:
 * `<dl>`, `<dt>` per term, `<dd>` per description. A description that is
 * not `spread` shows its paragraphs' text without `<p>` (as a tight list
 * item does), so `Term\n:   Text` gives `<dd>Text</dd>`.
 */
import type {Element, ElementContent} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {DefinitionDescription, DefinitionList, DefinitionTerm} from '../../syntax/mdast.js'

/** The web handlers of `definitionList`, `definitionTerm` and `definitionDescription`. */
export const definitionListHandlers: Handlers = {
  definitionList(state: State, node: DefinitionList) {
    const result: Element = {
      type: 'element',
      tagName: 'dl',
      properties: {},
      children: state.wrap(state.all(node), true)
    }
    state.patch(node, result)
    return state.applyData(node, result)
  },
  definitionTerm(state: State, node: DefinitionTerm) {
    const result: Element = {type: 'element', tagName: 'dt', properties: {}, children: state.all(node)}
    state.patch(node, result)
    return state.applyData(node, result)
  },
  definitionDescription(state: State, node: DefinitionDescription) {
    const results = state.all(node)
    let children: ElementContent[]

    if (node.spread) {
      children = state.wrap(results, true)
    } else {
      children = []
      results.forEach((child, index) => {
        const paragraph = child.type === 'element' && child.tagName === 'p'
        // Line endings between blocks, none around the text of a paragraph.
        if (index > 0 || !paragraph) children.push({type: 'text', value: '\n'})
        if (paragraph) {
          children.push(...child.children)
        } else {
          children.push(child)
        }
      })
      const tail = results[results.length - 1]
      if (tail && !(tail.type === 'element' && tail.tagName === 'p')) {
        children.push({type: 'text', value: '\n'})
      }
    }

    const result: Element = {type: 'element', tagName: 'dd', properties: {}, children}
    state.patch(node, result)
    return state.applyData(node, result)
  }
}

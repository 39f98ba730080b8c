/**
 * Abbreviations on the web, as Python-Markdown's `abbr` writes them:
 * `<abbr title="Hyper Text Markup Language">HTML</abbr>`. Definitions
 * (`*[HTML]: …` lines) render nothing.
 */
import type {Element} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Abbreviation} from '../../syntax/mdast.js'

/** The web handlers of `abbreviation` and `abbreviationDefinition`. */
export const abbreviationHandlers: Handlers = {
  abbreviation(state: State, node: Abbreviation) {
    const result: Element = {
      type: 'element',
      tagName: 'abbr',
      properties: {title: node.title},
      children: state.all(node)
    }
    state.patch(node, result)
    return state.applyData(node, result)
  },
  abbreviationDefinition() {
    return undefined
  }
}

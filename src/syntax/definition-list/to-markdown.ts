/**
 * Serialise definition lists back to Python-Markdown `def_list` Markdown,
 * so a parsed tree round-trips.
 */
import type {DefinitionDescription, DefinitionList, DefinitionTerm} from '../mdast.js'
import type {Parents} from 'mdast'
import type {Info, Options as ToMarkdownExtension, State} from 'mdast-util-to-markdown'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /**
     * Whole definition list.
     *
     * ```markdown
     * > | Term
     *     ^^^^
     * > | :   Description
     *     ^^^^^^^^^^^^^^^
     * ```
     */
    definitionList: 'definitionList'

    /**
     * A term.
     *
     * ```markdown
     * > | Term
     *     ^^^^
     *   | :   Description
     * ```
     */
    definitionTerm: 'definitionTerm'

    /**
     * A description.
     *
     * ```markdown
     *   | Term
     * > | :   Description
     *     ^^^^^^^^^^^^^^^
     * ```
     */
    definitionDescription: 'definitionDescription'
  }
}

/**
 * Create the mdast-util-to-markdown extension for definition lists.
 *
 * Terms go one per line; a description is `:` and three spaces, its later
 * lines indented by 4. A spread description gets a blank line before it,
 * which is what makes one with terms of its own loose; children of a
 * description are joined as in a list item (tight: no blank lines). A term
 * after a description needs a blank line, or it would continue the
 * description's paragraph. Text at a line start that would open a
 * description (`:` and whitespace) is escaped.
 */
export function definitionListToMarkdown(): ToMarkdownExtension {
  return {
    handlers: {
      definitionList: handleList,
      definitionTerm: handleTerm,
      definitionDescription: handleDescription
    },
    unsafe: [{character: ':', atBreak: true, after: '[\\t ]'}]
  }
}

function handleList(
  node: DefinitionList,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const exit = state.enter('definitionList')
  const tracker = state.createTracker(info)
  let value = ''

  node.children.forEach((child, index) => {
    const previous = node.children[index - 1]
    if (previous) {
      value += tracker.move(
        child.type === 'definitionTerm'
          ? previous.type === 'definitionTerm'
            ? '\n'
            : '\n\n'
          : child.spread
            ? '\n\n'
            : '\n'
      )
    }

    value += tracker.move(
      state.handle(child, node, state, {...tracker.current(), before: '\n', after: '\n'})
    )
  })

  exit()
  return value
}

function handleTerm(
  node: DefinitionTerm,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const exit = state.enter('definitionTerm')
  // A term is one line: line endings inside would make more terms.
  const value = state.containerPhrasing(node, info).replace(/[\t ]*\r?\n[\t ]*/g, ' ')
  exit()
  return value
}

function handleDescription(
  node: DefinitionDescription,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const exit = state.enter('definitionDescription')
  const tracker = state.createTracker(info)
  let value = tracker.move(':   ')
  tracker.shift(4)
  value += tracker.move(
    state.indentLines(state.containerFlow(node, tracker.current()), indentLater)
  )
  exit()
  return value
}

function indentLater(line: string, index: number, blank: boolean): string {
  return index === 0 || blank ? line : '    ' + line
}

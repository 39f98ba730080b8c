/**
 * Serialise abbreviation definitions and occurrences back to Markdown, so
 * a parsed tree round-trips.
 */
import type {Abbreviation, AbbreviationDefinition} from '../mdast.js'
import type {Parents} from 'mdast'
import type {Info, Options as ToMarkdownExtension, State} from 'mdast-util-to-markdown'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /**
     * Abbreviation definition.
     *
     * ```markdown
     * > | *[HTML]: Hyper Text Markup Language
     *     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
     * ```
     */
    abbreviationDefinition: 'abbreviationDefinition'
  }
}

/**
 * Create the mdast-util-to-markdown extension for abbreviations.
 *
 * A definition is written `*[label]: value` on one line. An occurrence is
 * written as its text: the transform finds it again from the definition.
 * (A `*` at the start of text is always escaped by to-markdown, so text
 * never turns into a definition.)
 */
export function abbreviationToMarkdown(): ToMarkdownExtension {
  return {
    handlers: {
      abbreviationDefinition: handleDefinition,
      abbreviation: handleAbbreviation
    }
  }
}

function handleDefinition(
  node: AbbreviationDefinition,
  _parent: Parents | undefined,
  state: State
): string {
  const exit = state.enter('abbreviationDefinition')
  const label = oneLine(node.label).replaceAll(']', '')
  const value = '*[' + label + ']: ' + oneLine(node.value)
  exit()
  return value
}

function handleAbbreviation(
  node: Abbreviation,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  return state.containerPhrasing(node, info)
}

/** Labels and expansions live on one line. */
function oneLine(value: string): string {
  return value.replace(/[\t ]*\r?\n[\t ]*/g, ' ')
}

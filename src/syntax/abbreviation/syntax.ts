/**
 * micromark syntax for abbreviation definitions (Python-Markdown `abbr`):
 *
 * ```markdown
 * *[HTML]: Hyper Text Markup Language
 * ```
 *
 * A `flow` construct of one line: `*[`, a label without `]`, `]`, an
 * optional space, `:`, then the expansion up to the end of the line. Like
 * Python-Markdown (which looks for the line anywhere in a block), it may
 * interrupt a paragraph. Label and expansion are raw text (no inline
 * Markdown, no escapes), trimmed by from-markdown. An empty label or an
 * empty expansion is no definition (Python would take the expansion from
 * the next line; letterpress keeps a definition on one line).
 *
 * The occurrences in text are found by a tree transform, not here: a
 * definition applies to the whole document, wherever it is.
 */
import {factorySpace} from 'micromark-factory-space'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole definition line, without the line ending. */
    abbreviationDefinition: 'abbreviationDefinition'
    /** `*[`, `]` or `:`. */
    abbreviationDefinitionMarker: 'abbreviationDefinitionMarker'
    /** The abbreviation between the brackets. */
    abbreviationDefinitionLabel: 'abbreviationDefinitionLabel'
    /** The expansion after the `:`. */
    abbreviationDefinitionValue: 'abbreviationDefinitionValue'
  }
}

const abbreviationDefinition: Construct = {
  name: 'abbreviationDefinition',
  tokenize: tokenizeAbbreviationDefinition
}

/**
 * Create the micromark extension for `*[label]: expansion` lines.
 *
 * Pass it in `extensions` to micromark (remark: `micromarkExtensions`).
 */
export function abbreviationSyntax(): Extension {
  return {flow: {[codes.asterisk]: abbreviationDefinition}}
}

function tokenizeAbbreviationDefinition(effects: Effects, ok: State, nok: State): State {
  let labelSeen = false

  return start

  /**
   * At the `*`.
   *
   * ```markdown
   * > | *[HTML]: Hyper Text Markup Language
   *     ^
   * ```
   */
  function start(code: Code): State | undefined {
    effects.enter('abbreviationDefinition')
    effects.enter('abbreviationDefinitionMarker')
    effects.consume(code)
    return open
  }

  function open(code: Code): State | undefined {
    if (code !== codes.leftSquareBracket) return nok(code)
    effects.consume(code)
    effects.exit('abbreviationDefinitionMarker')
    return labelStart
  }

  /**
   * At the label.
   *
   * ```markdown
   * > | *[HTML]: Hyper Text Markup Language
   *       ^
   * ```
   */
  function labelStart(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code) || code === codes.rightSquareBracket) {
      return nok(code)
    }

    effects.enter('abbreviationDefinitionLabel')
    return labelInside(code)
  }

  function labelInside(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)

    if (code === codes.rightSquareBracket) {
      if (!labelSeen) return nok(code)
      effects.exit('abbreviationDefinitionLabel')
      effects.enter('abbreviationDefinitionMarker')
      effects.consume(code)
      effects.exit('abbreviationDefinitionMarker')
      return labelAfter
    }

    if (!markdownSpace(code)) labelSeen = true
    effects.consume(code)
    return labelInside
  }

  /**
   * After `]`: one optional space, then `:`.
   *
   * ```markdown
   * > | *[HTML]: Hyper Text Markup Language
   *            ^
   * ```
   */
  function labelAfter(code: Code): State | undefined {
    if (code === codes.space) {
      effects.enter(types.whitespace)
      effects.consume(code)
      effects.exit(types.whitespace)
      return colon
    }

    return colon(code)
  }

  function colon(code: Code): State | undefined {
    if (code !== codes.colon) return nok(code)
    effects.enter('abbreviationDefinitionMarker')
    effects.consume(code)
    effects.exit('abbreviationDefinitionMarker')
    return factorySpace(effects, valueStart, types.whitespace)
  }

  /**
   * At the expansion.
   *
   * ```markdown
   * > | *[HTML]: Hyper Text Markup Language
   *              ^
   * ```
   */
  function valueStart(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)
    effects.enter('abbreviationDefinitionValue')
    return valueInside(code)
  }

  function valueInside(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('abbreviationDefinitionValue')
      effects.exit('abbreviationDefinition')
      return ok(code)
    }

    effects.consume(code)
    return valueInside
  }
}

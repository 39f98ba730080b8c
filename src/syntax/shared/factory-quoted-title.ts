/**
 * The quoted title at the end of an opening line, as Python-Markdown's
 * admonition and pymdownx.tabbed read it: `"(.*?)" *$`, so the title runs
 * to the last `"` of the line and quotes inside need no escaping.
 */
import {factorySpace} from 'micromark-factory-space'
import {markdownLineEnding} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenType} from 'micromark-util-types'

/**
 * Tokenize a quoted title, at its opening `"`: a `type` token holding two
 * `markerType` quotes and, unless the title is empty (`""`), a `stringType`
 * token holding a `chunkText` (inline Markdown).
 *
 * `ok` comes right after the closing quote, which is followed by nothing
 * but spaces on its line; `nok` when there is no such quote (or no `"` to
 * start with). Like micromark-factory-title, but on one line only.
 */
export function factoryQuotedTitle(
  effects: Effects,
  ok: State,
  nok: State,
  type: TokenType,
  markerType: TokenType,
  stringType: TokenType
): State {
  const titleEnd: Construct = {partial: true, tokenize: tokenizeTitleEnd}

  return start

  /**
   * At the opening quote.
   *
   * ```markdown
   * > | !!! note "Title"
   *              ^
   * ```
   */
  function start(code: Code): State | undefined {
    if (code !== codes.quotationMark) return nok(code)
    effects.enter(type)
    effects.enter(markerType)
    effects.consume(code)
    effects.exit(markerType)
    return titleStart
  }

  /**
   * After the opening quote: `""` is an empty title.
   *
   * ```markdown
   * > | !!! note "Title"
   *               ^
   * ```
   */
  function titleStart(code: Code): State | undefined {
    if (code === codes.quotationMark) {
      return effects.check(titleEnd, titleClose, titleChunkStart)(code)
    }

    return titleChunkStart(code)
  }

  function titleChunkStart(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)
    effects.enter(stringType)
    effects.enter(types.chunkText, {contentType: 'text'})
    return titleInside(code)
  }

  /**
   * In the title: it ends at the last quote of the line (Python's lazy
   * `"(.*?)" *$`).
   *
   * ```markdown
   * > | !!! note "A "quoted" word"
   *               ^^^^^^^^^^^^^^^
   * ```
   */
  function titleInside(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)

    if (code === codes.quotationMark) {
      return effects.check(titleEnd, titleStringEnd, titleConsume)(code)
    }

    return titleConsume(code)
  }

  function titleConsume(code: Code): State | undefined {
    effects.consume(code)
    return titleInside
  }

  function titleStringEnd(code: Code): State | undefined {
    effects.exit(types.chunkText)
    effects.exit(stringType)
    return titleClose(code)
  }

  /**
   * At the closing quote.
   *
   * ```markdown
   * > | !!! note "Title"
   *                    ^
   * ```
   */
  function titleClose(code: Code): State | undefined {
    effects.enter(markerType)
    effects.consume(code)
    effects.exit(markerType)
    effects.exit(type)
    return ok
  }

  /**
   * Check that a quote is the last thing on its line (bar spaces).
   */
  function tokenizeTitleEnd(effects: Effects, ok: State, nok: State): State {
    return quote

    function quote(code: Code): State | undefined {
      effects.enter(markerType)
      effects.consume(code)
      effects.exit(markerType)
      return factorySpace(effects, after, types.whitespace)
    }

    function after(code: Code): State | undefined {
      return code === null || markdownLineEnding(code) ? ok(code) : nok(code)
    }
  }
}

/**
 * micromark syntax for content tabs (pymdownx.tabbed): a `=== "Title"` line,
 * then a body indented by 4 columns.
 *
 * A tab is a `document` (container) construct, like block quotes, list
 * items and GFM footnote definitions: the opening line is the container's
 * prefix, and every later line belongs to the tab when it is blank or
 * indented by 4 columns more than the `===` (a tab character counts to the
 * next multiple of 4). The body is therefore full Markdown, parsed by
 * micromark's own flow tokenizer, and nests with lists and admonitions.
 *
 * The opening line follows pymdownx.tabbed's regular expression,
 * `={3}(\+|\+!|!\+|!)? +"(.*?)" *$`: `+` selects the tab, `!` starts a new
 * set. The title runs to the last `"` of the line and is tokenized as
 * inline text (`chunkText`). Grouping consecutive tabs into a set happens
 * in from-markdown (`transforms`), not here.
 *
 * Unlike block quotes, a tab takes no lazy lines: a line that is neither
 * blank nor indented enough ends it, even in the middle of a paragraph, as
 * pymdownx's `detab` does. The continuation and the lazy guard that does
 * this are shared with the other indented containers
 * (`../shared/indented-container.ts`).
 */
import {factorySpace} from 'micromark-factory-space'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Extension,
  State,
  TokenizeContext
} from 'micromark-util-types'
import {factoryQuotedTitle} from '../shared/factory-quoted-title.js'
import {createIndentedContainer, openIndentedBody} from '../shared/indented-container.js'
import {linePrefixSize} from '../shared/line-prefix.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole tab (container). */
    tab: 'tab'
    /** Its first line, without the line ending. */
    tabOpening: 'tabOpening'
    /** `===`, `===+`, `===!`, `===+!` or `===!+`. */
    tabMarker: 'tabMarker'
    /** The quoted title, quotes included. */
    tabTitle: 'tabTitle'
    /** A quote around the title. */
    tabTitleMarker: 'tabTitleMarker'
    /** The title between the quotes (holds a `chunkText`); absent when empty. */
    tabTitleString: 'tabTitleString'
    /** Indentation of a body line taken by the tab. */
    tabIndent: 'tabIndent'
  }

  interface ParseContext {
    /**
     * Offset where a tab's continuation just failed: the line there must
     * close the tab instead of lazily continuing a paragraph.
     */
    tabBreak?: number | undefined
  }
}

const {continuation, lazyGuard} = createIndentedContainer({
  name: 'tab',
  indentType: 'tabIndent',
  breakField: 'tabBreak',
  ownIndentOnly: false
})

const tab: Construct = {
  name: 'tab',
  tokenize: tokenizeTabStart,
  continuation,
  exit: exitTab
}

/**
 * Create the micromark extension for `===` content tabs.
 *
 * Pass it in `extensions` to micromark (remark: `micromarkExtensions`).
 */
export function tabsSyntax(): Extension {
  return {
    document: {
      [codes.equalsTo]: tab,
      null: lazyGuard
    }
  }
}

/**
 * Tokenize the opening line: `=== "Title"`.
 */
function tokenizeTabStart(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  // The body is indented relative to the marker.
  const markerIndent = linePrefixSize(self)
  let size = 0
  let selected = false
  let newSet = false

  return start

  /**
   * At the first `=`.
   *
   * ```markdown
   * > | === "Title"
   *     ^
   * ```
   */
  function start(code: Code): State | undefined {
    effects.enter('tab', {_container: true})
    effects.enter('tabOpening')
    effects.enter('tabMarker')
    return markerInside(code)
  }

  /**
   * In the marker: exactly three `=`, then at most one `+` and one `!`.
   *
   * ```markdown
   * > | ===+ "Title"
   *     ^^^^
   * ```
   */
  function markerInside(code: Code): State | undefined {
    if (size < 3) {
      if (code !== codes.equalsTo) return nok(code)
      effects.consume(code)
      size++
      return markerInside
    }

    if (code === codes.plusSign && !selected) {
      selected = true
      effects.consume(code)
      return markerInside
    }

    if (code === codes.exclamationMark && !newSet) {
      newSet = true
      effects.consume(code)
      return markerInside
    }

    effects.exit('tabMarker')
    return markerAfter(code)
  }

  /**
   * After the marker: at least one space, then the title.
   *
   * ```markdown
   * > | === "Title"
   *        ^
   * ```
   */
  function markerAfter(code: Code): State | undefined {
    if (!markdownSpace(code)) return nok(code)
    return factorySpace(effects, titleBefore, types.whitespace)(code)
  }

  /**
   * At the opening quote.
   *
   * ```markdown
   * > | === "Title"
   *         ^
   * ```
   */
  function titleBefore(code: Code): State | undefined {
    return factoryQuotedTitle(
      effects,
      titleAfter,
      nok,
      'tabTitle',
      'tabTitleMarker',
      'tabTitleString'
    )(code)
  }

  /**
   * After the closing quote.
   *
   * ```markdown
   * > | === "Title"
   *                ^
   * ```
   */
  function titleAfter(code: Code): State | undefined {
    return factorySpace(effects, after, types.whitespace)(code)
  }

  /**
   * At the end of the opening line.
   *
   * ```markdown
   * > | === "Title"
   *                ^
   * ```
   */
  function after(code: Code): State | undefined {
    if (code !== null && !markdownLineEnding(code)) return nok(code)
    effects.exit('tabOpening')
    openIndentedBody(self, markerIndent)
    return ok(code)
  }
}

/**
 * Close the tab token when micromark closes the container.
 */
function exitTab(this: TokenizeContext, effects: Effects): undefined {
  effects.exit('tab')
}

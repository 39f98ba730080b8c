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
 * pymdownx's `detab` does. See `lazyGuard`.
 */
import {blankLine} from 'micromark-core-commonmark'
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

  interface ContainerState {
    /** Columns of indentation a tab body line must have. */
    tabIndent?: number | undefined
  }

  interface ParseContext {
    /**
     * Offset where a tab's continuation just failed: the line there must
     * close the tab instead of lazily continuing a paragraph.
     */
    tabBreak?: number | undefined
  }
}

/** Columns a body line is indented by, relative to the `===`. */
const bodyIndent = 4

const tab: Construct = {
  name: 'tab',
  tokenize: tokenizeTabStart,
  continuation: {tokenize: tokenizeTabContinuation},
  exit: exitTab
}

/**
 * Closes tabs on lines that failed their continuation.
 *
 * When a container's continuation fails, micromark looks for new containers
 * and, if there is none, hands the line to the open flow as a lazy line, so
 * `=== "A"\n    text\nmore` would put `more` into the paragraph `text`.
 * pymdownx never does that. This construct, attempted (as a new container,
 * on any character) exactly where a tab's continuation failed, answers "a
 * new container starts here" once without consuming anything: micromark
 * then closes the flow and every container that did not continue, and
 * attempts containers again, where the guard, now spent, declines.
 */
const lazyGuard: Construct = {
  name: 'tabLazyGuard',
  tokenize: tokenizeLazyGuard
}

const indent: Construct = {partial: true, tokenize: tokenizeIndent}
const titleEnd: Construct = {partial: true, tokenize: tokenizeTitleEnd}

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
  const tail = self.events[self.events.length - 1]
  // Indentation before the marker: the body is indented relative to it, so
  // a tab indented inside a list item works as in MkDocs.
  const initialSize =
    tail && tail[1].type === types.linePrefix
      ? tail[2].sliceSerialize(tail[1], true).length
      : 0
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
    if (code !== codes.quotationMark) return nok(code)
    effects.enter('tabTitle')
    effects.enter('tabTitleMarker')
    effects.consume(code)
    effects.exit('tabTitleMarker')
    return titleStart
  }

  /**
   * After the opening quote: `""` is an empty title.
   *
   * ```markdown
   * > | === "Title"
   *          ^
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
    effects.enter('tabTitleString')
    effects.enter(types.chunkText, {contentType: 'text'})
    return titleInside(code)
  }

  /**
   * In the title. It ends at the last quote of the line (Python's lazy
   * `"(.*?)" *$`), so quotes inside need no escaping.
   *
   * ```markdown
   * > | === "A "quoted" word"
   *          ^^^^^^^^^^^^^^^
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
    effects.exit('tabTitleString')
    return titleClose(code)
  }

  /**
   * At the closing quote.
   *
   * ```markdown
   * > | === "Title"
   *               ^
   * ```
   */
  function titleClose(code: Code): State | undefined {
    effects.enter('tabTitleMarker')
    effects.consume(code)
    effects.exit('tabTitleMarker')
    effects.exit('tabTitle')
    return factorySpace(effects, after, types.whitespace)
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
    self.containerState!.tabIndent = initialSize + bodyIndent
    return ok(code)
  }
}

/**
 * Tokenize the start of a later line: blank, or indented enough.
 *
 * ```markdown
 *   | === "Title"
 * > |     body
 *     ^^^^
 * ```
 */
function tokenizeTabContinuation(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  const offset = self.now().offset
  const size = self.containerState!.tabIndent ?? bodyIndent

  return effects.check(blankLine, onBlank, effects.attempt(indent, ok, onBreak))

  /**
   * A blank line continues the tab; its indentation (up to the body indent)
   * is ours, the rest goes to the flow (it matters in fenced code).
   */
  function onBlank(code: Code): State | undefined {
    return factorySpace(effects, ok, 'tabIndent', size + 1)(code)
  }

  function onBreak(code: Code): State | undefined {
    self.parser.tabBreak = offset
    return nok(code)
  }
}

/**
 * Tokenize exactly the body indentation.
 */
function tokenizeIndent(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  const size = self.containerState!.tabIndent ?? bodyIndent

  return factorySpace(effects, afterPrefix, 'tabIndent', size + 1)

  function afterPrefix(code: Code): State | undefined {
    const tail = self.events[self.events.length - 1]
    return tail &&
      tail[1].type === 'tabIndent' &&
      tail[2].sliceSerialize(tail[1], true).length === size
      ? ok(code)
      : nok(code)
  }
}

/**
 * Check that a quote is the last thing on its line (bar spaces).
 */
function tokenizeTitleEnd(effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter('tabTitleMarker')
    effects.consume(code)
    effects.exit('tabTitleMarker')
    return factorySpace(effects, after, types.whitespace)
  }

  function after(code: Code): State | undefined {
    return code === null || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

/**
 * Answer "new container" once, right where a tab's continuation failed
 * (possibly after up to 3 spaces of line prefix).
 */
function tokenizeLazyGuard(
  this: TokenizeContext,
  _effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this

  return start

  function start(code: Code): State | undefined {
    const at = self.parser.tabBreak
    if (at === undefined) return nok(code)
    const here = self.now().offset
    const tail = self.events[self.events.length - 1]
    const lineStart =
      tail && tail[1].type === types.linePrefix && tail[1].end.offset === here
        ? tail[1].start.offset
        : here
    if (lineStart !== at) return nok(code)
    self.parser.tabBreak = undefined
    return ok(code)
  }
}

/**
 * Close the tab token when micromark closes the container.
 */
function exitTab(this: TokenizeContext, effects: Effects): undefined {
  effects.exit('tab')
}

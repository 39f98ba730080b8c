/**
 * micromark syntax for MkDocs admonitions (`!!! kind "title"`) and pymdownx
 * details (`??? kind "title"`, `???+ kind "title"`).
 *
 * The construct is a `document` (container) construct, like block quotes,
 * list items and GFM footnote definitions: the opening line is the
 * container's prefix, and every later line belongs to it when it is blank
 * or indented by 4 columns more than the marker (a tab counts to the next
 * multiple of 4). The body therefore gets full Markdown (lists, code,
 * tables, nested admonitions) from micromark's own flow tokenizer, and code
 * blocks keep their content: inside a fenced block no container starts.
 *
 * The opening line follows Python-Markdown's regular expressions exactly:
 *
 * ```text
 * !!! ?([\w-]+(?: +[\w-]+)*)(?: +"(.*?)")? *$
 * ???(+)? ?(?:([\w-]+(?: +[\w-]+)*?)?(?: +"(.*?)")|([\w-]+(?: +[\w-]+)*?)) *$
 * ```
 *
 * so `!!!  note` (two spaces), `!!! note "a" b` and `!!!` alone stay
 * paragraphs, as they do in MkDocs. The title runs to the last `"` of the
 * line and is tokenized as inline text (`chunkText`).
 *
 * Unlike block quotes, an admonition takes no lazy lines: a line that is
 * neither blank nor indented enough ends it, even in the middle of a
 * paragraph, as Python-Markdown's `detab` does. See `lazyGuard`.
 */
import {blankLine} from 'micromark-core-commonmark'
import {factorySpace} from 'micromark-factory-space'
import {
  asciiAlphanumeric,
  markdownLineEnding,
  markdownSpace
} from 'micromark-util-character'
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
    /** Whole admonition (container). */
    admonition: 'admonition'
    /** Its first line, without the line ending. */
    admonitionOpening: 'admonitionOpening'
    /** `!!!`, `???` or `???+`. */
    admonitionMarker: 'admonitionMarker'
    /** First word after the marker. */
    admonitionKind: 'admonitionKind'
    /** Each further word (extra class). */
    admonitionClass: 'admonitionClass'
    /** The quoted title, quotes included. */
    admonitionTitle: 'admonitionTitle'
    /** A quote around the title. */
    admonitionTitleMarker: 'admonitionTitleMarker'
    /** The title between the quotes (holds a `chunkText`). */
    admonitionTitleString: 'admonitionTitleString'
    /** Indentation of a body line taken by the admonition. */
    admonitionIndent: 'admonitionIndent'
  }

  interface ContainerState {
    /** Columns of indentation an admonition body line must have. */
    admonitionIndent?: number | undefined
  }

  interface ParseContext {
    /**
     * Offset where an admonition's continuation just failed: the line there
     * must close the admonition instead of lazily continuing a paragraph.
     */
    admonitionBreak?: number | undefined
  }
}

/** Columns a body line is indented by, relative to the marker. */
const bodyIndent = 4

const admonition: Construct = {
  name: 'admonition',
  tokenize: tokenizeAdmonitionStart,
  continuation: {tokenize: tokenizeAdmonitionContinuation},
  exit: exitAdmonition
}

/**
 * Closes admonitions on lines that failed their continuation.
 *
 * When a container's continuation fails, micromark looks for new containers
 * and, if there is none, hands the line to the open flow as a lazy line, so
 * `!!! note\n    text\nmore` would put `more` into the paragraph `text`.
 * Python-Markdown never does that. This construct, attempted (as a new
 * container, on any character) exactly where an admonition continuation
 * failed, answers "a new container starts here" once: micromark then closes
 * the flow and every container that did not continue, and attempts
 * containers again, where the guard, now spent, declines.
 */
const lazyGuard: Construct = {
  name: 'admonitionLazyGuard',
  tokenize: tokenizeLazyGuard,
  // Never expected to be kept as a container (it only answers checks), but
  // if it were, it must end at the next line and leave no token.
  continuation: {tokenize: tokenizeNever},
  exit: exitNothing
}

const indent: Construct = {partial: true, tokenize: tokenizeIndent}
const titleEnd: Construct = {partial: true, tokenize: tokenizeTitleEnd}

/**
 * Create the micromark extension for `!!!` admonitions and `???` details.
 *
 * Pass it in `extensions` to micromark (remark: `micromarkExtensions`).
 */
export function admonitionSyntax(): Extension {
  return {
    document: {
      [codes.exclamationMark]: admonition,
      [codes.questionMark]: admonition,
      null: lazyGuard
    }
  }
}

/**
 * Whether `code` can be in a kind or class word: Python's `[\w-]`.
 */
export function kindCharacter(code: Code): boolean {
  if (code === null || code < 0) return false
  if (asciiAlphanumeric(code) || code === codes.underscore || code === codes.dash) {
    return true
  }

  return code > 127 && /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(code))
}

/**
 * Tokenize the opening line: `!!! kind classes "title"`.
 */
function tokenizeAdmonitionStart(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  const tail = self.events[self.events.length - 1]
  // Indentation before the marker: the body is indented relative to it, so
  // an admonition indented inside a list item works as in MkDocs.
  const initialSize =
    tail && tail[1].type === types.linePrefix
      ? tail[2].sliceSerialize(tail[1], true).length
      : 0
  let marker: Code = null
  let size = 0
  let spaces = 0
  let kindSeen = false
  let titleSeen = false

  return start

  /**
   * At the first marker character.
   *
   * ```markdown
   * > | !!! note "Title"
   *     ^
   * ```
   */
  function start(code: Code): State | undefined {
    marker = code
    effects.enter('admonition', {_container: true})
    effects.enter('admonitionOpening')
    effects.enter('admonitionMarker')
    return markerInside(code)
  }

  /**
   * In the marker.
   *
   * ```markdown
   * > | ???+ note "Title"
   *     ^^^^
   * ```
   */
  function markerInside(code: Code): State | undefined {
    if (code === marker && size < 3) {
      effects.consume(code)
      size++
      return markerInside
    }

    if (size < 3) return nok(code)

    if (marker === codes.questionMark && code === codes.plusSign) {
      effects.consume(code)
      effects.exit('admonitionMarker')
      return markerAfter
    }

    effects.exit('admonitionMarker')
    return markerAfter(code)
  }

  /**
   * After the marker: spaces, then the kind (or, for details, the title).
   *
   * ```markdown
   * > | !!! note "Title"
   *        ^
   * ```
   */
  function markerAfter(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return markerSpace(code)
    }

    return kindBefore(code)
  }

  function markerSpace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      spaces++
      return markerSpace
    }

    effects.exit(types.whitespace)
    return kindBefore(code)
  }

  /**
   * At the kind.
   *
   * ```markdown
   * > | !!! note "Title"
   *         ^
   * ```
   */
  function kindBefore(code: Code): State | undefined {
    // Python allows one optional space here (` ?`), then a word.
    if (kindCharacter(code) && spaces < 2) {
      effects.enter('admonitionKind')
      return kindInside(code)
    }

    // `??? "Title"`: details may go without a kind, given a space.
    if (code === codes.quotationMark && marker === codes.questionMark && spaces > 0) {
      return titleBefore(code)
    }

    return nok(code)
  }

  function kindInside(code: Code): State | undefined {
    if (kindCharacter(code)) {
      effects.consume(code)
      return kindInside
    }

    effects.exit(kindSeen ? 'admonitionClass' : 'admonitionKind')
    kindSeen = true
    return wordAfter(code)
  }

  /**
   * After a word: another word, the title, or the end of the line.
   *
   * ```markdown
   * > | !!! note inline "Title"
   *             ^      ^
   * ```
   */
  function wordAfter(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return wordSpace(code)
    }

    return openingEnd(code)
  }

  function wordSpace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return wordSpace
    }

    effects.exit(types.whitespace)

    if (kindCharacter(code)) {
      effects.enter('admonitionClass')
      return kindInside(code)
    }

    if (code === codes.quotationMark) return titleBefore(code)
    return openingEnd(code)
  }

  /**
   * At the opening quote of the title.
   *
   * ```markdown
   * > | !!! note "Title"
   *              ^
   * ```
   */
  function titleBefore(code: Code): State | undefined {
    effects.enter('admonitionTitle')
    effects.enter('admonitionTitleMarker')
    effects.consume(code)
    effects.exit('admonitionTitleMarker')
    return titleStart
  }

  /**
   * After the opening quote.
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
    effects.enter('admonitionTitleString')
    effects.enter(types.chunkText, {contentType: 'text'})
    return titleInside(code)
  }

  /**
   * In the title. It ends at the last quote of the line (Python's lazy
   * `"(.*?)" *$`), so quotes inside need no escaping.
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
    effects.exit('admonitionTitleString')
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
    effects.enter('admonitionTitleMarker')
    effects.consume(code)
    effects.exit('admonitionTitleMarker')
    effects.exit('admonitionTitle')
    titleSeen = true
    return factorySpace(effects, openingEnd, types.whitespace)
  }

  /**
   * At the end of the opening line.
   *
   * ```markdown
   * > | !!! note "Title"
   *                     ^
   * ```
   */
  function openingEnd(code: Code): State | undefined {
    if (code !== null && !markdownLineEnding(code)) return nok(code)
    // `???` needs a kind or a title; `!!!` needs a kind.
    if (!kindSeen && !titleSeen) return nok(code)

    effects.exit('admonitionOpening')
    self.containerState!.admonitionIndent = initialSize + bodyIndent
    return ok(code)
  }
}

/**
 * Tokenize the start of a later line: blank, or indented enough.
 *
 * ```markdown
 *   | !!! note
 * > |     body
 *     ^^^^
 * ```
 */
function tokenizeAdmonitionContinuation(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  const offset = self.now().offset
  const size = self.containerState!.admonitionIndent ?? bodyIndent

  return effects.check(blankLine, onBlank, effects.attempt(indent, ok, onBreak))

  /**
   * A blank line continues the admonition; its indentation (up to the body
   * indent) is ours, the rest goes to the flow (it matters in fenced code).
   */
  function onBlank(code: Code): State | undefined {
    return factorySpace(effects, ok, 'admonitionIndent', size + 1)(code)
  }

  function onBreak(code: Code): State | undefined {
    self.parser.admonitionBreak = offset
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
  const size = self.containerState!.admonitionIndent ?? bodyIndent
  // The tail must be a token made here: without indentation there is none,
  // and the tail is the indent of an outer admonition.
  const eventsBefore = self.events.length

  return factorySpace(effects, afterPrefix, 'admonitionIndent', size + 1)

  function afterPrefix(code: Code): State | undefined {
    const tail = self.events[self.events.length - 1]
    return tail &&
      self.events.length > eventsBefore &&
      tail[1].type === 'admonitionIndent' &&
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
    effects.enter('admonitionTitleMarker')
    effects.consume(code)
    effects.exit('admonitionTitleMarker')
    return factorySpace(effects, after, types.whitespace)
  }

  function after(code: Code): State | undefined {
    return code === null || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

/**
 * Answer "new container" once, right where an admonition's continuation
 * failed (possibly after up to 3 spaces of line prefix).
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
    const at = self.parser.admonitionBreak
    if (at === undefined) return nok(code)
    const here = self.now().offset
    const tail = self.events[self.events.length - 1]
    const lineStart =
      tail && tail[1].type === types.linePrefix && tail[1].end.offset === here
        ? tail[1].start.offset
        : here
    if (lineStart !== at) {
      // Another container won that line: the mark is stale.
      if (lineStart > at) self.parser.admonitionBreak = undefined
      return nok(code)
    }

    self.parser.admonitionBreak = undefined
    return ok(code)
  }
}

function tokenizeNever(_effects: Effects, _ok: State, nok: State): State {
  return nok
}

function exitNothing(): undefined {}

/**
 * Close the admonition token when micromark closes the container.
 */
function exitAdmonition(this: TokenizeContext, effects: Effects): undefined {
  effects.exit('admonition')
}

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
 * paragraph, as Python-Markdown's `detab` does. The continuation and the
 * lazy guard that does this are shared with the other indented containers
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
import {wordOrDash} from '../shared/character.js'
import {factoryQuotedTitle} from '../shared/factory-quoted-title.js'
import {createIndentedContainer, openIndentedBody} from '../shared/indented-container.js'
import {linePrefixSize} from '../shared/line-prefix.js'

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

  interface ParseContext {
    /**
     * Offset where an admonition's continuation just failed: the line there
     * must close the admonition instead of lazily continuing a paragraph.
     */
    admonitionBreak?: number | undefined
  }
}

const {continuation, lazyGuard} = createIndentedContainer({
  name: 'admonition',
  indentType: 'admonitionIndent',
  breakField: 'admonitionBreak',
  ownIndentOnly: true
})

const admonition: Construct = {
  name: 'admonition',
  tokenize: tokenizeAdmonitionStart,
  continuation,
  exit: exitAdmonition
}

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
export const kindCharacter: (code: Code) => boolean = wordOrDash

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
  // The body is indented relative to the marker.
  const markerIndent = linePrefixSize(self)
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
    return factoryQuotedTitle(
      effects,
      titleAfter,
      nok,
      'admonitionTitle',
      'admonitionTitleMarker',
      'admonitionTitleString'
    )(code)
  }

  /**
   * After the closing quote.
   *
   * ```markdown
   * > | !!! note "Title"
   *                     ^
   * ```
   */
  function titleAfter(code: Code): State | undefined {
    titleSeen = true
    return factorySpace(effects, openingEnd, types.whitespace)(code)
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
    openIndentedBody(self, markerIndent)
    return ok(code)
  }
}

/**
 * Close the admonition token when micromark closes the container.
 */
function exitAdmonition(this: TokenizeContext, effects: Effects): undefined {
  effects.exit('admonition')
}

/**
 * The shared half of the dialect's indented containers: admonitions
 * (`!!!`, `???`), content tabs (`===`) and definition descriptions (`:`).
 *
 * Each is a `document` (container) construct, like block quotes and list
 * items: its opening line is the container's prefix, and every later line
 * belongs to it when it is blank or indented by 4 columns more than the
 * marker (a tab counts to the next multiple of 4). What differs is only the
 * opening line, so each construct tokenizes that itself and takes from here:
 *
 * - the `continuation` (blank or indented enough, the indentation becoming
 *   a token of the construct's own type);
 * - a lazy guard, for constructs that take no lazy lines, as Python's
 *   `detab` does not (see `createIndentedContainer`);
 * - `openIndentedBody`, to call when the opening line is done.
 *
 * Like micromark's own factories, this knows no construct: the caller
 * passes the token type and the parser field that tell them apart.
 */
import {blankLine} from 'micromark-core-commonmark'
import {factorySpace} from 'micromark-factory-space'
import type {
  Code,
  Construct,
  Effects,
  ParseContext,
  State,
  TokenizeContext,
  TokenType
} from 'micromark-util-types'
import {lineStartOffset} from './line-prefix.js'

declare module 'micromark-util-types' {
  interface ContainerState {
    /**
     * Columns of indentation a later line of an indented container must
     * have (each container has its own state, so one field serves all).
     */
    indentedBodySize?: number | undefined
  }
}

/** Columns a body line is indented by, relative to the marker. */
const bodyIndent = 4

/**
 * A `ParseContext` field (declared by the construct) that holds the offset
 * of the line where the construct's continuation last failed.
 */
export type IndentedBreakField = {
  [Key in keyof ParseContext]-?: Exclude<ParseContext[Key], undefined> extends number
    ? Key
    : never
}[keyof ParseContext]

/** What tells one indented container from another. */
export interface IndentedContainerOptions {
  /** Name of the container construct; the lazy guard is `${name}LazyGuard`. */
  name: string
  /** Token of the indentation of a later line that the container takes. */
  indentType: TokenType
  /**
   * Where to record a failed continuation: the lazy guard reads it, and so
   * may the construct's own opening (a definition description does).
   */
  breakField: IndentedBreakField
  /**
   * Whether only indentation tokenized on this line by this continuation
   * counts. Without it, a line indented just for an outer container of the
   * same construct continues a nested one too (`outer` stays in the inner
   * tab of `=== "A"\n    === "B"\n        inner\n    outer`, where pymdownx
   * closes it). Admonitions check; tabs and descriptions do not yet, and
   * turning it on for them changes what they parse.
   */
  ownIndentOnly: boolean
}

/** The constructs `createIndentedContainer` makes. */
export interface IndentedContainer {
  /** The container construct's `continuation`. */
  continuation: Construct
  /**
   * A `document` construct for `null` (tried on any line): it closes the
   * container on a line that failed its continuation, instead of letting
   * micromark hand that line to the open paragraph as a lazy line.
   */
  lazyGuard: Construct
}

/**
 * Create the continuation and the lazy guard of an indented container.
 *
 * The container's own `tokenize` must call `openIndentedBody` before `ok`.
 */
export function createIndentedContainer(options: IndentedContainerOptions): IndentedContainer {
  const {name, indentType, breakField, ownIndentOnly} = options
  const indent: Construct = {partial: true, tokenize: tokenizeIndent}

  return {
    continuation: {tokenize: tokenizeContinuation},
    lazyGuard: {
      name: name + 'LazyGuard',
      tokenize: tokenizeLazyGuard,
      // Never expected to be kept as a container (it only answers checks),
      // but if it were, it must end at the next line and leave no token.
      continuation: {tokenize: tokenizeNever},
      exit: exitNothing
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
  function tokenizeContinuation(
    this: TokenizeContext,
    effects: Effects,
    ok: State,
    nok: State
  ): State {
    const self = this
    const offset = self.now().offset
    const size = self.containerState!.indentedBodySize ?? bodyIndent

    return effects.check(blankLine, onBlank, effects.attempt(indent, ok, onBreak))

    /**
     * A blank line continues the container; its indentation (up to the body
     * indent) is ours, the rest goes to the flow (it matters in fenced code).
     */
    function onBlank(code: Code): State | undefined {
      return factorySpace(effects, ok, indentType, size + 1)(code)
    }

    function onBreak(code: Code): State | undefined {
      self.parser[breakField] = offset
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
    const size = self.containerState!.indentedBodySize ?? bodyIndent
    // Without indentation no token is made here, and the tail may be the
    // indentation an outer container of the same construct just took.
    const eventsBefore = self.events.length

    return factorySpace(effects, afterPrefix, indentType, size + 1)

    function afterPrefix(code: Code): State | undefined {
      const tail = self.events[self.events.length - 1]
      return tail &&
        (!ownIndentOnly || self.events.length > eventsBefore) &&
        tail[1].type === indentType &&
        tail[2].sliceSerialize(tail[1], true).length === size
        ? ok(code)
        : nok(code)
    }
  }

  /**
   * Answer "new container" once, right where the continuation failed
   * (possibly after up to 3 spaces of line prefix).
   *
   * When a container's continuation fails, micromark looks for new
   * containers and, if there is none, hands the line to the open flow as a
   * lazy line, so `!!! note\n    text\nmore` would put `more` into the
   * paragraph `text`. Answering "a new container starts here" makes
   * micromark close the flow and every container that did not continue,
   * and attempt containers again, where the guard, now spent, declines.
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
      const at = self.parser[breakField]
      if (at === undefined) return nok(code)
      const lineStart = lineStartOffset(self)

      if (lineStart !== at) {
        // Another container won that line: the mark is stale.
        if (lineStart > at) self.parser[breakField] = undefined
        return nok(code)
      }

      self.parser[breakField] = undefined
      return ok(code)
    }
  }
}

/**
 * At the end of a container's opening line: later lines must be indented 4
 * columns past the marker, which had `markerIndent` columns before it (see
 * `linePrefixSize`), so a container indented inside a list item works as in
 * MkDocs.
 */
export function openIndentedBody(self: TokenizeContext, markerIndent: number): undefined {
  self.containerState!.indentedBodySize = markerIndent + bodyIndent
}

function tokenizeNever(_effects: Effects, _ok: State, nok: State): State {
  return nok
}

function exitNothing(): undefined {}

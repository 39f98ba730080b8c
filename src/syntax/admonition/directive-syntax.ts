/**
 * micromark syntax for fenced admonitions in the generic-directive style:
 *
 * ```markdown
 * :::warning[Rotate the *keys*]{.inline .end}
 * Body: full Markdown, not indented.
 * :::
 * ```
 *
 * This is a `flow` construct, like fenced code: the opening fence is three
 * or more colons, a kind, an optional `[title]` (inline Markdown, brackets
 * balanced) and optional `{.class}` attributes; it closes at a line of at
 * least as many colons, or where its container ends. The lines between are
 * handed to a nested document tokenizer (`chunkDocument`), so the body gets
 * containers and flow alike. Nested directives use longer outer fences.
 *
 * Only this container form exists: there are no text (`:name`) or leaf
 * (`::name`) directives, so `:emoji:` shortcodes and ordinary colons in
 * prose are left alone.
 */
import {factorySpace} from 'micromark-factory-space'
import {asciiAlpha, markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Extension,
  State,
  Token,
  TokenizeContext
} from 'micromark-util-types'
import {linePrefixSize} from '../shared/line-prefix.js'
import {kindCharacter} from './syntax.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole directive admonition. */
    admonitionDirective: 'admonitionDirective'
    /** Opening or closing fence line. */
    admonitionDirectiveFence: 'admonitionDirectiveFence'
    /** The colons of a fence. */
    admonitionDirectiveSequence: 'admonitionDirectiveSequence'
    /** The kind after the opening colons. */
    admonitionDirectiveKind: 'admonitionDirectiveKind'
    /** `[title]`, brackets included. */
    admonitionDirectiveLabel: 'admonitionDirectiveLabel'
    /** A bracket of the label. */
    admonitionDirectiveLabelMarker: 'admonitionDirectiveLabelMarker'
    /** The title between the brackets (holds a `chunkText`). */
    admonitionDirectiveLabelString: 'admonitionDirectiveLabelString'
    /** `{.a .b}`, braces included. */
    admonitionDirectiveAttributes: 'admonitionDirectiveAttributes'
    /** A brace, or the dot before a class. */
    admonitionDirectiveAttributesMarker: 'admonitionDirectiveAttributesMarker'
    /** A class name. */
    admonitionDirectiveClass: 'admonitionDirectiveClass'
    /** The body lines. */
    admonitionDirectiveContent: 'admonitionDirectiveContent'
  }
}

const directive: Construct = {
  name: 'admonitionDirective',
  tokenize: tokenizeDirective,
  concrete: true
}

const nonLazyLine: Construct = {partial: true, tokenize: tokenizeNonLazyLine}

/**
 * Create the micromark extension for `:::kind[title]{.class}` admonitions.
 */
export function admonitionDirectiveSyntax(): Extension {
  return {flow: {[codes.colon]: directive}}
}

function tokenizeDirective(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  // Body lines lose as much indentation as the opening fence had, like the
  // lines of fenced code.
  const initialSize = linePrefixSize(self)
  let sizeOpen = 0
  let labelDepth = 0
  let previous: Token | undefined
  const closingFence: Construct = {partial: true, tokenize: tokenizeClosingFence}

  return start

  /**
   * At the opening fence.
   *
   * ```markdown
   * > | :::note[Title]
   *     ^
   * ```
   */
  function start(code: Code): State | undefined {
    effects.enter('admonitionDirective')
    effects.enter('admonitionDirectiveFence')
    effects.enter('admonitionDirectiveSequence')
    return markerInside(code)
  }

  function markerInside(code: Code): State | undefined {
    if (code === codes.colon) {
      effects.consume(code)
      sizeOpen++
      return markerInside
    }

    if (sizeOpen < 3 || !asciiAlpha(code)) return nok(code)
    effects.exit('admonitionDirectiveSequence')
    effects.enter('admonitionDirectiveKind')
    return kindInside(code)
  }

  /**
   * In the kind.
   *
   * ```markdown
   * > | :::note[Title]
   *        ^^^^
   * ```
   */
  function kindInside(code: Code): State | undefined {
    if (kindCharacter(code)) {
      effects.consume(code)
      return kindInside
    }

    effects.exit('admonitionDirectiveKind')
    if (code === codes.leftSquareBracket) return titleBefore(code)
    return labelAfter(code)
  }

  /**
   * At `[`.
   *
   * ```markdown
   * > | :::note[Title]
   *            ^
   * ```
   */
  function titleBefore(code: Code): State | undefined {
    effects.enter('admonitionDirectiveLabel')
    effects.enter('admonitionDirectiveLabelMarker')
    effects.consume(code)
    effects.exit('admonitionDirectiveLabelMarker')
    return titleStart
  }

  function titleStart(code: Code): State | undefined {
    if (code === codes.rightSquareBracket) return titleClose(code)
    if (code === null || markdownLineEnding(code)) return nok(code)
    effects.enter('admonitionDirectiveLabelString')
    effects.enter(types.chunkText, {contentType: 'text'})
    return titleInside(code)
  }

  /**
   * In the title: brackets must balance, `\]` escapes.
   *
   * ```markdown
   * > | :::note[A [nested] title]
   *             ^^^^^^^^^^^^^^^^
   * ```
   */
  function titleInside(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)

    if (code === codes.rightSquareBracket && labelDepth === 0) {
      effects.exit(types.chunkText)
      effects.exit('admonitionDirectiveLabelString')
      return titleClose(code)
    }

    if (code === codes.leftSquareBracket) labelDepth++
    if (code === codes.rightSquareBracket) labelDepth--
    effects.consume(code)
    return code === codes.backslash ? titleEscape : titleInside
  }

  function titleEscape(code: Code): State | undefined {
    if (
      code === codes.backslash ||
      code === codes.leftSquareBracket ||
      code === codes.rightSquareBracket
    ) {
      effects.consume(code)
      return titleInside
    }

    return titleInside(code)
  }

  function titleClose(code: Code): State | undefined {
    effects.enter('admonitionDirectiveLabelMarker')
    effects.consume(code)
    effects.exit('admonitionDirectiveLabelMarker')
    effects.exit('admonitionDirectiveLabel')
    return labelAfter
  }

  /**
   * After the kind or title: `{` or the end of the line.
   *
   * ```markdown
   * > | :::note[Title]{.wide}
   *                   ^
   * ```
   */
  function labelAfter(code: Code): State | undefined {
    if (code === codes.leftCurlyBrace) {
      effects.enter('admonitionDirectiveAttributes')
      effects.enter('admonitionDirectiveAttributesMarker')
      effects.consume(code)
      effects.exit('admonitionDirectiveAttributesMarker')
      return attributesBetween
    }

    return factorySpace(effects, openingEnd, types.whitespace)(code)
  }

  /**
   * Between attributes: only `.class` is allowed (anything else is not an
   * admonition, so it stays visible as text).
   *
   * ```markdown
   * > | :::note{.inline .end}
   *             ^      ^
   * ```
   */
  function attributesBetween(code: Code): State | undefined {
    if (markdownSpace(code)) {
      return factorySpace(effects, attributesBetween, types.whitespace)(code)
    }

    if (code === codes.dot) {
      effects.enter('admonitionDirectiveAttributesMarker')
      effects.consume(code)
      effects.exit('admonitionDirectiveAttributesMarker')
      return classStart
    }

    if (code === codes.rightCurlyBrace) {
      effects.enter('admonitionDirectiveAttributesMarker')
      effects.consume(code)
      effects.exit('admonitionDirectiveAttributesMarker')
      effects.exit('admonitionDirectiveAttributes')
      return factorySpace(effects, openingEnd, types.whitespace)
    }

    return nok(code)
  }

  function classStart(code: Code): State | undefined {
    if (!kindCharacter(code)) return nok(code)
    effects.enter('admonitionDirectiveClass')
    return classInside(code)
  }

  function classInside(code: Code): State | undefined {
    if (kindCharacter(code)) {
      effects.consume(code)
      return classInside
    }

    effects.exit('admonitionDirectiveClass')
    return attributesBetween(code)
  }

  /**
   * At the end of the opening line.
   *
   * ```markdown
   * > | :::note[Title]
   *                   ^
   * ```
   */
  function openingEnd(code: Code): State | undefined {
    if (code !== null && !markdownLineEnding(code)) return nok(code)
    effects.exit('admonitionDirectiveFence')
    if (code === null) return after(code)
    // Interrupting a paragraph: whether the fence can start is all that is
    // asked now; the real attempt comes after the paragraph is closed.
    if (self.interrupt) return ok(code)
    return effects.attempt(nonLazyLine, contentStart, after)(code)
  }

  /**
   * At the start of the first body line.
   *
   * ```markdown
   *   | :::note
   * > | body
   *     ^
   * ```
   */
  function contentStart(code: Code): State | undefined {
    if (code === null) return after(code)
    // An empty first body line before a lazy line: the body is empty, and so no token is opened for it.
    if (markdownLineEnding(code)) return effects.check(nonLazyLine, contentBegin, after)(code)
    return effects.attempt(closingFence, after, contentBegin)(code)
  }

  function contentBegin(code: Code): State | undefined {
    effects.enter('admonitionDirectiveContent')
    return contentLine(code)
  }

  /**
   * At the start of a later body line: the closing fence, or content.
   *
   * ```markdown
   *   | :::note
   *   | body
   * > | :::
   *     ^
   * ```
   */
  function lineStart(code: Code): State | undefined {
    return effects.attempt(closingFence, contentAfter, contentLine)(code)
  }

  function contentLine(code: Code): State | undefined {
    return initialSize
      ? factorySpace(effects, chunkStart, types.linePrefix, initialSize + 1)(code)
      : chunkStart(code)
  }

  function chunkStart(code: Code): State | undefined {
    if (code === null) return contentAfter(code)
    // An empty line before a lazy line ends the body: a chunk of nothing would be an empty token.
    if (markdownLineEnding(code)) return effects.check(nonLazyLine, chunkOpen, contentAfter)(code)
    return chunkOpen(code)
  }

  function chunkOpen(code: Code): State | undefined {
    const token = effects.enter(types.chunkDocument, {
      contentType: 'document',
      previous
    })
    if (previous) previous.next = token
    previous = token
    return chunkInside(code)
  }

  function chunkInside(code: Code): State | undefined {
    if (code === null) {
      chunkExit()
      return contentAfter(code)
    }

    if (markdownLineEnding(code)) {
      return effects.check(nonLazyLine, chunkNextLine, chunkLast)(code)
    }

    effects.consume(code)
    return chunkInside
  }

  function chunkNextLine(code: Code): State | undefined {
    effects.consume(code)
    chunkExit()
    return lineStart
  }

  function chunkLast(code: Code): State | undefined {
    chunkExit()
    return contentAfter(code)
  }

  /**
   * The nested document marks its own lazy lines; the outer flow's marks
   * for these lines must not leak into it.
   */
  function chunkExit(): undefined {
    const token = effects.exit(types.chunkDocument)
    self.parser.lazy[token.start.line] = false
  }

  function contentAfter(code: Code): State | undefined {
    effects.exit('admonitionDirectiveContent')
    return after(code)
  }

  function after(code: Code): State | undefined {
    effects.exit('admonitionDirective')
    return ok(code)
  }

  /**
   * A line of at least as many colons as the opening, alone on its line.
   *
   * ```markdown
   *   | body
   * > | :::
   *     ^^^
   * ```
   */
  function tokenizeClosingFence(
    this: TokenizeContext,
    effects: Effects,
    ok: State,
    nok: State
  ): State {
    let size = 0

    return factorySpace(effects, closeStart, types.linePrefix, 4)

    function closeStart(code: Code): State | undefined {
      effects.enter('admonitionDirectiveFence')
      effects.enter('admonitionDirectiveSequence')
      return closeSequence(code)
    }

    function closeSequence(code: Code): State | undefined {
      if (code === codes.colon) {
        effects.consume(code)
        size++
        return closeSequence
      }

      if (size < sizeOpen) return nok(code)
      effects.exit('admonitionDirectiveSequence')
      return factorySpace(effects, closeEnd, types.whitespace)(code)
    }

    function closeEnd(code: Code): State | undefined {
      if (code === null || markdownLineEnding(code)) {
        effects.exit('admonitionDirectiveFence')
        return ok(code)
      }

      return nok(code)
    }
  }
}

/**
 * Consume a line ending and check that a line follows and is not lazy (a
 * lazy line ends the directive, as it ends fenced code).
 */
function tokenizeNonLazyLine(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this

  return start

  function start(code: Code): State | undefined {
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return lineStart
  }

  function lineStart(code: Code): State | undefined {
    // A final line ending belongs after the directive, not in it.
    return code === null || self.parser.lazy[self.now().line] ? nok(code) : ok(code)
  }
}

/**
 * micromark syntax of attr lists (Python-Markdown attr_list) in two places:
 *
 * - inline, directly after a link, an image or an autolink:
 *   `![x](a.png){ loading=lazy }`, `[docs](u){: .button }`;
 * - at the end of an ATX heading, after a space: `## Title { #custom-id }`
 *   (a closing `#` sequence may come before or after the list).
 *
 * The inline construct only starts when the last token is a whole link or
 * image, so a `{` after anything else is never tokenized and stays text.
 * The heading construct is an ATX heading tokenizer that is tried before
 * CommonMark's and only succeeds when the line ends with a valid list, whose
 * tokens then sit beside the heading text (removed from it).
 */
import {factorySpace} from 'micromark-factory-space'
import {
  markdownLineEnding,
  markdownLineEndingOrSpace,
  markdownSpace
} from 'micromark-util-character'
import {splice} from 'micromark-util-chunked'
import {codes, constants, types} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Event,
  Extension,
  State,
  Token,
  TokenizeContext
} from 'micromark-util-types'
import {factoryAttributeList} from './factory-attribute-list.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** An attr list after a link or an image. */
    attributeList: 'attributeList'
    /** An attr list at the end of an ATX heading. */
    atxHeadingAttributeList: 'atxHeadingAttributeList'
  }
}

/** Tokens an inline attr list attaches to. */
const attachable = new Set<string>([types.link, types.image, types.autolink])

const inlineConstruct: Construct = {
  name: 'attributeList',
  tokenize: tokenizeInline,
  // Links, images and autolinks end in `)`, `]` or `>`: elsewhere `{` need
  // not even break data.
  previous: (code) =>
    code === codes.rightParenthesis ||
    code === codes.rightSquareBracket ||
    code === codes.greaterThan
}

const headingConstruct: Construct = {
  name: 'headingAtxAttributeList',
  tokenize: tokenizeHeading,
  resolve: resolveHeading
}

const trailingConstruct: Construct = {tokenize: tokenizeTrailing, partial: true}

/** Create the micromark extension for attr lists. */
export function attributeListSyntax(): Extension {
  return {
    text: {[codes.leftCurlyBrace]: inlineConstruct},
    flow: {[codes.numberSign]: headingConstruct}
  }
}

function tokenizeInline(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const tail = this.events[this.events.length - 1]

  return start

  /** At `{`: only right after a link or an image. */
  function start(code: Code): State | undefined {
    if (!tail || tail[0] !== 'exit' || !attachable.has(tail[1].type)) {
      return nok(code)
    }

    return factoryAttributeList(effects, ok, nok, 'attributeList')(code)
  }
}

/**
 * An ATX heading, like CommonMark's, that must end in an attr list (after
 * whitespace, after some text).
 */
function tokenizeHeading(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  let size = 0
  let text = false

  return start

  /** At the opening `#`. */
  function start(code: Code): State | undefined {
    effects.enter(types.atxHeading)
    effects.enter(types.atxHeadingSequence)
    return sequenceOpen(code)
  }

  /** In the opening sequence. */
  function sequenceOpen(code: Code): State | undefined {
    if (
      code === codes.numberSign &&
      size++ < constants.atxHeadingOpeningFenceSizeMax
    ) {
      effects.consume(code)
      return sequenceOpen
    }

    if (code === codes.eof || markdownLineEndingOrSpace(code)) {
      effects.exit(types.atxHeadingSequence)
      return atBreak(code)
    }

    return nok(code)
  }

  /** Between parts of the heading. */
  function atBreak(code: Code): State | undefined {
    if (code === codes.numberSign) {
      effects.enter(types.atxHeadingSequence)
      return sequenceFurther(code)
    }

    // The line ended without an attr list: CommonMark's heading takes it.
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)

    if (markdownSpace(code)) {
      return factorySpace(effects, atBreak, types.whitespace)(code)
    }

    if (code === codes.leftCurlyBrace && text && markdownSpace(self.previous)) {
      return effects.attempt(trailingConstruct, after, textStart)(code)
    }

    return textStart(code)
  }

  /** In a further `#` sequence (text or a closing sequence). */
  function sequenceFurther(code: Code): State | undefined {
    if (code === codes.numberSign) {
      effects.consume(code)
      return sequenceFurther
    }

    effects.exit(types.atxHeadingSequence)
    return atBreak(code)
  }

  /** At text. */
  function textStart(code: Code): State | undefined {
    effects.enter(types.atxHeadingText)
    return data(code)
  }

  /** In text. */
  function data(code: Code): State | undefined {
    if (
      code === codes.eof ||
      code === codes.numberSign ||
      markdownLineEndingOrSpace(code)
    ) {
      effects.exit(types.atxHeadingText)
      text = true
      return atBreak(code)
    }

    effects.consume(code)
    return data
  }

  /** After the attr list and whatever may follow it, at the line end. */
  function after(code: Code): State | undefined {
    effects.exit(types.atxHeading)
    return ok(code)
  }
}

/**
 * The attr list at the end of a heading: the list, optional whitespace, an
 * optional closing `#` sequence and whitespace, then the end of the line.
 */
function tokenizeTrailing(effects: Effects, ok: State, nok: State): State {
  return factoryAttributeList(effects, afterList, nok, 'atxHeadingAttributeList')

  /** After `}`. */
  function afterList(code: Code): State | undefined {
    return markdownSpace(code)
      ? factorySpace(effects, beforeSequence, types.whitespace)(code)
      : beforeSequence(code)
  }

  /** At an optional closing sequence. */
  function beforeSequence(code: Code): State | undefined {
    if (code === codes.numberSign) {
      effects.enter(types.atxHeadingSequence)
      return sequence(code)
    }

    return end(code)
  }

  /** In the closing sequence. */
  function sequence(code: Code): State | undefined {
    if (code === codes.numberSign) {
      effects.consume(code)
      return sequence
    }

    effects.exit(types.atxHeadingSequence)
    return markdownSpace(code)
      ? factorySpace(effects, end, types.whitespace)(code)
      : end(code)
  }

  /** Only the end of the line may follow. */
  function end(code: Code): State | undefined {
    return code === codes.eof || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

/**
 * Turn the parts before the attr list into one heading text, as CommonMark's
 * resolver does, leaving out whitespace and a closing sequence before the
 * list (`## Title ## {#id}` has the text `Title`).
 */
function resolveHeading(events: Event[], context: TokenizeContext): Event[] {
  let contentStart = 3

  if (events[contentStart]![1].type === types.whitespace) contentStart += 2

  let list = contentStart
  while (events[list]![1].type !== 'atxHeadingAttributeList') list++

  let contentEnd = list - 1

  if (events[contentEnd]![1].type === types.whitespace) contentEnd -= 2

  if (
    events[contentEnd]![1].type === types.atxHeadingSequence &&
    contentEnd - 4 > contentStart &&
    events[contentEnd - 2]![1].type === types.whitespace
  ) {
    contentEnd -= 4
  }

  if (contentEnd > contentStart) {
    const content: Token = {
      type: types.atxHeadingText,
      start: events[contentStart]![1].start,
      end: events[contentEnd]![1].end
    }
    const text: Token = {
      type: types.chunkText,
      start: events[contentStart]![1].start,
      end: events[contentEnd]![1].end,
      contentType: constants.contentTypeText
    }

    splice(events, contentStart, contentEnd - contentStart + 1, [
      ['enter', content, context],
      ['enter', text, context],
      ['exit', text, context],
      ['exit', content, context]
    ])
  }

  return events
}

/**
 * micromark syntax of single-dollar inline math with the rule of
 * pymdownx.arithmatex's smart dollars and pandoc's `tex_math_dollars`:
 *
 * - the opening `$` is followed by a character that is not whitespace (and
 *   not another `$`: runs of two or more are remark-math's `$$x$$`);
 * - the first unescaped `$` after it is the only closing candidate: it
 *   closes when the character before it is not whitespace and the one after
 *   it is not an ASCII digit, otherwise the whole thing is text (so
 *   `$5 and $10` and `$5 and$10` stay prices);
 * - inside, a backslash takes the next character with it (`$a\$b$` is one
 *   formula, `a\$b`), and line endings are allowed as in a paragraph.
 *
 * The tokens are remark-math's own (`mathText`, `mathTextSequence`,
 * `mathTextData`, `lineEnding`), so mdast-util-math's from-markdown turns
 * them into exactly the `inlineMath` node remark-math makes.
 */
import {
  asciiDigit,
  markdownLineEnding,
  markdownLineEndingOrSpace,
  unicodeWhitespace
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
// Brings in the `mathText*` token types (TokenTypeMap augmentation).
import type {} from 'micromark-extension-math'

const dollarMathConstruct: Construct = {
  name: 'dollarMath',
  tokenize: tokenizeDollarMath,
  previous
}

/**
 * Create the micromark extension for `$x$` inline math.
 *
 * Use it with remark-math's `singleDollarTextMath: false`, which keeps
 * `$$x$$` (text and flow) and leaves single dollars to this construct.
 */
export function dollarMathSyntax(): Extension {
  return {text: {[codes.dollarSign]: dollarMathConstruct}}
}

/** Whitespace as pandoc and Python's `\s` see it, virtual spaces included. */
function whitespace(code: Code): boolean {
  return markdownLineEndingOrSpace(code) || unicodeWhitespace(code)
}

function tokenizeDollarMath(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this

  return start

  /** At the opening `$`. */
  function start(code: Code): State | undefined {
    effects.enter('mathText')
    effects.enter('mathTextSequence')
    effects.consume(code)
    return sequenceOpenAfter
  }

  /** After the opening `$`: must be content, right away. */
  function sequenceOpenAfter(code: Code): State | undefined {
    if (code === codes.eof || code === codes.dollarSign || whitespace(code)) {
      return nok(code)
    }

    effects.exit('mathTextSequence')
    return between(code)
  }

  /** Between chunks of content: data, a line ending or the closing `$`. */
  function between(code: Code): State | undefined {
    if (code === codes.eof) return nok(code)

    if (code === codes.dollarSign) {
      // The first `$` decides: space before it means no math at all here.
      if (whitespace(self.previous)) return nok(code)
      effects.enter('mathTextSequence')
      effects.consume(code)
      return sequenceCloseAfter
    }

    if (markdownLineEnding(code)) {
      effects.enter(types.lineEnding)
      effects.consume(code)
      effects.exit(types.lineEnding)
      return between
    }

    effects.enter('mathTextData')
    return data(code)
  }

  /** In content. */
  function data(code: Code): State | undefined {
    if (
      code === codes.eof ||
      code === codes.dollarSign ||
      markdownLineEnding(code)
    ) {
      effects.exit('mathTextData')
      return between(code)
    }

    effects.consume(code)
    return code === codes.backslash ? escapeAfter : data
  }

  /** After a backslash: the next character is content, even a `$`. */
  function escapeAfter(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return data(code)
    effects.consume(code)
    return data
  }

  /** After the closing `$`: a digit means it was a price (`$5 to 7$10`). */
  function sequenceCloseAfter(code: Code): State | undefined {
    if (asciiDigit(code)) return nok(code)
    effects.exit('mathTextSequence')
    effects.exit('mathText')
    return ok(code)
  }
}

/**
 * A `$` right after another `$` is part of that run (remark-math's `$$`)
 * unless that one was escaped (`\$$x$`): the same test as remark-math's.
 *
 * It must be exactly remark-math's: micromark tries every construct for a
 * `$` once any of them accepts the previous character, and remark-math
 * asserts its own test. So `$a$$b$` is one formula and then text, where
 * pymdownx finds two.
 */
function previous(this: TokenizeContext, code: Code): boolean {
  if (code !== codes.dollarSign) return true
  const tail = this.events[this.events.length - 1]
  return tail !== undefined && tail[1].type === types.characterEscape
}

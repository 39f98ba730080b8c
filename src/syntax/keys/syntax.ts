/**
 * micromark syntax of keyboard keys (pymdownx.keys): `++ctrl+alt+del++`.
 *
 * Between `++` and `++` come keys separated by single `+`: a name of
 * letters, digits, `_` and `-` that the key table knows (any case), or a
 * quoted text (`"Any key"`, `'Any key'`, backslash escapes allowed). The
 * first `++` after a key closes. If any name is unknown the whole thing is
 * text, as in pymdownx.
 */
import {markdownLineEnding} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Extension,
  State,
  TokenizeContext
} from 'micromark-util-types'
import {asciiWordOrDash} from '../shared/character.js'
import {lookupKey} from './key-map.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole `++ctrl+c++`. */
    keys: 'keys'
    /** Each `++`. */
    keysSequence: 'keysSequence'
    /** One key: a name or a quoted text, quotes included. */
    keysKey: 'keysKey'
    /** A `+` between keys. */
    keysSeparator: 'keysSeparator'
  }
}

const keysConstruct: Construct = {name: 'keys', tokenize: tokenizeKeys}
const closingConstruct: Construct = {tokenize: tokenizeClosing, partial: true}

/** Create the micromark extension for `++key+key++`. */
export function keysSyntax(): Extension {
  return {text: {[codes.plusSign]: keysConstruct}}
}

function tokenizeKeys(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  let quote: Code = null
  let quoted = 0

  return start

  /** At the first `+` of the opening `++`. */
  function start(code: Code): State | undefined {
    effects.enter('keys')
    effects.enter('keysSequence')
    effects.consume(code)
    return openSecond
  }

  /** At the second `+` of the opening. */
  function openSecond(code: Code): State | undefined {
    if (code !== codes.plusSign) return nok(code)
    effects.consume(code)
    effects.exit('keysSequence')
    return keyStart
  }

  /** At the start of a key. */
  function keyStart(code: Code): State | undefined {
    if (code === codes.quotationMark || code === codes.apostrophe) {
      quote = code
      quoted = 0
      effects.enter('keysKey')
      effects.consume(code)
      return quotedInside
    }

    if (!asciiWordOrDash(code)) return nok(code)
    effects.enter('keysKey')
    return nameInside(code)
  }

  /** In a key name. */
  function nameInside(code: Code): State | undefined {
    if (asciiWordOrDash(code)) {
      effects.consume(code)
      return nameInside
    }

    const token = effects.exit('keysKey')
    if (!lookupKey(self.sliceSerialize(token))) return nok(code)
    return afterKey(code)
  }

  /** In a quoted key. */
  function quotedInside(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)

    if (code === quote) {
      // Quoted keys hold at least one character.
      if (!quoted) return nok(code)
      effects.consume(code)
      effects.exit('keysKey')
      return afterKey
    }

    effects.consume(code)
    quoted++
    return code === codes.backslash ? quotedEscape : quotedInside
  }

  /** After a backslash in a quoted key: any character is literal. */
  function quotedEscape(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)
    effects.consume(code)
    return quotedInside
  }

  /** After a key: the closing `++`, or a `+` and another key. */
  function afterKey(code: Code): State | undefined {
    if (code !== codes.plusSign) return nok(code)
    return effects.attempt(closingConstruct, after, separator)(code)
  }

  /** At a `+` that separates keys. */
  function separator(code: Code): State | undefined {
    effects.enter('keysSeparator')
    effects.consume(code)
    effects.exit('keysSeparator')
    return keyStart
  }

  /** After the closing `++`. */
  function after(code: Code): State | undefined {
    effects.exit('keys')
    return ok(code)
  }
}

/** The closing `++`. */
function tokenizeClosing(effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter('keysSequence')
    effects.consume(code)
    return second
  }

  function second(code: Code): State | undefined {
    if (code !== codes.plusSign) return nok(code)
    effects.consume(code)
    effects.exit('keysSequence')
    return ok
  }
}

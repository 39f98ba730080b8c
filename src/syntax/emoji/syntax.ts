/**
 * micromark syntax of emoji shortcodes (pymdownx.emoji): `:name:` where
 * `name` is a known gemoji name. Runs work (`:boom::boom:`), so does a
 * shortcode right after a word (`iTunes:boom:`), as in pymdownx. An unknown
 * `:name:` is not tokenized at all, so it stays text exactly.
 */
import {codes} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Extension,
  State,
  TokenizeContext
} from 'micromark-util-types'
import {emojiByName, emojiNameCode, emojiNameMaxLength} from './emoji-index.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole `:name:`. */
    emoji: 'emoji'
    /** Each `:`. */
    emojiMarker: 'emojiMarker'
    /** The name between the markers. */
    emojiName: 'emojiName'
  }
}

const emojiConstruct: Construct = {name: 'emoji', tokenize: tokenizeEmoji}

/** Create the micromark extension for `:name:` emoji shortcodes. */
export function emojiSyntax(): Extension {
  return {text: {[codes.colon]: emojiConstruct}}
}

function tokenizeEmoji(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  let size = 0

  return start

  /** At the opening `:`. */
  function start(code: Code): State | undefined {
    effects.enter('emoji')
    effects.enter('emojiMarker')
    effects.consume(code)
    effects.exit('emojiMarker')
    return nameStart
  }

  /** After `:`, at the first character of the name. */
  function nameStart(code: Code): State | undefined {
    if (!emojiNameCode(code)) return nok(code)
    effects.enter('emojiName')
    return nameInside(code)
  }

  /** In the name. */
  function nameInside(code: Code): State | undefined {
    if (emojiNameCode(code) && size < emojiNameMaxLength) {
      effects.consume(code)
      size++
      return nameInside
    }

    if (code !== codes.colon) return nok(code)

    const name = effects.exit('emojiName')
    // One string per `:word:` candidate; unknown names are plain text.
    if (!emojiByName.has(self.sliceSerialize(name))) return nok(code)

    effects.enter('emojiMarker')
    effects.consume(code)
    effects.exit('emojiMarker')
    effects.exit('emoji')
    return ok
  }
}

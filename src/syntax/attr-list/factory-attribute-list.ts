/**
 * The tokenizer of one attr list, `{ #id .class key=value }` (Python-Markdown
 * attr_list), shared by the inline and the heading constructs.
 *
 * Grammar, on one line: `{`, an optional `:`, optional spaces, then one or
 * more items separated by spaces, optional spaces, `}`. An item is `#id`,
 * `.class`, `key`, `key=value`, `key="value"` or `key='value'`. Keys are
 * XML-ish names (`[A-Za-z_:][\w:.-]*`); ids, classes and bare values are
 * runs of anything but whitespace, `=` and `}`; quoted values may hold
 * spaces but no `}` (Python-Markdown's pattern stops at the first `}`).
 * Anything else is not an attr list, and the caller leaves it as text.
 */
import {factorySpace} from 'micromark-factory-space'
import {
  markdownLineEnding,
  markdownLineEndingOrSpace,
  markdownSpace
} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Effects, State, TokenType} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** `{`, the optional `:` and `}`. */
    attributeListMarker: 'attributeListMarker'
    /** `#id`, marker included. */
    attributeListId: 'attributeListId'
    /** `.class`, marker included. */
    attributeListClass: 'attributeListClass'
    /** The key of `key=value` (or a bare `key`). */
    attributeListName: 'attributeListName'
    /** The `=` of `key=value`. */
    attributeListInitializer: 'attributeListInitializer'
    /** A quote around a value. */
    attributeListValueMarker: 'attributeListValueMarker'
    /** A value, without quotes. */
    attributeListValue: 'attributeListValue'
  }
}

/** Whether a code can be in an id, a class or a bare value. */
function wordCode(code: Code): boolean {
  return (
    code !== codes.eof &&
    !markdownLineEndingOrSpace(code) &&
    code !== codes.rightCurlyBrace &&
    code !== codes.equalsTo
  )
}

/** Whether a code can start a key. */
function nameStartCode(code: Code): boolean {
  return (
    code !== null &&
    ((code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) ||
      code === codes.underscore ||
      code === codes.colon)
  )
}

/** Whether a code can continue a key. */
function nameCode(code: Code): boolean {
  return (
    nameStartCode(code) ||
    (code !== null && code >= 48 && code <= 57) ||
    code === codes.dash ||
    code === codes.dot
  )
}

/**
 * Tokenize an attr list, at `{`, as a `type` token holding the items; `ok`
 * after the closing `}`, `nok` if it is not a valid list.
 */
export function factoryAttributeList(
  effects: Effects,
  ok: State,
  nok: State,
  type: TokenType
): State {
  let quote: Code = null
  let valueOpen = false
  let word: 'attributeListId' | 'attributeListClass' = 'attributeListId'

  return start

  /** At `{`. */
  function start(code: Code): State | undefined {
    if (code !== codes.leftCurlyBrace) return nok(code)
    effects.enter(type)
    effects.enter('attributeListMarker')
    effects.consume(code)
    effects.exit('attributeListMarker')
    return afterBrace
  }

  /** After `{`, at an optional `:`. */
  function afterBrace(code: Code): State | undefined {
    if (code === codes.colon) {
      effects.enter('attributeListMarker')
      effects.consume(code)
      effects.exit('attributeListMarker')
      return beforeFirst
    }

    return beforeFirst(code)
  }

  /** Before the first item (spaces allowed). */
  function beforeFirst(code: Code): State | undefined {
    return markdownSpace(code)
      ? factorySpace(effects, itemStart, types.whitespace)(code)
      : itemStart(code)
  }

  /** At an item. */
  function itemStart(code: Code): State | undefined {
    if (code === codes.numberSign || code === codes.dot) {
      word = code === codes.dot ? 'attributeListClass' : 'attributeListId'
      effects.enter(word)
      effects.consume(code)
      return wordFirst
    }

    if (nameStartCode(code)) {
      effects.enter('attributeListName')
      effects.consume(code)
      return nameInside
    }

    return nok(code)
  }

  /** After `#` or `.`: at least one character. */
  function wordFirst(code: Code): State | undefined {
    if (!wordCode(code)) return nok(code)
    effects.consume(code)
    return wordInside
  }

  /** In an id or a class. */
  function wordInside(code: Code): State | undefined {
    if (wordCode(code)) {
      effects.consume(code)
      return wordInside
    }

    effects.exit(word)
    return afterItem(code)
  }

  /** In a key. */
  function nameInside(code: Code): State | undefined {
    if (nameCode(code)) {
      effects.consume(code)
      return nameInside
    }

    effects.exit('attributeListName')

    if (code === codes.equalsTo) {
      effects.enter('attributeListInitializer')
      effects.consume(code)
      effects.exit('attributeListInitializer')
      return valueStart
    }

    return afterItem(code)
  }

  /** After `=`. */
  function valueStart(code: Code): State | undefined {
    if (code === codes.quotationMark || code === codes.apostrophe) {
      quote = code
      effects.enter('attributeListValueMarker')
      effects.consume(code)
      effects.exit('attributeListValueMarker')
      valueOpen = false
      return quotedInside
    }

    if (!wordCode(code)) return nok(code)
    effects.enter('attributeListValue')
    effects.consume(code)
    return unquotedInside
  }

  /** In a quoted value. */
  function quotedInside(code: Code): State | undefined {
    if (
      code === codes.eof ||
      code === codes.rightCurlyBrace ||
      markdownLineEnding(code)
    ) {
      return nok(code)
    }

    if (code === quote) {
      if (valueOpen) effects.exit('attributeListValue')
      effects.enter('attributeListValueMarker')
      effects.consume(code)
      effects.exit('attributeListValueMarker')
      return afterItem
    }

    if (!valueOpen) {
      effects.enter('attributeListValue')
      valueOpen = true
    }

    effects.consume(code)
    return quotedInside
  }

  /** In an unquoted value. */
  function unquotedInside(code: Code): State | undefined {
    if (wordCode(code)) {
      effects.consume(code)
      return unquotedInside
    }

    effects.exit('attributeListValue')
    return afterItem(code)
  }

  /** After an item: `}`, or spaces and then another item or `}`. */
  function afterItem(code: Code): State | undefined {
    if (markdownSpace(code)) {
      return factorySpace(effects, afterSpace, types.whitespace)(code)
    }

    return code === codes.rightCurlyBrace ? end(code) : nok(code)
  }

  /** After the spaces after an item. */
  function afterSpace(code: Code): State | undefined {
    return code === codes.rightCurlyBrace ? end(code) : itemStart(code)
  }

  /** At `}`. */
  function end(code: Code): State | undefined {
    effects.enter('attributeListMarker')
    effects.consume(code)
    effects.exit('attributeListMarker')
    effects.exit(type)
    return ok
  }
}

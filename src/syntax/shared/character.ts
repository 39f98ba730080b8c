/**
 * Character classes of the Python regular expressions the dialect follows,
 * beside micromark-util-character's Markdown ones.
 */
import {codes} from 'micromark-util-symbol'
import type {Code} from 'micromark-util-types'

/**
 * Whether `code` is in Python's `[\w-]` restricted to ASCII: a letter, a
 * digit, `_` or `-` (key names of pymdownx.keys).
 */
export function asciiWordOrDash(code: Code): boolean {
  return (
    code !== null &&
    ((code >= codes.lowercaseA && code <= codes.lowercaseZ) ||
      (code >= codes.uppercaseA && code <= codes.uppercaseZ) ||
      (code >= codes.digit0 && code <= codes.digit9) ||
      code === codes.underscore ||
      code === codes.dash)
  )
}

/**
 * Whether `code` is in Python's `[\w-]` (Unicode): `asciiWordOrDash`, or a
 * letter, digit or mark beyond ASCII (admonition kinds and classes).
 */
export function wordOrDash(code: Code): boolean {
  if (asciiWordOrDash(code)) return true
  return code !== null && code > 127 && /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(code))
}

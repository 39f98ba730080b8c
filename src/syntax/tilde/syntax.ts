/**
 * micromark syntax of `~subscript~` (pymdownx.tilde): one `~` on each side,
 * no unescaped whitespace inside, may touch letters (`H~2~O`). Runs of two
 * `~` are left to GFM strikethrough (single-tilde strikethrough is off in
 * the parser); longer runs stay text.
 */
import {codes} from 'micromark-util-symbol'
import type {Extension} from 'micromark-util-types'
import {createSpanSyntax} from '../mark/create-span-syntax.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole `~subscript~`. */
    subscript: 'subscript'
    /** Each `~` of a subscript. */
    subscriptSequence: 'subscriptSequence'
    /** Content of a subscript. */
    subscriptText: 'subscriptText'
    /** A single `~` before pairing. */
    tildeSequenceTemporary: 'tildeSequenceTemporary'
  }
}

/** Create the micromark extension for `~subscript~`. */
export function tildeSyntax(): Extension {
  return createSpanSyntax({
    name: 'tilde',
    marker: codes.tilde,
    temporary: 'tildeSequenceTemporary',
    kinds: [
      {
        size: 1,
        type: 'subscript',
        sequence: 'subscriptSequence',
        text: 'subscriptText',
        rule: 'tight'
      }
    ]
  })
}

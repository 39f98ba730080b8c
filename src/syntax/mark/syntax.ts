/**
 * micromark syntax of `==mark==` (pymdownx.mark with its default smart
 * rules): a run of exactly two `=` opens when not after a letter or digit
 * and not before whitespace, closes when not after whitespace and not
 * before a letter or digit; the content may hold anything, line endings
 * included. `a==b==c` stays text; `==a==b==` marks `a==b`.
 */
import {codes} from 'micromark-util-symbol'
import type {Extension} from 'micromark-util-types'
import {createSpanSyntax} from './create-span-syntax.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole `==mark==`. */
    mark: 'mark'
    /** Each `==`. */
    markSequence: 'markSequence'
    /** Content between the sequences. */
    markText: 'markText'
    /** A run of `=` before pairing. */
    markSequenceTemporary: 'markSequenceTemporary'
  }
}

/** Create the micromark extension for `==mark==`. */
export function markSyntax(): Extension {
  return createSpanSyntax({
    name: 'mark',
    marker: codes.equalsTo,
    temporary: 'markSequenceTemporary',
    kinds: [
      {
        size: 2,
        type: 'mark',
        sequence: 'markSequence',
        text: 'markText',
        rule: 'smart'
      }
    ]
  })
}

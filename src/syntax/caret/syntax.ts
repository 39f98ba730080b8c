/**
 * micromark syntax of pymdownx.caret: `^^insert^^` (smart rules, like
 * `==mark==`) and `^superscript^` (tight: no unescaped whitespace inside,
 * may touch letters: `x^2^`). Runs of three or more `^` stay text.
 */
import {codes} from 'micromark-util-symbol'
import type {Extension} from 'micromark-util-types'
import {createSpanSyntax} from '../mark/create-span-syntax.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Whole `^^insert^^`. */
    insert: 'insert'
    /** Each `^^`. */
    insertSequence: 'insertSequence'
    /** Content of an insert. */
    insertText: 'insertText'
    /** Whole `^superscript^`. */
    superscript: 'superscript'
    /** Each `^` of a superscript. */
    superscriptSequence: 'superscriptSequence'
    /** Content of a superscript. */
    superscriptText: 'superscriptText'
    /** A run of `^` before pairing. */
    caretSequenceTemporary: 'caretSequenceTemporary'
  }
}

/** Create the micromark extension for `^^insert^^` and `^superscript^`. */
export function caretSyntax(): Extension {
  return createSpanSyntax({
    name: 'caret',
    marker: codes.caret,
    temporary: 'caretSequenceTemporary',
    kinds: [
      {
        size: 1,
        type: 'superscript',
        sequence: 'superscriptSequence',
        text: 'superscriptText',
        rule: 'tight'
      },
      {
        size: 2,
        type: 'insert',
        sequence: 'insertSequence',
        text: 'insertText',
        rule: 'smart'
      }
    ]
  })
}

/**
 * The shared micromark machinery of the pymdownx "attention-like" spans:
 * `==mark==` (pymdownx.mark), `^^insert^^` and `^sup^` (pymdownx.caret),
 * `~sub~` (pymdownx.tilde).
 *
 * Built like GFM strikethrough: a text tokenizer turns a run of markers into
 * a temporary sequence that knows whether it may open and/or close, and a
 * resolver pairs sequences afterwards. What differs from strikethrough is
 * the pairing, which follows pymdownx's regular expressions:
 *
 * - An opener pairs with the *first* closer of the same size after it
 *   (pymdownx matches content lazily), not with the nearest opener before a
 *   closer.
 * - `smart` spans (`==`, `^^`) may not open after, nor close before, a
 *   letter or digit: `a==b==c` stays text, `==a==b==` marks `a==b`.
 * - `tight` spans (`^`, `~`) hold no whitespace at all; a space escaped as
 *   `\ ` is allowed and becomes a plain space (as in pymdownx).
 * - Only runs of exactly the sizes the kinds name count; longer runs (`^^^`,
 *   `===`) stay text.
 *
 * The tokenizer is also registered as `insideSpan`, so spans pair inside
 * emphasis, strikethrough and link labels first and never cross them.
 */
import {classifyCharacter} from 'micromark-util-classify-character'
import {splice} from 'micromark-util-chunked'
import {resolveAll} from 'micromark-util-resolve-all'
import {codes, constants, types} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Event,
  Extension,
  State,
  Token,
  TokenizeContext,
  TokenType
} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /**
     * Data inside `^sup^` or `~sub~` that holds a `\ ` (escaped space); it
     * compiles to the data with each `\ ` turned into a space.
     */
    spanData: 'spanData'
  }
}

/** One kind of span a marker can make, chosen by the length of the run. */
export interface SpanKind {
  /** Number of markers in each sequence (`2` for `==`). */
  size: number
  /** Token of the whole span (named like the mdast node it becomes). */
  type: TokenType
  /** Token of each sequence. */
  sequence: TokenType
  /** Token of the content between the sequences. */
  text: TokenType
  /**
   * `smart`: pymdownx's smart rules (no opening after / closing before a
   * letter or digit; content may hold whitespace). `tight`: content holds
   * no unescaped whitespace, sequences may touch letters (`H~2~O`).
   */
  rule: 'smart' | 'tight'
}

/** Options of `createSpanSyntax`. */
export interface SpanSyntaxOptions {
  /** Name of the construct (for debugging). */
  name: string
  /** The marker character code (`codes.equalsSign`). */
  marker: NonNullable<Code>
  /** Temporary token for a run before it is paired. */
  temporary: TokenType
  /** The kinds, at most one per size. */
  kinds: SpanKind[]
}

/**
 * Token types that may hold `data` whose whitespace counts as the span's
 * own: everything else (code, links, HTML, autolinks, math...) is opaque,
 * as pymdownx sees those as placeholders before its patterns run.
 */
const transparent = new Set<string>([
  'attentionSequence',
  'emphasis',
  'emphasisSequence',
  'emphasisText',
  'strong',
  'strongSequence',
  'strongText',
  'strikethrough',
  'strikethroughSequence',
  'strikethroughSequenceTemporary',
  'strikethroughText',
  'characterEscape',
  'escapeMarker',
  'characterEscapeValue',
  'characterReference',
  'characterReferenceMarker',
  'characterReferenceMarkerNumeric',
  'characterReferenceMarkerHexadecimal',
  'characterReferenceValue',
  'mark',
  'markSequence',
  'markText',
  'markSequenceTemporary',
  'insert',
  'insertSequence',
  'insertText',
  'superscript',
  'superscriptSequence',
  'superscriptText',
  'caretSequenceTemporary',
  'subscript',
  'subscriptSequence',
  'subscriptText',
  'tildeSequenceTemporary'
])

/** Push `from[start..end)` onto `to` (no spread: lists can be long). */
function append(to: Event[], from: Event[], start: number, end: number): Event[] {
  let index = start
  while (index < end) to.push(from[index++]!)
  return to
}

/** Result of looking for a closer: its index, or why there is none. */
const reachedEnd = -1
const stoppedEarly = -2

/**
 * Create the micromark extension for one marker character and its kinds.
 *
 * The returned extension registers the tokenizer in `text` and
 * `insideSpan`; the mdast side is up to the caller.
 */
export function createSpanSyntax(options: SpanSyntaxOptions): Extension {
  const {marker, temporary} = options
  const bySize: Array<SpanKind | undefined> = []
  let maxSize = 0

  for (const kind of options.kinds) {
    bySize[kind.size] = kind
    if (kind.size > maxSize) maxSize = kind.size
  }

  const construct: Construct = {
    name: options.name,
    tokenize: tokenizeSpanSequence,
    resolveAll: resolveAllSpans
  }

  return {
    text: {[marker]: construct},
    insideSpan: {null: [construct]}
  }

  /**
   * Pair temporary sequences, innermost content first, then turn the rest
   * into data. The events are copied once (rather than spliced per pair),
   * so many spans in one paragraph stay linear.
   */
  function resolveAllSpans(events: Event[], context: TokenizeContext): Event[] {
    // Smart kinds whose closers are used up: no later opener can pair.
    const exhausted = new Set<number>()
    const result: Event[] = []
    // Events before `copied` are in `result` already.
    let copied = 0
    let index = 0

    while (index < events.length) {
      const event = events[index]!
      const opener = event[1]
      const size = opener.end.offset - opener.start.offset
      const kind = bySize[size]

      if (
        event[0] !== 'enter' ||
        opener.type !== temporary ||
        !opener._open ||
        !kind ||
        exhausted.has(size)
      ) {
        index++
        continue
      }

      const close = findCloser(events, index + 2, kind, context)

      if (close < 0) {
        if (close === reachedEnd && kind.rule === 'smart') exhausted.add(size)
        index++
        continue
      }

      const closer = events[close]![1]
      opener.type = kind.sequence
      closer.type = kind.sequence

      const group: Token = {
        type: kind.type,
        start: {...opener.start},
        end: {...closer.end}
      }
      const text: Token = {
        type: kind.text,
        start: {...opener.end},
        end: {...closer.start}
      }
      const insideSpan = context.parser.constructs.insideSpan.null
      const inside = events.slice(index + 2, close)

      append(result, events, copied, index)
      result.push(
        ['enter', group, context],
        ['enter', opener, context],
        ['exit', opener, context],
        ['enter', text, context]
      )
      const resolved = insideSpan ? resolveAll(insideSpan, inside, context) : inside
      append(result, resolved, 0, resolved.length)
      result.push(
        ['exit', text, context],
        ['enter', closer, context],
        ['exit', closer, context],
        ['exit', group, context]
      )
      index = close + 2
      copied = index
    }

    if (copied > 0) {
      append(result, events, copied, events.length)
      // Callers hold on to this very list (micromark's subtokenizer does):
      // change it in place.
      splice(events, 0, events.length, result)
    }

    for (const event of events) {
      if (event[1].type === temporary) event[1].type = types.data
    }

    return events
  }

  /**
   * Find the first sequence after `from` that closes `kind` at the same
   * nesting level. For tight kinds, stop at the first unescaped whitespace
   * (and mark the data holding `\ ` so it compiles to spaces).
   */
  function findCloser(
    events: Event[],
    from: number,
    kind: SpanKind,
    context: TokenizeContext
  ): number {
    const tight = kind.rule === 'tight'
    const escapes: Token[] = []
    let depth = 0
    let opaque = 0
    let afterBackslash = false
    let index = from - 1

    while (++index < events.length) {
      const [kindOfEvent, token] = events[index]!

      if (kindOfEvent === 'exit') {
        depth--
        if (opaque) opaque--
        continue
      }

      if (
        depth === 0 &&
        token.type === temporary &&
        token._close &&
        token.end.offset - token.start.offset === kind.size
      ) {
        for (const data of escapes) data.type = 'spanData'
        return index
      }

      depth++

      if (!tight) continue

      if (opaque) {
        opaque++
      } else if (token.type === types.data) {
        const value = context.sliceSerialize(token)
        let escaped = false
        let offset = -1

        while (++offset < value.length) {
          const char = value.charCodeAt(offset)
          if (char === codes.space || char === codes.ht) {
            const previous = offset
              ? value.charCodeAt(offset - 1) === codes.backslash
              : afterBackslash
            if (!previous || char === codes.ht) return stoppedEarly
            escaped = true
          }
        }

        afterBackslash = value.charCodeAt(value.length - 1) === codes.backslash
        if (escaped) escapes.push(token)
        continue
      } else if (
        token.type === types.lineEnding ||
        token.type === types.hardBreakEscape
      ) {
        return stoppedEarly
      } else if (!transparent.has(token.type)) {
        opaque = 1
      }

      afterBackslash = false
    }

    return reachedEnd
  }

  /**
   * Tokenize a run of markers as a temporary sequence, noting whether it
   * can open and close.
   */
  function tokenizeSpanSequence(
    this: TokenizeContext,
    effects: Effects,
    ok: State,
    nok: State
  ): State {
    const previous = this.previous
    const events = this.events
    let size = 0

    return start

    function start(code: Code): State | undefined {
      // Inside a run: the run was already tried from its first marker.
      if (
        previous === marker &&
        events[events.length - 1]?.[1].type !== types.characterEscape
      ) {
        return nok(code)
      }

      effects.enter(temporary)
      return sequence(code)
    }

    function sequence(code: Code): State | undefined {
      if (code === marker) {
        if (size === maxSize) return nok(code)
        effects.consume(code)
        size++
        return sequence
      }

      const kind = bySize[size]
      if (!kind) return nok(code)

      const before = classifyCharacter(previous)
      const after = classifyCharacter(code)
      const smart = kind.rule === 'smart'
      const open =
        after !== constants.characterGroupWhitespace &&
        (!smart || before !== undefined)
      const close =
        before !== constants.characterGroupWhitespace &&
        (!smart || after !== undefined)

      if (!open && !close) return nok(code)

      const token = effects.exit(temporary)
      token._open = open
      token._close = close
      return ok(code)
    }
  }
}

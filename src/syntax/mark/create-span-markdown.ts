/**
 * The mdast side shared by the pymdownx spans (`mark`, `insert`,
 * `superscript`, `subscript`): tokens to nodes, and nodes back to Markdown.
 */
import type {Parent, Parents, PhrasingContent, Text} from 'mdast'
import type {
  CompileContext,
  Extension as FromMarkdownExtension,
  Handle as FromMarkdownHandle
} from 'mdast-util-from-markdown'
import type {
  ConstructName,
  Handle as ToMarkdownHandle,
  Unsafe
} from 'mdast-util-to-markdown'
import type {Point, Token, TokenType} from 'micromark-util-types'

/** mdast node types made by the spans. */
export type SpanNodeType = 'mark' | 'insert' | 'superscript' | 'subscript'

/** How one span token maps onto its mdast node. */
export interface SpanMapping {
  /** Token of the whole span. */
  token: TokenType
  /** The node it becomes. */
  node: SpanNodeType
  /** Whether the content may hold line endings (smart spans). */
  eols: boolean
}

/** Whitespace characters that must be encoded where a span forbids them. */
export const whitespaceCharacters = [' ', '\t', '\n', '\r']

/**
 * Create the from-markdown extension for some spans: each span token
 * becomes a parent node, and `spanData` (data holding `\ `) becomes text in
 * which every `\ ` is a space.
 */
export function createSpanFromMarkdown(
  mappings: SpanMapping[]
): FromMarkdownExtension {
  const enter: Record<string, FromMarkdownHandle> = {spanData: enterSpanData}
  const exit: Record<string, FromMarkdownHandle> = {spanData: exitSpanData}
  const canContainEols: string[] = []

  for (const mapping of mappings) {
    const type = mapping.node
    enter[mapping.token] = function (token) {
      this.enter({type, children: []}, token)
    }

    exit[mapping.token] = function (token) {
      this.exit(token)
    }

    if (mapping.eols) canContainEols.push(type)
  }

  return {canContainEols, enter, exit}
}

/** Start (or continue) a text node, like from-markdown does for `data`. */
function enterSpanData(this: CompileContext, token: Token): undefined {
  const parent = this.stack[this.stack.length - 1] as Parent
  const siblings = parent.children as PhrasingContent[]
  let tail = siblings[siblings.length - 1]

  if (!tail || tail.type !== 'text') {
    const node: Text = {
      type: 'text',
      value: '',
      position: {start: point(token.start), end: point(token.end)}
    }
    siblings.push(node)
    tail = node
  }

  this.stack.push(tail)
}

/** Add the data, each escaped space (`\ `) as a space. */
function exitSpanData(this: CompileContext, token: Token): undefined {
  const tail = this.stack.pop() as Text
  // Inside data a backslash is always literal (`\\` would be an escape), so
  // every `\ ` here is an escaped space.
  tail.value += this.sliceSerialize(token).replaceAll('\\ ', ' ')
  if (tail.position) tail.position.end = point(token.end)
}

/** A unist point from a micromark point. */
function point(value: Point): {line: number; column: number; offset: number} {
  return {line: value.line, column: value.column, offset: value.offset}
}

/**
 * Create the to-markdown handler of a span: the sequence, the content, the
 * sequence. The first character of the sequence is what the span "peeks".
 */
export function createSpanHandle(
  construct: ConstructName,
  sequence: string
): ToMarkdownHandle {
  const handle: ToMarkdownHandle = function (node, _, state, info) {
    const tracker = state.createTracker(info)
    const exit = state.enter(construct)
    let value = tracker.move(sequence)
    value += state.containerPhrasing(node as Parents, {
      ...tracker.current(),
      before: sequence,
      after: sequence
    })
    value += tracker.move(sequence)
    exit()
    return value
  }

  return Object.assign(handle, {peek: () => sequence.charAt(0)})
}

/**
 * Unsafe patterns that keep the content of a span from starting or ending
 * with whitespace (the sequences would not open or close): such whitespace
 * is written as a character reference.
 */
export function edgeWhitespaceUnsafe(
  construct: ConstructName,
  sequence: string
): Unsafe[] {
  const escaped = sequence.replace(/[\^$\\.*+?()[\]{}|-]/g, '\\$&')
  return whitespaceCharacters.flatMap((character): Unsafe[] => [
    {character, inConstruct: construct, before: '^' + escaped},
    {character, inConstruct: construct, after: escaped + '$'}
  ])
}

/**
 * Unsafe patterns that keep the content of a tight span (`^sup^`, `~sub~`)
 * free of raw whitespace: every whitespace character is written as a
 * character reference, which pymdownx and the parser both accept.
 */
export function anyWhitespaceUnsafe(construct: ConstructName): Unsafe[] {
  return whitespaceCharacters.map(
    (character): Unsafe => ({character, inConstruct: construct})
  )
}

/**
 * GitHub alerts (`> [!NOTE]`) and Obsidian callouts (`> [!tip]- Title`) as
 * admonitions.
 *
 * These are block quotes to micromark, and stay so while parsing; this tree
 * transform then turns a block quote whose first line is `[!kind]` into an
 * `admonition` with `syntax: 'alert'`. Positions are kept: the node takes
 * the block quote's, the title and the rest of the first paragraph get
 * theirs from the source.
 */
import type {Admonition, AdmonitionTitle} from '../mdast.js'
import type {Blockquote, Nodes, Paragraph, PhrasingContent, Root, Text} from 'mdast'
import type {Point} from 'unist'
import {visit} from '../walk.js'
import type {VFile} from 'vfile'

/**
 * `[!kind]`, then `+`/`-` (Obsidian's open/closed), then a space or the end
 * of the line. GitHub knows five kinds (note, tip, important, warning,
 * caution); Obsidian any word, and so do we, as for `!!!`.
 */
const markerExpression = /^\[!([A-Za-z][\w-]*)\]([+-]?)(?=[\t ]|\r?\n|$)/

/** Where the title sits on the marker's line. */
interface TitleSpan {
  start: Point
  end: Point
  raw: string
}

/**
 * Turn alert block quotes in `tree` into admonitions.
 *
 * `file` gives the source, used to tell `[!NOTE]` from `\[!NOTE]` (which
 * stays a block quote), for the title as written, and for positions;
 * without it positions are approximate.
 */
export function transformAlerts(tree: Root, file?: VFile): undefined {
  const source = file && typeof file.value === 'string' ? file.value : undefined

  visit(tree, 'blockquote', (node, index, parent) => {
    if (!parent || index === undefined) return
    const admonition = toAlert(node, source)
    if (admonition) parent.children[index] = admonition
  })
}

function toAlert(node: Blockquote, source: string | undefined): Admonition | undefined {
  const paragraph = node.children[0]
  if (!paragraph || paragraph.type !== 'paragraph') return
  const head = paragraph.children[0]
  if (!head || head.type !== 'text') return
  const match = markerExpression.exec(head.value)
  if (!match) return
  const marker = match[0]
  let span: TitleSpan | undefined

  if (source !== undefined && head.position?.start.offset !== undefined) {
    span = titleSpan(source, head.position.start, marker)
    // Escaped (`\[!NOTE]`) or encoded: not an alert.
    if (!span) return
  }

  const {title, rest} = splitFirstLine(paragraph.children, marker.length, span, source)
  const admonition: Admonition = {
    type: 'admonition',
    kind: match[1]!.toLowerCase(),
    classes: [],
    title: null,
    collapsible: match[2] === '+' ? 'open' : match[2] === '-' ? 'closed' : null,
    syntax: 'alert',
    children: []
  }
  if (node.position) admonition.position = node.position

  if (title.length > 0) {
    const titleNode: AdmonitionTitle = {type: 'admonitionTitle', children: title}
    const start = span?.start ?? title[0]?.position?.start
    const end = span?.end ?? title[title.length - 1]?.position?.end
    if (start && end) titleNode.position = {start, end}
    admonition.title = span ? span.raw : textOf(titleNode)
    admonition.children.push(titleNode)
  }

  if (rest.length > 0) {
    const body: Paragraph = {type: 'paragraph', children: rest}
    const start = rest[0]?.position?.start
    if (start && paragraph.position) body.position = {start, end: paragraph.position.end}
    admonition.children.push(body)
  }

  admonition.children.push(...node.children.slice(1))
  return admonition
}

/**
 * Find the title on the marker's line, from the source; `undefined` when
 * the source does not hold the marker as is.
 */
function titleSpan(source: string, start: Point, marker: string): TitleSpan | undefined {
  const offset = start.offset!
  if (source.slice(offset, offset + marker.length) !== marker) return
  let lineEnd = source.indexOf('\n', offset)
  if (lineEnd === -1) lineEnd = source.length
  if (source.charAt(lineEnd - 1) === '\r') lineEnd--
  let from = offset + marker.length
  while (from < lineEnd && isSpace(source.charAt(from))) from++
  let to = lineEnd
  while (to > from && isSpace(source.charAt(to - 1))) to--
  // A trailing backslash is a hard break, not part of the title.
  if (to > from && source.charAt(to - 1) === '\\') to--
  while (to > from && isSpace(source.charAt(to - 1))) to--
  // On one line, columns follow offsets.
  const at = (value: number): Point => ({
    line: start.line,
    column: start.column + value - offset,
    offset: value
  })
  return {start: at(from), end: at(to), raw: source.slice(from, to)}
}

/**
 * Split the paragraph after its first line: that line (minus the marker)
 * is the title, the rest stays body.
 */
function splitFirstLine(
  children: PhrasingContent[],
  skip: number,
  span: TitleSpan | undefined,
  source: string | undefined
): {title: PhrasingContent[]; rest: PhrasingContent[]} {
  const title: PhrasingContent[] = []
  const rest: PhrasingContent[] = []
  let inTitle = true

  for (const [index, child] of children.entries()) {
    if (!inTitle) {
      rest.push(child)
    } else if (child.type === 'break') {
      inTitle = false
    } else if (child.type === 'text') {
      const from = index === 0 ? skip : 0
      const newline = child.value.indexOf('\n', from)
      const to = newline === -1 ? child.value.length : newline
      const piece = titlePiece(child, from, to, newline !== -1)
      if (piece) title.push(piece)

      if (newline !== -1) {
        inTitle = false
        if (newline + 1 < child.value.length) {
          rest.push(nextLinePiece(child, newline + 1))
        }
      }
    } else {
      title.push(child)
    }
  }

  trimEnds(title)
  return {title, rest}

  /** The part of a text node on the title line. */
  function titlePiece(node: Text, from: number, to: number, last: boolean): Text | undefined {
    const value = node.value.slice(from, to)
    if (!value) return
    const piece: Text = {type: 'text', value}
    if (!node.position) return piece
    const start = from === 0 ? node.position.start : (span?.start ?? shift(node.position.start, from))
    const end = last ? (span?.end ?? shift(node.position.start, to)) : node.position.end
    piece.position = {start, end}
    return piece
  }

  /** The part of a text node after the title line. */
  function nextLinePiece(node: Text, from: number): Text {
    const piece: Text = {type: 'text', value: node.value.slice(from)}
    const position = node.position
    if (!position) return piece
    let start: Point = {line: position.start.line + 1, column: 1}

    if (source !== undefined && position.start.offset !== undefined) {
      // Skip the next line's block quote markers and indentation.
      const newline = source.indexOf('\n', position.start.offset)
      let offset = newline + 1
      while (offset < source.length && /[\t >]/.test(source.charAt(offset))) offset++
      start = {line: position.start.line + 1, column: offset - newline, offset}
    }

    piece.position = {start, end: position.end}
    return piece
  }
}

/** Drop the spaces around the title (positions come from the span). */
function trimEnds(nodes: PhrasingContent[]): undefined {
  const first = nodes[0]
  if (first?.type === 'text') {
    first.value = first.value.replace(/^[\t ]+/, '')
    if (!first.value) nodes.shift()
  }

  const last = nodes[nodes.length - 1]
  if (last?.type === 'text') {
    last.value = last.value.replace(/[\t ]+$/, '')
    if (!last.value) nodes.pop()
  }
}

/** Move a point along its line. */
function shift(point: Point, by: number): Point {
  const result: Point = {line: point.line, column: point.column + by}
  if (point.offset !== undefined) result.offset = point.offset + by
  return result
}

function isSpace(character: string): boolean {
  return character === ' ' || character === '\t'
}

/** The text of a node, for a title when there is no source. */
function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value
  if ('children' in node) return (node.children as Nodes[]).map(textOf).join('')
  return ''
}

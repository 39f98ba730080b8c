/**
 * The abbreviation transform: wrap every whole-word occurrence of a defined
 * abbreviation in the text of a document in an `abbreviation` node.
 */
import type {Abbreviation, AbbreviationDefinition} from '../mdast.js'
import type {Nodes, PhrasingContent, Text} from 'mdast'
import type {Point} from 'unist'

/** A node of the label trie: one UTF-16 unit per edge. */
interface TrieNode {
  next: Map<number, TrieNode>
  /** Set when a label ends here: its expansion. */
  title?: string | undefined
}

/** Python's `\w`: letters, digits (any script) and `_`. */
const wordCharacter = /[\p{L}\p{N}_]/u

/**
 * Wrap occurrences of defined abbreviations, in place.
 *
 * Definitions (`abbreviationDefinition` nodes) apply to the whole document,
 * wherever they are; a label defined twice takes the last expansion, as in
 * Python-Markdown. Matching is case-sensitive and whole-word: an occurrence
 * is neither preceded nor followed by a letter, digit or `_` (so `HTML`
 * is not found in `XHTML` or `HTML5`). Where labels overlap, the longest
 * wins. Only `text` nodes are searched: not code, math, raw HTML, URLs or
 * image alt text, and not the text of autolinks (`<https://…>`, `www.…`),
 * which is their address.
 *
 * All labels go into one trie, so the walk over each text is linear in
 * its length (times the longest label at worst), whatever the number of
 * definitions.
 *
 * With `source` (the file the tree was parsed from), the split text nodes
 * and new nodes get exact positions, also where the text differs from the
 * source (escapes, character references, container prefixes on later
 * lines); without it, positions are kept only where the text is a plain
 * slice of one line.
 */
export function markAbbreviations(tree: Nodes, source?: string): void {
  const titles = new Map<string, string>()
  collect(tree, titles)
  if (titles.size === 0) return
  const trie: TrieNode = {next: new Map()}

  for (const [label, title] of titles) {
    let node = trie
    for (let index = 0; index < label.length; index++) {
      const unit = label.charCodeAt(index)
      let next = node.next.get(unit)
      if (!next) {
        next = {next: new Map()}
        node.next.set(unit, next)
      }

      node = next
    }

    node.title = title
  }

  walk(tree, trie, source)
}

function collect(node: Nodes, titles: Map<string, string>): void {
  if (node.type === 'abbreviationDefinition') {
    const definition: AbbreviationDefinition = node
    if (definition.label !== '') titles.set(definition.label, definition.value)
    return
  }

  if ('children' in node) {
    for (const child of node.children) collect(child, titles)
  }
}

function walk(parent: Nodes, trie: TrieNode, source: string | undefined): void {
  if (!('children' in parent)) return
  let changed = false
  const children: Nodes[] = []

  for (const child of parent.children as Nodes[]) {
    if (child.type === 'text') {
      const pieces = split(child, trie, source)
      if (pieces) {
        children.push(...pieces)
        changed = true
        continue
      }
    } else if ('children' in child && child.type !== 'abbreviation' && !isAutolink(child)) {
      walk(child, trie, source)
    }

    children.push(child)
  }

  // Text only occurs where phrasing content does, and so do the pieces.
  if (changed) (parent as {children: Nodes[]}).children = children
}

/** A link whose text is its own address. */
function isAutolink(node: Nodes): boolean {
  if (node.type !== 'link' || node.children.length !== 1) return false
  const head = node.children[0]
  if (head?.type !== 'text') return false
  const text = head.value
  return (
    node.url === text ||
    node.url === 'http://' + text ||
    node.url === 'https://' + text ||
    node.url === 'mailto:' + text
  )
}

/** Split a text node around the abbreviations in it (`undefined`: none). */
function split(node: Text, trie: TrieNode, source: string | undefined): PhrasingContent[] | undefined {
  const value = node.value
  const matches: Array<{start: number; end: number; title: string}> = []
  let index = 0

  while (index < value.length) {
    if (isWordBefore(value, index)) {
      index++
      continue
    }

    let trieNode: TrieNode | undefined = trie
    let end = -1
    let title = ''
    let cursor = index

    while (cursor < value.length) {
      trieNode = trieNode.next.get(value.charCodeAt(cursor))
      if (!trieNode) break
      cursor++
      if (trieNode.title !== undefined && !isWordAt(value, cursor)) {
        end = cursor
        title = trieNode.title
      }
    }

    if (end === -1) {
      index++
    } else {
      matches.push({start: index, end, title})
      index = end
    }
  }

  if (matches.length === 0) return undefined
  const boundaries: Array<{index: number; skip: boolean}> = []
  for (const match of matches) {
    boundaries.push({index: match.start, skip: true}, {index: match.end, skip: false})
  }

  const points = locate(node, boundaries, source)
  const result: PhrasingContent[] = []
  let last = 0
  let lastPoint = node.position?.start

  matches.forEach((match, matchIndex) => {
    const start = points[matchIndex * 2]
    const end = points[matchIndex * 2 + 1]

    if (match.start > last) {
      result.push(withPosition({type: 'text', value: value.slice(last, match.start)}, lastPoint, start))
    }

    const text = withPosition({type: 'text', value: value.slice(match.start, match.end)}, start, end)
    const abbreviation: Abbreviation = {type: 'abbreviation', title: match.title, children: [text]}
    result.push(withPosition(abbreviation, start, end))
    last = match.end
    lastPoint = end
  })

  if (last < value.length) {
    result.push(withPosition({type: 'text', value: value.slice(last)}, lastPoint, node.position?.end))
  }

  return result
}

function withPosition<Node extends PhrasingContent>(
  node: Node,
  start: Point | undefined,
  end: Point | undefined
): Node {
  if (start && end) node.position = {start: {...start}, end: {...end}}
  return node
}

/**
 * The source points of `boundaries` (ascending indices into the text's
 * value), found by walking the source and the value side by side: source
 * characters that are not in the value (escape backslashes, the rest of a
 * character reference, container prefixes and indentation on later lines)
 * are stepped over. A boundary where an abbreviation starts (`skip`) is put
 * after such characters, so they stay with the text before it.
 */
function locate(
  node: Text,
  boundaries: Array<{index: number; skip: boolean}>,
  source: string | undefined
): Array<Point | undefined> {
  const start = node.position?.start
  const end = node.position?.end
  const value = node.value
  const none = boundaries.map(() => undefined)
  if (!start || !end || start.offset === undefined || end.offset === undefined) return none
  let text = source

  if (text === undefined) {
    // Without the source, only a one-line text that spans exactly its value
    // can be trusted to be a plain slice.
    if (end.offset - start.offset !== value.length || /[\r\n]/.test(value)) return none
    text = value
  }

  const base = source === undefined ? start.offset : 0
  const limit = end.offset - base
  let at = start.offset - base
  let line = start.line
  let column = start.column
  let valueIndex = 0
  const result: Array<Point | undefined> = []

  for (const boundary of boundaries) {
    while (
      valueIndex < boundary.index ||
      (boundary.skip && valueIndex < value.length && text[at] !== value[valueIndex])
    ) {
      if (at >= limit) return none
      const character = text[at]
      if (character === value[valueIndex]) valueIndex++

      if (character === '\n' || (character === '\r' && text[at + 1] !== '\n')) {
        line++
        column = 1
      } else if (character !== '\r') {
        column++
      }

      at++
    }

    result.push({line, column, offset: at + base})
  }

  return result
}

function isWordAt(value: string, index: number): boolean {
  const code = value.codePointAt(index)
  return code !== undefined && wordCharacter.test(String.fromCodePoint(code))
}

function isWordBefore(value: string, index: number): boolean {
  if (index === 0) return false
  let code = value.charCodeAt(index - 1)
  // A low surrogate: look at the whole astral character.
  if (code >= 0xdc_00 && code <= 0xdf_ff && index > 1) {
    code = value.codePointAt(index - 2) ?? code
  }

  return wordCharacter.test(String.fromCodePoint(code))
}

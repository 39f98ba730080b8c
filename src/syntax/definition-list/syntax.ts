/**
 * micromark syntax for definition lists (Python-Markdown `def_list`):
 *
 * ```markdown
 * Term
 * Another term
 * :   The description, continued by lines
 *     indented by 4 columns.
 * ```
 *
 * The description is a `document` (container) construct, like a list item:
 * `:` (after at most 3 spaces) and at least one space or tab opens it, and
 * every later line belongs to it when it is blank or indented by 4 columns
 * more than the `:`. Lazy lines continue a paragraph, as in Python. A line
 * starting with `:` directly after a description opens the next
 * description of the same terms.
 *
 * The terms are the lines of the paragraph right before the description,
 * in the same container (blank lines between make the description
 * "loose"). They are flow content that micromark has already tokenized
 * when the `:` shows up, so a `resolveAll` turns that paragraph's
 * `chunkText` lines into `definitionTerm` tokens, one per line, and wraps
 * terms and descriptions in `definitionList` tokens, merging runs of them
 * into one list.
 *
 * When the `:` line may open a description (Python-Markdown's rules):
 *
 * - it interrupts a paragraph: that paragraph holds the terms;
 * - after any other block of the same container (a blank line between or
 *   not): a paragraph holds the terms, anything else gives a description
 *   without terms (`<dl><dd>…</dd></dl>`, as Python does);
 * - never as the first thing in a document, a container or a list item
 *   (then it is a paragraph), and never on a lazy line of a paragraph that
 *   belongs to a container this line did not continue (then it continues
 *   that paragraph).
 *
 * The continuation is shared with the other indented containers
 * (`../shared/indented-container.ts`). A description takes lazy lines, so
 * it registers no lazy guard.
 */
import {factorySpace} from 'micromark-factory-space'
import {markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {
  Code,
  Construct,
  Effects,
  Event,
  Extension,
  State,
  Token,
  TokenizeContext
} from 'micromark-util-types'
import {createIndentedContainer, openIndentedBody} from '../shared/indented-container.js'
import {linePrefixSize, lineStartOffset} from '../shared/line-prefix.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** A run of terms and descriptions (added by the resolver). */
    definitionList: 'definitionList'
    /** One term: one line of the paragraph before a description. */
    definitionTerm: 'definitionTerm'
    /** One description (container). */
    definitionDescription: 'definitionDescription'
    /** `:` and the whitespace after it. */
    definitionDescriptionPrefix: 'definitionDescriptionPrefix'
    /** The `:`. */
    definitionDescriptionMarker: 'definitionDescriptionMarker'
    /** Indentation of a later line taken by the description. */
    definitionDescriptionIndent: 'definitionDescriptionIndent'
  }

  interface Token {
    /**
     * On a `definitionDescription` enter token, set by the resolver: whether
     * it got terms of its own (`tight`: the paragraph directly before;
     * `loose`: blank lines between), follows another description of the
     * list (`description`), or neither (`none`).
     */
    _definitionBefore?: 'tight' | 'loose' | 'description' | 'none' | undefined
  }

  interface ParseContext {
    /**
     * Offset where a description's continuation just failed: a `:` there
     * opens the next description of the same list.
     */
    definitionBreak?: number | undefined
  }
}

const {continuation} = createIndentedContainer({
  name: 'definitionDescription',
  indentType: 'definitionDescriptionIndent',
  breakField: 'definitionBreak',
  ownIndentOnly: false
})

const description: Construct = {
  name: 'definitionDescription',
  tokenize: tokenizeDescriptionStart,
  continuation,
  exit: exitDescription,
  resolveAll: resolveAllDefinitionList
}

/** Flow tokens that do not end "the block before": line endings and prefixes. */
const skippedInFlow = new Set<string>([
  types.lineEnding,
  types.lineEndingBlank,
  types.linePrefix,
  types.chunkContent
])

/**
 * Create the micromark extension for definition lists.
 *
 * Pass it in `extensions` to micromark (remark: `micromarkExtensions`).
 */
export function definitionListSyntax(): Extension {
  return {document: {[codes.colon]: description}}
}

/**
 * Tokenize the start of a description: `:` and whitespace.
 */
function tokenizeDescriptionStart(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State
): State {
  const self = this
  // Later lines are indented relative to the marker.
  const markerIndent = linePrefixSize(self)

  return start

  /**
   * At the `:`.
   *
   * ```markdown
   *   | Term
   * > | :   Description
   *     ^
   * ```
   */
  function start(code: Code): State | undefined {
    if (code !== codes.colon || !mayOpen(self)) return nok(code)
    effects.enter('definitionDescription', {_container: true})
    effects.enter('definitionDescriptionPrefix')
    effects.enter('definitionDescriptionMarker')
    effects.consume(code)
    effects.exit('definitionDescriptionMarker')
    return markerAfter
  }

  /**
   * After the `:`: whitespace is required, and all of it is eaten (so the
   * description cannot start with indented code, as in Python).
   *
   * ```markdown
   *   | Term
   * > | :   Description
   *      ^
   * ```
   */
  function markerAfter(code: Code): State | undefined {
    if (!markdownSpace(code)) return nok(code)
    return factorySpace(effects, prefixEnd, types.whitespace)(code)
  }

  function prefixEnd(code: Code): State | undefined {
    effects.exit('definitionDescriptionPrefix')
    openIndentedBody(self, markerIndent)
    return ok(code)
  }
}

/**
 * Whether a `:` line may open a description here (see the module comment).
 *
 * This runs twice for a line that opens a container (micromark checks,
 * closes the open flow, then attempts), so it must answer the same with the
 * flow open and closed.
 */
function mayOpen(self: TokenizeContext): boolean {
  // Right where a description of ours failed to continue: the next one.
  if (self.parser.definitionBreak === lineStartOffset(self)) return true

  // The flow this line would continue, unless a container (or list item)
  // started on this very line.
  let index = self.events.length
  let flow: TokenizeContext | undefined

  while (index--) {
    const [kind, token] = self.events[index]!
    if (token.type === types.chunkFlow) {
      flow = token._tokenizer
      break
    }

    if (kind === 'enter' && (token._container || token.type === types.listItemPrefix)) {
      return false
    }
  }

  if (!flow) return false
  const before = blockBefore(flow.events)
  if (before === 'nothing') return false
  // Something still open while not interrupting: this is a lazy line of a
  // container the line did not continue; it belongs to that paragraph.
  return Boolean(self.interrupt) || before !== 'open'
}

/**
 * What the flow ends with: something still open (a paragraph, or a
 * construct micromark is still trying, such as a GFM table head waiting for
 * its delimiter row), a finished block, or nothing at all.
 *
 * A token still open has no `end` yet. Open tokens can only come after the
 * last blank line, so the scan stops there.
 */
function blockBefore(events: Event[]): 'open' | 'block' | 'nothing' {
  let index = events.length

  while (index--) {
    const token = events[index]![1]
    if (token.end === undefined) return 'open'
    if (token.type === types.lineEndingBlank) break
  }

  return events.some((event) => !skippedInFlow.has(event[1].type)) ? 'block' : 'nothing'
}

/**
 * Close the description token when micromark closes the container.
 */
function exitDescription(this: TokenizeContext, effects: Effects): undefined {
  effects.exit('definitionDescription')
}

/** A list being built by the resolver. */
interface ListInfo {
  /** The `definitionList` token. */
  token: Token
  /** Index of the exit of its last description so far. */
  lastExit: number
}

/**
 * Give every description its terms and wrap runs of terms and descriptions
 * in `definitionList` tokens.
 *
 * Runs on the document events, before micromark expands the flow chunks:
 * the paragraph with the terms is still in the events of the flow
 * tokenizer (`chunkFlow._tokenizer`), where it is rewritten in place,
 * keeping one line break per line so the flow events still divide over
 * the document's chunks line by line.
 */
function resolveAllDefinitionList(events: Event[], context: TokenizeContext): Event[] {
  const descriptions: Array<{enter: number; exit: number}> = []
  const open: number[] = []

  events.forEach((event, index) => {
    if (event[1].type !== 'definitionDescription') return
    if (event[0] === 'enter') {
      open.push(index)
    } else {
      const enter = open.pop()
      if (enter !== undefined) descriptions.push({enter, exit: index})
    }
  })

  if (descriptions.length === 0) return events
  descriptions.sort((a, b) => a.enter - b.enter)
  const listByExit = new Map<number, ListInfo>()
  const lists: ListInfo[] = []
  const before = new Map<number, Event[]>()

  for (const {enter, exit} of descriptions) {
    const token = events[enter]![1]
    let list: ListInfo | undefined
    let start: number = enter
    let index = enter
    token._definitionBefore = 'none'

    // What comes right before the `:`, in the same container?
    while (index--) {
      const [kind, other] = events[index]!
      if (other.type === 'definitionDescription' && kind === 'exit') {
        list = listByExit.get(index)
        token._definitionBefore = 'description'
        break
      }

      if (other.type === types.chunkFlow) {
        const terms = takeTerms(events, index)
        if (terms) {
          token._definitionBefore = terms.loose ? 'loose' : 'tight'
          start = terms.firstChunk
          list = listBefore(events, terms.firstChunk, listByExit)
        }

        break
      }

      if (other._container || other.type === types.listItemPrefix) break
    }

    if (list) {
      listByExit.delete(list.lastExit)
    } else {
      const startEvent = events[start]![1]
      list = {
        token: {type: 'definitionList', _container: true, start: {...startEvent.start}, end: {...token.end}},
        lastExit: exit
      }
      lists.push(list)
      const here = before.get(start) ?? []
      here.push(['enter', list.token, context])
      before.set(start, here)
    }

    list.lastExit = exit
    list.token.end = {...events[exit]![1].end}
    listByExit.set(exit, list)
  }

  // A list closes right after its last description (no two lists share one).
  const after = new Map<number, Event[]>()
  for (const list of lists) after.set(list.lastExit, [['exit', list.token, context]])

  const result: Event[] = []
  events.forEach((event, index) => {
    const head = before.get(index)
    if (head) result.push(...head)
    result.push(event)
    const rest = after.get(index)
    if (rest) result.push(...rest)
  })
  return result
}

/**
 * The list a run of terms continues: one whose last description ends right
 * before them, in the same container.
 */
function listBefore(
  events: Event[],
  firstChunk: number,
  listByExit: Map<number, ListInfo>
): ListInfo | undefined {
  let index = firstChunk

  while (index--) {
    const [kind, token] = events[index]!
    if (token.type === 'definitionDescription' && kind === 'exit') return listByExit.get(index)
    if (token.type === types.chunkFlow || token._container || token.type === types.listItemPrefix) {
      return undefined
    }
  }

  return undefined
}

/**
 * Turn the paragraph that ends the flow of the chunk at `chunkIndex` into
 * terms, when it is a sibling of the description (no container starts or
 * ends between them).
 */
function takeTerms(
  events: Event[],
  chunkIndex: number
): {firstChunk: number; loose: boolean} | undefined {
  const flow = events[chunkIndex]![1]._tokenizer
  if (!flow) return undefined
  const flowEvents = flow.events
  let index = flowEvents.length
  let loose = false

  // The block before: a `content` whose last part is a paragraph.
  while (index--) {
    const token = flowEvents[index]![1]
    if (token.type === types.lineEndingBlank) loose = true
    if (!skippedInFlow.has(token.type)) break
  }

  const contentExit = index
  if (contentExit < 0 || flowEvents[contentExit]![1].type !== types.content) return undefined
  const paragraphExit = contentExit - 1
  const paragraphEvent = flowEvents[paragraphExit]
  if (!paragraphEvent || paragraphEvent[0] !== 'exit' || paragraphEvent[1].type !== types.paragraph) {
    return undefined
  }

  let paragraphEnter = paragraphExit
  while (paragraphEnter-- > 0) {
    const event = flowEvents[paragraphEnter]!
    if (event[0] === 'enter' && event[1].type === types.paragraph) break
  }

  let contentEnter = paragraphEnter
  while (contentEnter-- > 0) {
    const event = flowEvents[contentEnter]!
    if (event[0] === 'enter' && event[1].type === types.content) break
  }

  if (contentEnter < 0) return undefined
  const firstLine = flowEvents[paragraphEnter]![1].start.line

  // The paragraph must be in the description's container: walk back over
  // the chunks of this flow to its first line, meeting no container.
  let firstChunk: number | undefined
  index = chunkIndex + 1
  while (index--) {
    const token = events[index]![1]
    if (token.type === types.chunkFlow && token._tokenizer === flow) {
      if (token.start.line <= firstLine) {
        firstChunk = events[index]![0] === 'enter' ? index : index - 1
        break
      }
    } else if (token._container || token.type === types.listItemPrefix) {
      return undefined
    }
  }

  if (firstChunk === undefined) return undefined
  const terms = termEvents(flowEvents.slice(paragraphEnter, paragraphExit + 1))
  if (!terms) return undefined

  // `content` tokens mean nothing after this point; dropping them keeps
  // link reference definitions before the terms in place.
  flowEvents.splice(paragraphEnter, paragraphExit - paragraphEnter + 1, ...terms)
  flowEvents.splice(contentExit - (paragraphExit - paragraphEnter + 1) + terms.length, 1)
  flowEvents.splice(contentEnter, 1)
  return {firstChunk, loose}
}

/**
 * Rewrite a paragraph (`enter paragraph`, `chunkText` per line, `exit
 * paragraph`) as one `definitionTerm` per line, each holding its line
 * without the line ending as a `chunkText` of its own, separated by
 * `lineEnding` tokens.
 */
function termEvents(paragraph: Event[]): Event[] | undefined {
  const context = paragraph[0]![2]
  const result: Event[] = []
  const chunks = paragraph.filter((event) => event[1].type === types.chunkText && event[0] === 'enter')

  for (const [, chunk, chunkContext] of chunks) {
    let end = chunk.end
    let lineEnding: Token | undefined

    if (chunk.next) {
      // The line ending is the single chunk right before the end point.
      const before = {...end, _index: end._index - 1, _bufferIndex: -1}
      const stream = chunkContext.sliceStream({start: before, end})
      const code = stream[0]
      if (
        stream.length !== 1 ||
        (code !== codes.lineFeed && code !== codes.carriageReturn && code !== codes.carriageReturnLineFeed)
      ) {
        return undefined
      }

      const size = code === codes.carriageReturnLineFeed ? 2 : 1
      before.line = end.line - 1
      before.offset = end.offset - size
      before.column = chunk.start.column + (before.offset - chunk.start.offset)
      lineEnding = {type: types.lineEnding, start: before, end: {...end}}
      end = before
    }

    const term: Token = {type: 'definitionTerm', start: {...chunk.start}, end: {...end}}
    const text: Token = {type: types.chunkText, contentType: 'text', start: {...chunk.start}, end: {...end}}
    result.push(
      ['enter', term, context],
      ['enter', text, chunkContext],
      ['exit', text, chunkContext],
      ['exit', term, context]
    )
    if (lineEnding) result.push(['enter', lineEnding, chunkContext], ['exit', lineEnding, chunkContext])
  }

  return result
}

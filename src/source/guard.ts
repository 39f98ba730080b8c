/**
 * The content guard: one linear scan of a post's Markdown, before it is
 * parsed, that refuses input the parser would choke on (a hang, or a stack
 * overflow) with a message an author can act on.
 *
 * micromark, like most Markdown parsers, is quadratic or worse on some
 * inputs (cmark's and md4c's pathological families: thousands of nested
 * block quotes or list items, `[` runs, emphasis that never closes, `<!--`
 * or backtick runs that never end...), and the renderers recurse once per
 * level of nesting. The guard measures what drives those costs:
 *
 * - `markdown-too-large`: the whole text, in characters;
 * - `markdown-too-deep`: block containers (block quotes, list items,
 *   admonitions, content tabs, definitions, directives) nested on a line;
 *   emphasis-like spans and brackets nested in a paragraph; braces nested in
 *   a paragraph (math); HTML elements nested in the post;
 * - `markdown-too-complex`: an estimate of the parser's work on inline
 *   content (each delimiter costs the distance the parser walks from it to
 *   its partner, or to the end of the paragraph when there is none), so a
 *   paragraph of ordinary prose costs about its length and one of 5,000
 *   `]` with no `[` costs millions.
 *
 * The limits come from measurements (see `defaultLimits`); no real post
 * comes near them. What a cheap scan cannot see is still bounded: `parseFile`
 * turns a stack overflow into a `ContentLimitError` too (`stackLimitError`).
 */

/** Limits of one post; see `defaultLimits` for the values and why. */
export interface ContentLimits {
  /** Characters in the post (frontmatter included). */
  maxLength: number
  /** Blocks in the post: list items, quotes, admonitions, tabs, definitions, table rows, fences, headings. */
  maxBlocks: number
  /** Inline markers in the post: runs of `*`, `_`, `` ` ``, `~`, `=`, `^`, `+`, `$`, and each `[`, `]`, `<`, `{`. */
  maxMarkers: number
  /** Block containers open on one line: quotes, list items, admonitions, tabs, definitions, directives. */
  maxBlockDepth: number
  /** Emphasis-like spans (`*`, `_`, `==`, `^^`, `~`, ...) or brackets nested in one paragraph. */
  maxInlineDepth: number
  /** Braces nested in one paragraph (TeX math). */
  maxBraceDepth: number
  /** HTML elements (that need an end tag) open at once in the post. */
  maxHtmlDepth: number
  /** Estimated parser steps spent pairing inline delimiters, in the whole post. */
  maxInlineCost: number
}

/**
 * The default limits, from measurements with the whole dialect (Node 20, 2
 * busy cores, CPU time of parse + web + email render):
 *
 * - ordinary posts go at about 200 KB/s end to end, so 250,000 characters
 *   take about 1-2 s (the largest real post seen is 20 KB; a 10 MB one takes
 *   minutes);
 * - each list item, table row or definition costs about 0.3 ms (and items of
 *   one list render in quadratic time), so 5,000 blocks take about 2 s; a
 *   real 250 KB post has about 700;
 * - dense inline markup (`++ctrl+`, `~a`, backtick pairs) costs up to 0.1 ms
 *   a marker, so 20,000 markers take about 2 s; a real 250 KB post has about
 *   1,500;
 * - 64 block levels and 32 inline levels render in milliseconds (the stack
 *   overflows past a few thousand), as do 256 levels of HTML;
 * - the inline cost model runs at 20-160 ms per million steps on the
 *   quadratic families, so 2,000,000 steps take at most about 0.3 s; a 250 KB
 *   post of ordinary prose costs about 65,000.
 */
export const defaultLimits: Readonly<ContentLimits> = Object.freeze({
  maxLength: 250_000,
  maxBlocks: 5_000,
  maxMarkers: 20_000,
  maxBlockDepth: 64,
  maxInlineDepth: 32,
  maxBraceDepth: 64,
  maxHtmlDepth: 256,
  maxInlineCost: 2_000_000
})

/** Rule ids of the guard (and of the stack-overflow safety net). */
export type ContentLimitRule = 'markdown-too-large' | 'markdown-too-deep' | 'markdown-too-complex'

/**
 * A post over one of the guard's limits, or one the parser or a renderer
 * could not finish (stack overflow). Thrown by `parseFile`; `loadSite` turns
 * it into a fatal message on the post (`file:line:column`, `ruleId`), and
 * `renderFragment` rejects with it.
 */
export class ContentLimitError extends Error {
  override name = 'ContentLimitError'
  /** Kebab-case rule id (`markdown-too-deep`, ...). */
  readonly ruleId: ContentLimitRule
  /** 1-based line where the limit is crossed. */
  readonly line: number
  /** 1-based column where the limit is crossed. */
  readonly column: number
  /** What was found and what to do, for people (also `message`). */
  readonly reason: string

  constructor(reason: string, place: {ruleId: ContentLimitRule; line: number; column: number}) {
    super(reason)
    this.reason = reason
    this.ruleId = place.ruleId
    this.line = place.line
    this.column = place.column
  }
}

/**
 * Scan `text` and return the first limit it crosses, or `undefined`.
 * Linear in the length of the text; never throws.
 */
export function findContentLimit(text: string, limits: Partial<ContentLimits> = {}): ContentLimitError | undefined {
  return new Scanner(text, {...defaultLimits, ...limits}).run()
}

/** Throw a `ContentLimitError` when `text` crosses a limit (see `findContentLimit`). */
export function guardMarkdown(text: string, limits: Partial<ContentLimits> = {}): void {
  const problem = findContentLimit(text, limits)
  if (problem) throw problem
}

/**
 * The safety net for what the scan cannot see: when `error` is a stack
 * overflow in the `parser` or a `renderer`, the `ContentLimitError` to throw
 * instead (at line 1: the overflow does not say where the nesting is);
 * otherwise `undefined`.
 */
export function stackLimitError(error: unknown, who: 'parser' | 'renderer'): ContentLimitError | undefined {
  if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) return undefined
  return new ContentLimitError(
    `this post is nested too deeply for the ${who} (it ran out of stack): ` +
      'flatten nested quotes, lists, emphasis, links or HTML',
    {ruleId: 'markdown-too-deep', line: 1, column: 1}
  )
}

// Character codes.
const tab = 9
const lf = 10
const cr = 13
const space = 32
const bang = 33
const quote = 34
const dollar = 36
const apostrophe = 39
const leftParen = 40
const rightParen = 41
const asterisk = 42
const plus = 43
const dash = 45
const dot = 46
const slash = 47
const colon = 58
const lt = 60
const equals = 61
const gt = 62
const question = 63
const leftBracket = 91
const backslash = 92
const rightBracket = 93
const caret = 94
const underscore = 95
const backtick = 96
const leftBrace = 123
const pipe = 124
const rightBrace = 125
const tilde = 126

/** ASCII characters `scanInline` looks at; everything else is plain text to it. */
const triggers = new Uint8Array(128)
for (const character of ' \t\\*_=^~+$`[]()<>{}"\'') triggers[character.charCodeAt(0)] = 1

/** Container on the block stack: a quote (needs `>` on each line) or an indented body (needs that column). */
const quoteEntry = -1

/** How `scanInline` reads a line. */
const Mode = {Inline: 0, Code: 1, Math: 2} as const
type Mode = (typeof Mode)[keyof typeof Mode]

/** What an inline cost is spent on, to name it in the message. */
const Kind = {Emphasis: 0, Bracket: 1, Code: 2, Html: 3, Span: 4, Destination: 5, Attributes: 6} as const
type Kind = (typeof Kind)[keyof typeof Kind]

const kindText: Record<Kind, {what: string; fix: string}> = {
  [Kind.Emphasis]: {what: '`*` or `_` that close no emphasis', fix: 'escape them (`\\*`, `\\_`)'},
  [Kind.Bracket]: {what: '`[` and `]` that pair far apart or not at all', fix: 'escape them (`\\[`, `\\]`)'},
  [Kind.Code]: {what: 'backtick runs that never close', fix: 'close the code spans or escape the backticks'},
  [Kind.Html]: {what: '`<` that starts an HTML tag, comment or declaration that never ends', fix: 'escape them (`\\<`)'},
  [Kind.Span]: {what: '`==`, `^^`, `^`, `~`, `++` or `$` that never close', fix: 'escape them with `\\`'},
  [Kind.Destination]: {what: 'link destinations `](` that never end', fix: 'close the links'},
  [Kind.Attributes]: {what: 'long attribute lists `{...}`', fix: 'shorten them'}
}

/** Elements that nest in hast and need an end tag (void ones and ones with optional end tags left out). */
const nestingElements = new Set(
  (
    'a abbr address article aside audio b bdi bdo blockquote button canvas center cite code data datalist del ' +
    'details dfn dialog div dl em fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hgroup ' +
    'i iframe ins kbd label legend main map mark menu meter nav noscript object ol output picture pre progress ' +
    'q s samp script section select slot small span strike strong style sub summary sup svg table template ' +
    'textarea time title tt u ul var video math'
  ).split(' ')
)

/** A pending forward scan: openers waiting for a closer (count, sum of positions, first position). */
interface Pending {
  count: number
  sum: number
  first: number
}

/** An emphasis opener on the stack. */
interface Opener {
  pos: number
  len: number
  /** Deepest nesting of spans closed inside this one so far. */
  inner: number
}

/** A backtick run waiting for its closer; HTML depth is restored when it closes (code is not HTML). */
interface CodeRun extends Pending {
  htmlDepth: number
}

class Scanner {
  private readonly text: string
  private readonly limits: ContentLimits
  private problem: ContentLimitError | undefined

  // Position.
  private line = 1
  private lineStart = 0

  // Blocks.
  private readonly stack: number[] = []
  private readonly directives: number[] = []
  /** Open fence: marker, length, block depth at its opening, and whether it is code (or math). */
  private fence: {marker: number; size: number; depth: number; code: boolean} | undefined
  private inTable = false
  /** Blocks each row of the current table counts for. */
  private tableWeight = 1
  private inIndentedCode = false
  private frontmatter = false

  // The current inline chunk (a paragraph, a heading, a table row, ...).
  private chunkStart = -1
  private prev = lf
  private readonly openers = new Map<number, Opener[]>()
  private brackets: number[] = []
  private codeRuns = new Map<number, CodeRun>()
  private spans = new Map<number, Pending>()
  private readonly html = {tag: newPending(), comment: newPending(), instruction: newPending(), cdata: newPending()}
  private destination = newPending()
  /** Link titles (`"..."`, `'...'`, `(...)`) after a destination: each scans to its closing mark. */
  private readonly titles = {double: newPending(), single: newPending(), paren: newPending()}
  private titleNext = false
  private braces: number[] = []
  private braceSpaces: number[] = []
  private spaces = 0

  // Totals.
  private cost = 0
  private readonly chunkCost: number[] = [0, 0, 0, 0, 0, 0, 0]
  private readonly chunkCount: number[] = [0, 0, 0, 0, 0, 0, 0]
  private htmlDepth = 0
  private blocks = 0
  private markers = 0
  /** Position of the last `<name` counted as an open element, until its `>` (a `/>` undoes it). */
  private tagOpen = -1

  constructor(text: string, limits: ContentLimits) {
    this.text = text
    this.limits = limits
  }

  run(): ContentLimitError | undefined {
    const text = this.text
    // A post over the size limit is refused for that first, whatever else
    // it holds; other limits are reported in reading order.
    const limit = text.length
    if (limit > this.limits.maxLength) {
      return new ContentLimitError(
        `this post is ${formatCount(text.length)} characters long; letterpress reads at most ` +
          `${formatCount(this.limits.maxLength)} per post: split it into several posts`,
        {ruleId: 'markdown-too-large', ...this.locate(this.limits.maxLength)}
      )
    }
    this.frontmatter = hasFrontmatter(text)
    let start = 0
    while (start <= limit && !this.problem) {
      let end = start
      while (end < limit) {
        const code = text.charCodeAt(end)
        if (code === lf || code === cr) break
        end++
      }
      this.scanLine(start, end)
      if (end >= limit) break
      const next = text.charCodeAt(end) === cr && text.charCodeAt(end + 1) === lf ? end + 2 : end + 1
      this.line++
      this.lineStart = next
      start = next
    }
    if (!this.problem) this.endChunk(limit)
    return this.problem
  }

  /** Line and column of an offset (only on the error path: a scan from the start). */
  private locate(offset: number): {line: number; column: number} {
    let line = 1
    let lineStart = 0
    for (let index = 0; index < offset; index++) {
      const code = this.text.charCodeAt(index)
      if (code === lf || (code === cr && this.text.charCodeAt(index + 1) !== lf)) {
        line++
        lineStart = index + 1
      }
    }
    return {line, column: offset - lineStart + 1}
  }

  private fail(reason: string, ruleId: ContentLimitRule, offset: number): void {
    if (this.problem) return
    // The scanner knows the line of offsets on the current line; others are located from the start.
    const place = offset >= this.lineStart ? {line: this.line, column: offset - this.lineStart + 1} : this.locate(offset)
    this.problem = new ContentLimitError(reason, {ruleId, ...place})
  }

  // ---------------------------------------------------------------- blocks

  private scanLine(start: number, end: number): void {
    const text = this.text

    if (this.frontmatter && this.line > 1 && /^(?:---|\.\.\.)\s*$/.test(text.slice(start, Math.min(end, start + 16)))) {
      // End of YAML frontmatter: it is one chunk of its own.
      this.frontmatter = false
      this.endChunk(end)
      return
    }

    // Which open containers does this line continue?
    let index = start
    let column = 0
    let matched = 0
    const stack = this.stack
    while (matched < stack.length) {
      const entry = stack[matched]!
      let probe = index
      let probeColumn = column
      if (entry === quoteEntry) {
        while (probe < end && text.charCodeAt(probe) === space && probeColumn - column < 3) {
          probe++
          probeColumn++
        }
        if (probe < end && text.charCodeAt(probe) === gt) {
          index = probe + 1
          column = probeColumn + 1
          const after = text.charCodeAt(index)
          if (index < end && (after === space || after === tab)) {
            index++
            column = after === tab ? column + 4 - (column % 4) : column + 1
          }
          matched++
          continue
        }
        break
      }
      while (probe < end && probeColumn < entry) {
        const code = text.charCodeAt(probe)
        if (code === space) probeColumn++
        else if (code === tab) probeColumn += 4 - (probeColumn % 4)
        else break
        probe++
      }
      if (probeColumn >= entry || probe === end) {
        index = probe
        column = probeColumn
        matched++
        continue
      }
      break
    }

    const blank = isBlank(text, index, end)
    if (blank) {
      // A blank line ends every paragraph but no indented container.
      if (this.fence) {
        if (stack.length >= this.fence.depth) return
        this.fence = undefined
      }
      this.inTable = false
      this.endChunk(start)
      return
    }
    if (matched < stack.length) stack.length = matched

    if (this.fence && stack.length < this.fence.depth) this.fence = undefined

    // New containers opened on this line.
    const depthBefore = stack.length
    const content = this.openContainers(index, column, end)
    if (this.problem) return
    index = content.index
    column = content.column
    const opened = stack.length > depthBefore

    if (this.fence) {
      if (this.isFenceClose(index, end)) {
        this.fence = undefined
        this.endChunk(start)
        return
      }
      if (this.fence.code) {
        // Code is literal; still, each line is scanned as a chunk of its own,
        // so a fence the scan takes for one (wrongly) costs what its lines cost.
        this.scanInline(index, end, Mode.Inline)
        this.endChunk(end)
      } else {
        // Math: only braces matter (TeX groups nest), over the whole block.
        this.scanInline(index, end, Mode.Math)
      }
      return
    }

    if (opened) this.endChunk(index)
    const indent = leadingColumns(text, index, end, column)
    if (indent - column >= 4 && (this.chunkStart === -1 || this.inIndentedCode)) {
      // Indented code (it cannot interrupt a paragraph): literal, line by line.
      this.inIndentedCode = true
      this.scanInline(index, end, Mode.Code)
      this.endChunk(end)
      return
    }
    this.inIndentedCode = false

    const first = firstNonSpace(text, index, end)
    const code = text.charCodeAt(first)
    if ((code === backtick || code === tilde) && !this.frontmatter) {
      const size = runLength(text, first, end, code)
      // A backtick fence's info string holds no backtick (else it is inline code).
      if (size >= 3 && (code === tilde || !includesCode(text, first + size, end, backtick))) {
        this.endChunk(start)
        this.fence = {marker: code, size, depth: stack.length, code: true}
        this.block(first)
        return
      }
    }
    if (code === dollar && text.charCodeAt(first + 1) === dollar && !this.frontmatter) {
      this.endChunk(start)
      const size = runLength(text, first, end, dollar)
      // `$$ x $$` on one line is a whole block; otherwise the math runs to the next `$$` line.
      if (!/\${2,}\s*$/.test(text.slice(first + size, end)) || isBlank(text, first + size, end)) {
        this.fence = {marker: dollar, size: 2, depth: stack.length, code: false}
        this.block(first)
        this.scanInline(first + size, end, Mode.Math)
      } else {
        this.scanInline(first + size, end, Mode.Math)
        this.endChunk(end)
      }
      return
    }
    if (code === colon && runLength(text, first, end, colon) >= 3 && !this.frontmatter) {
      this.directive(first, end)
      this.endChunk(end)
      return
    }

    if ((code === leftBracket || (code === asterisk && text.charCodeAt(first + 1) === leftBracket)) && isDefinition(text, first, end)) {
      // Reference, footnote and abbreviation definitions cost about what a list item does.
      this.block(first)
    }

    const heading = code === 0x23 /* # */ && /^#{1,6}(?:[ \t]|$)/.test(text.slice(first, first + 8))
    if (heading) {
      this.endChunk(start)
      this.block(first)
    }

    const columns = this.chunkStart !== -1 && !this.inTable ? delimiterCells(text, first, end) : 0
    if (columns > 0) {
      // A table: every row is parsed on its own (cells even), and rendered
      // with as many cells as the delimiter row has: four count as a block.
      this.inTable = true
      this.tableWeight = Math.ceil(columns / 4)
      this.endChunk(start)
      return
    }
    if (this.inTable) {
      this.endChunk(start)
      this.block(first, this.tableWeight)
    }

    this.scanInline(index, end, Mode.Inline)
    if (heading || this.inTable) this.endChunk(end)
  }

  /** Open the containers whose markers start this line; returns where the content starts. */
  private openContainers(start: number, startColumn: number, end: number): {index: number; column: number} {
    const text = this.text
    const stack = this.stack
    let index = start
    let column = startColumn
    // A line like `* * *` or `- - -` is a thematic break, not three list items.
    if (isThematicBreak(text, index, end)) return {index, column}

    while (index < end) {
      let probe = index
      let probeColumn = column
      while (probe < end) {
        const code = text.charCodeAt(probe)
        if (code === space) probeColumn++
        else if (code === tab) probeColumn += 4 - (probeColumn % 4)
        else break
        probe++
      }
      if (probe >= end || probeColumn - column >= 4) break
      const code = text.charCodeAt(probe)
      const markerColumn = probeColumn
      let after = -1

      if (code === gt) {
        stack.push(quoteEntry)
        this.block(probe)
        index = probe + 1
        column = probeColumn + 1
        const next = text.charCodeAt(index)
        if (index < end && (next === space || next === tab)) {
          index++
          column = next === tab ? column + 4 - (column % 4) : column + 1
        }
        if (this.checkDepth(probe, end)) return {index, column}
        continue
      }
      if (code === dash || code === asterisk || code === plus) {
        after = probe + 1
      } else if (code >= 48 && code <= 57) {
        let digits = probe
        while (digits < end && digits - probe < 10 && isDigit(text.charCodeAt(digits))) digits++
        const marker = text.charCodeAt(digits)
        if (digits - probe <= 9 && (marker === dot || marker === rightParen)) after = digits + 1
      } else if (
        ((code === bang || code === question) && runLength(text, probe, end, code) === 3) ||
        (code === equals && runLength(text, probe, end, code) === 3 && /^===[!+]?[ \t]+"/.test(text.slice(probe, probe + 8)))
      ) {
        // `!!! note`, `??? note`, `=== "Tab"`: the body is indented 4 columns past the marker.
        stack.push(markerColumn + 4)
        this.block(probe)
        this.checkDepth(probe, end)
        return {index: end, column}
      } else if (code === colon && /^:[ \t]{1,3}\S/.test(text.slice(probe, probe + 5)) && probe === firstNonSpace(text, start, end)) {
        stack.push(markerColumn + 4)
        this.block(probe)
        index = probe + 1
        column = probeColumn + 1
        if (this.checkDepth(probe, end)) return {index, column}
        continue
      }
      if (after === -1) break
      const next = text.charCodeAt(after)
      if (after < end && next !== space && next !== tab) break
      // Content starts after 1-4 spaces (one, when more: indented code inside the item).
      let contentColumn = probeColumn + (after - probe)
      let contentIndex = after
      let spaces = 0
      while (contentIndex < end && spaces < 5) {
        const code2 = text.charCodeAt(contentIndex)
        if (code2 !== space && code2 !== tab) break
        contentIndex++
        spaces++
      }
      if (spaces === 0 || spaces >= 5 || contentIndex >= end) {
        contentColumn += 1
        contentIndex = Math.min(after + 1, end)
      } else {
        contentColumn += spaces
      }
      stack.push(contentColumn)
      this.block(probe)
      index = contentIndex
      column = contentColumn
      if (this.checkDepth(probe, end)) return {index, column}
    }
    return {index, column}
  }

  /** Count a block (list item, quote, row...) starting at `offset`, as `weight` blocks. */
  private block(offset: number, weight = 1): void {
    this.blocks += weight
    if (this.blocks <= this.limits.maxBlocks) return
    this.fail(
      `this post has more than ${formatCount(this.limits.maxBlocks)} blocks (list items, quotes, table rows, ` +
        `headings, code blocks...); letterpress reads at most ${formatCount(this.limits.maxBlocks)} per post: ` +
        'split it into several posts',
      'markdown-too-large',
      offset
    )
  }

  /** Count one inline marker (a run of `*`, a `[`...) at `offset`. */
  private marker(offset: number): void {
    this.markers++
    if (this.markers <= this.limits.maxMarkers) return
    this.fail(
      `this post has more than ${formatCount(this.limits.maxMarkers)} inline markers (runs of \`*\`, \`_\`, ` +
        `backticks, \`[\`, \`<\`...); letterpress reads at most ${formatCount(this.limits.maxMarkers)} per post: ` +
        'split it into several posts',
      'markdown-too-complex',
      offset
    )
  }

  /** Report when the block stack is over the limit; returns true when it did. */
  private checkDepth(offset: number, end: number): boolean {
    const depth = this.stack.length + this.directives.length
    if (depth <= this.limits.maxBlockDepth) return false
    // Count the rest of this line's markers so the message says how deep it goes.
    const total = depth + countMarkers(this.text, offset + 1, end)
    this.fail(
      `block quotes and lists nested ${formatCount(total)} deep at line ${this.line}; letterpress reads at most ` +
        `${this.limits.maxBlockDepth} levels: flatten the structure`,
      'markdown-too-deep',
      offset
    )
    return true
  }

  /** `:::name` opens a directive, a line of colons alone closes the innermost one it can. */
  private directive(start: number, end: number): void {
    const text = this.text
    const size = runLength(text, start, end, colon)
    if (isBlank(text, start + size, end)) {
      while (this.directives.length > 0 && this.directives[this.directives.length - 1]! <= size) {
        this.directives.pop()
        if (this.directives.length === 0 || this.directives[this.directives.length - 1]! > size) break
      }
      return
    }
    this.directives.push(size)
    this.block(start)
    if (this.stack.length + this.directives.length > this.limits.maxBlockDepth) {
      this.fail(
        `directives (\`:::\`) nested ${formatCount(this.stack.length + this.directives.length)} deep at line ` +
          `${this.line}; letterpress reads at most ${this.limits.maxBlockDepth} levels: flatten the structure`,
        'markdown-too-deep',
        start
      )
    }
  }

  private isFenceClose(start: number, end: number): boolean {
    const fence = this.fence!
    const first = firstNonSpace(this.text, start, end)
    const size = runLength(this.text, first, end, fence.marker)
    return size >= fence.size && isBlank(this.text, first + size, end)
  }

  // ---------------------------------------------------------------- inline

  /** Feed `[start, end)` of one line to the chunk: inline markup, code (nothing to pair) or math (braces only). */
  private scanInline(start: number, end: number, mode: Mode): void {
    const text = this.text
    if (this.chunkStart === -1) {
      this.chunkStart = start
      this.prev = lf
    }
    if (mode === Mode.Code) return
    let index = start
    while (index < end && !this.problem) {
      const code = text.charCodeAt(index)
      if (code >= 128 || triggers[code] === 0 || (mode === Mode.Math && code !== leftBrace && code !== rightBrace && code !== backslash)) {
        // Most characters: nothing to pair, only the flanking of the next marker to know.
        this.prev = code
        this.titleNext = false
        index++
        continue
      }
      switch (code) {
        case backslash: {
          const next = text.charCodeAt(index + 1)
          if (index + 1 < end && isAsciiPunctuation(next)) {
            this.prev = next
            index += 2
            continue
          }
          break
        }
        case space:
        case tab: {
          this.spaces++
          if (this.destination.count > 0) {
            this.resolve(this.destination, index, Kind.Destination)
            this.titleNext = true
          }
          this.prev = code
          index++
          continue
        }
        case quote:
        case apostrophe: {
          const pending = code === quote ? this.titles.double : this.titles.single
          if (pending.count > 0) this.resolve(pending, index, Kind.Destination)
          else if (this.titleNext) add(pending, index)
          break
        }
        case leftParen: {
          if (this.titleNext) add(this.titles.paren, index)
          break
        }
        case asterisk:
        case underscore: {
          const at = index
          index = this.attention(index, end, code)
          this.marker(at)
          continue
        }
        case equals:
        case caret:
        case tilde:
        case plus: {
          const at = index
          index = this.span(index, end, code)
          this.marker(at)
          continue
        }
        case dollar: {
          const pending = this.pendingSpan(dollar)
          if (pending.count > 0) this.resolve(pending, index, Kind.Span)
          const next = index + 1 < end ? text.charCodeAt(index + 1) : lf
          if (!isWhitespace(next) && next !== dollar) add(pending, index)
          this.marker(index)
          break
        }
        case backtick: {
          const at = index
          index = this.backticks(index, end)
          this.marker(at)
          continue
        }
        case leftBracket: {
          this.brackets.push(index)
          this.marker(index)
          break
        }
        case rightBracket: {
          this.rightBracket(index, end)
          if (this.html.cdata.count > 0 && text.startsWith(']]>', index)) {
            this.resolve(this.html.cdata, index, Kind.Html)
          }
          this.marker(index)
          break
        }
        case rightParen: {
          if (this.destination.count > 0) this.resolve(this.destination, index, Kind.Destination)
          if (this.titles.paren.count > 0) this.resolve(this.titles.paren, index, Kind.Destination)
          break
        }
        case lt: {
          this.lessThan(index, end)
          this.marker(index)
          break
        }
        case gt: {
          this.greaterThan(index)
          break
        }
        case leftBrace: {
          this.braces.push(index)
          this.braceSpaces.push(this.spaces)
          if (this.braces.length > this.limits.maxBraceDepth) {
            this.fail(
              `braces nested ${formatCount(this.braces.length)} deep in the paragraph at line ${this.lineOf(this.chunkStart)}; ` +
                `letterpress reads at most ${this.limits.maxBraceDepth} levels: simplify the formula`,
              'markdown-too-deep',
              index
            )
          }
          this.marker(index)
          break
        }
        case rightBrace: {
          const open = this.braces.pop()
          const spaces = this.braceSpaces.pop()
          if (open !== undefined && spaces !== undefined) {
            // An attribute list costs its length once per item in it.
            const items = this.spaces - spaces
            if (items > 8) this.spend(Kind.Attributes, ((index - open) * items) / 8, index)
          }
          break
        }
        default:
      }
      // A title may only follow a destination and whitespace.
      this.titleNext = false
      this.prev = code
      index++
    }
    // The line ending: whitespace to the delimiters around it, and the end of a destination.
    if (this.destination.count > 0) {
      this.resolve(this.destination, end, Kind.Destination)
      this.titleNext = true
    }
    this.prev = lf
  }

  /** Line of an offset before the current line (chunk starts): counted back from the current line. */
  private lineOf(offset: number): number {
    if (offset >= this.lineStart) return this.line
    let line = this.line
    for (let index = this.lineStart - 1; index >= offset; index--) {
      const code = this.text.charCodeAt(index)
      if (code === lf || (code === cr && this.text.charCodeAt(index + 1) !== lf)) line--
    }
    return line
  }

  /** A run of `*` or `_`: pairs with the openers before it (as micromark walks back), then may open. */
  private attention(start: number, end: number, marker: number): number {
    const text = this.text
    let index = start
    while (index < end && text.charCodeAt(index) === marker) index++
    let size = index - start
    const before = classify(this.prev)
    const after = classify(index < end ? text.charCodeAt(index) : lf)
    const left = after !== Class.Whitespace && (after !== Class.Punctuation || before !== Class.Other)
    const right = before !== Class.Whitespace && (before !== Class.Punctuation || after !== Class.Other)
    const canOpen = marker === asterisk ? left : left && (!right || before === Class.Punctuation)
    const canClose = marker === asterisk ? right : right && (!left || after === Class.Punctuation)
    let stack = this.openers.get(marker)
    if (!stack) {
      stack = []
      this.openers.set(marker, stack)
    }

    if (canClose) {
      while (size > 0 && stack.length > 0 && !this.problem) {
        const opener = stack[stack.length - 1]!
        const used = Math.min(size, opener.len)
        // One match per `**` or `*`; each walks back to the opener and re-reads what is inside.
        const levels = Math.ceil(used / 2)
        this.spend(Kind.Emphasis, levels * (start - opener.pos), start)
        const depth = opener.inner + levels
        this.checkInlineDepth(depth, 'emphasis', start)
        opener.len -= used
        size -= used
        if (opener.len === 0) {
          stack.pop()
          const outer = stack[stack.length - 1]
          if (outer && outer.inner < depth) outer.inner = depth
        } else if (opener.inner < depth) {
          opener.inner = depth
        }
      }
      // A closer with nothing to close walks back to the start of the paragraph.
      if (size > 0) this.spend(Kind.Emphasis, start - this.chunkStart, start)
    }
    if (canOpen && size > 0) stack.push({pos: start, len: size, inner: 0})
    this.prev = marker
    return index
  }

  private checkInlineDepth(depth: number, what: string, offset: number): void {
    if (depth <= this.limits.maxInlineDepth) return
    this.fail(
      `${what} nested ${formatCount(depth)} deep in the paragraph at line ${this.lineOf(this.chunkStart)}; ` +
        `letterpress reads at most ${this.limits.maxInlineDepth} levels: close them sooner or escape the markers`,
      'markdown-too-deep',
      offset
    )
  }

  /** `==`, `^^`, `^`, `~`, `~~`, `++`: an opener scans forward to the first closer of its size. */
  private span(start: number, end: number, marker: number): number {
    const text = this.text
    let index = start
    while (index < end && text.charCodeAt(index) === marker) index++
    const size = index - start
    if (size <= 2 && (marker !== plus || size === 2) && (marker !== equals || size === 2)) {
      const pending = this.pendingSpan(marker * 4 + size)
      const next = index < end ? text.charCodeAt(index) : lf
      if (pending.count > 0 && !isWhitespace(this.prev)) this.resolve(pending, start, Kind.Span)
      else if (marker === tilde && !isWhitespace(this.prev)) {
        // GFM strikethrough walks back over the paragraph for an opener.
        this.spend(Kind.Span, start - this.chunkStart, start)
      }
      if (!isWhitespace(next)) add(pending, start)
    }
    this.prev = marker
    return index
  }

  private pendingSpan(key: number): Pending {
    let pending = this.spans.get(key)
    if (!pending) {
      pending = newPending()
      this.spans.set(key, pending)
    }
    return pending
  }

  /** A backtick run: closes the pending run of its size, or waits for one. */
  private backticks(start: number, end: number): number {
    const index = start + runLength(this.text, start, end, backtick)
    const size = index - start
    const pending = this.codeRuns.get(size)
    if (pending && pending.count > 0) {
      this.resolve(pending, start, Kind.Code)
      // What looked like HTML inside the code span was not.
      this.htmlDepth = pending.htmlDepth
      this.codeRuns.delete(size)
    } else {
      const run: CodeRun = pending ?? {...newPending(), htmlDepth: this.htmlDepth}
      if (run.count === 0) run.htmlDepth = this.htmlDepth
      add(run, start)
      this.codeRuns.set(size, run)
    }
    this.prev = backtick
    return index
  }

  private rightBracket(index: number, end: number): void {
    const open = this.brackets.pop()
    if (open === undefined) {
      // A `]` without `[` walks back over the paragraph (GFM footnote calls look for `[^`).
      this.spend(Kind.Bracket, index - this.chunkStart, index)
    } else {
      this.checkInlineDepth(this.brackets.length + 1, 'brackets', index)
      this.spend(Kind.Bracket, index - open, index)
    }
    if (index + 1 < end && this.text.charCodeAt(index + 1) === leftParen) add(this.destination, index + 2)
  }

  private lessThan(index: number, end: number): void {
    const text = this.text
    const next = index + 1 < end ? text.charCodeAt(index + 1) : lf
    if (next === bang) {
      if (text.startsWith('<!--', index)) add(this.html.comment, index)
      else if (text.startsWith('<![CDATA[', index)) add(this.html.cdata, index)
      else add(this.html.tag, index)
      return
    }
    if (next === question) {
      add(this.html.instruction, index)
      return
    }
    const closing = next === slash
    const nameStart = closing ? index + 2 : index + 1
    let nameEnd = nameStart
    while (nameEnd < end && isTagNameChar(text.charCodeAt(nameEnd))) nameEnd++
    if (nameEnd === nameStart) return
    add(this.html.tag, index)
    // Only a real tag nests: the name ends at whitespace, `>`, `/` or the line's end.
    const after = nameEnd < end ? text.charCodeAt(nameEnd) : lf
    if (!isWhitespace(after) && after !== gt && after !== slash) return
    const name = text.slice(nameStart, Math.min(nameEnd, nameStart + 12)).toLowerCase()
    if (!nestingElements.has(name)) return
    if (closing) {
      if (this.htmlDepth > 0) this.htmlDepth--
      return
    }
    this.htmlDepth++
    this.tagOpen = index
    if (this.htmlDepth > this.limits.maxHtmlDepth) {
      this.fail(
        `HTML elements nested ${formatCount(this.htmlDepth)} deep at line ${this.line}; letterpress reads at most ` +
          `${this.limits.maxHtmlDepth} levels: close the elements (\`</${name}>\`)`,
        'markdown-too-deep',
        index
      )
    }
  }

  private greaterThan(index: number): void {
    const text = this.text
    if (this.tagOpen !== -1) {
      if (text.charCodeAt(index - 1) === slash && this.htmlDepth > 0) this.htmlDepth--
      this.tagOpen = -1
    }
    if (this.html.tag.count > 0) this.resolve(this.html.tag, index, Kind.Html)
    if (this.html.comment.count > 0 && text.startsWith('--', index - 2)) this.resolve(this.html.comment, index, Kind.Html)
    if (this.html.instruction.count > 0 && text.charCodeAt(index - 1) === question) {
      this.resolve(this.html.instruction, index, Kind.Html)
    }
  }

  /** Openers waiting in `pending` are answered at `at`: each cost the distance. */
  private resolve(pending: Pending, at: number, kind: Kind): void {
    const cost = pending.count * at - pending.sum
    const first = pending.first
    pending.count = 0
    pending.sum = 0
    pending.first = -1
    this.spend(kind, cost, first === -1 ? at : first)
  }

  private spend(kind: Kind, cost: number, offset: number): void {
    if (cost <= 0) return
    this.cost += cost
    this.chunkCost[kind]! += cost
    this.chunkCount[kind]!++
    if (this.cost <= this.limits.maxInlineCost || this.problem) return
    let worst = kind
    for (let other = 0; other < this.chunkCost.length; other++) {
      if (this.chunkCost[other]! > this.chunkCost[worst]!) worst = other as Kind
    }
    const {what, fix} = kindText[worst]
    const count = this.chunkCount[worst]!
    this.fail(
      `the paragraph at line ${this.lineOf(this.chunkStart)} would take too long to parse: ` +
        `${formatCount(count)} ${what}; letterpress spends at most ${formatCount(this.limits.maxInlineCost)} ` +
        `parser steps on a post's inline markup: ${fix}, or split the paragraph`,
      'markdown-too-complex',
      offset
    )
  }

  /** End of a paragraph (or row, heading...): every opener still waiting scanned to here for nothing. */
  private endChunk(at: number): void {
    if (this.chunkStart === -1) return
    for (const run of this.codeRuns.values()) if (run.count > 0) this.resolve(run, at, Kind.Code)
    for (const pending of this.spans.values()) if (pending.count > 0) this.resolve(pending, at, Kind.Span)
    for (const pending of Object.values(this.html)) if (pending.count > 0) this.resolve(pending, at, Kind.Html)
    if (this.destination.count > 0) this.resolve(this.destination, at, Kind.Destination)
    for (const pending of Object.values(this.titles)) if (pending.count > 0) this.resolve(pending, at, Kind.Destination)
    this.titleNext = false
    this.codeRuns.clear()
    this.spans.clear()
    this.openers.clear()
    this.brackets = []
    this.braces = []
    this.braceSpaces = []
    this.chunkCost.fill(0)
    this.chunkCount.fill(0)
    this.tagOpen = -1
    this.chunkStart = -1
    this.prev = lf
  }
}

const Class = {Whitespace: 0, Punctuation: 1, Other: 2} as const
type Class = (typeof Class)[keyof typeof Class]

function classify(code: number): Class {
  if (isWhitespace(code)) return Class.Whitespace
  if (code < 128) return isAsciiPunctuation(code) ? Class.Punctuation : Class.Other
  return unicodePunctuation.test(String.fromCharCode(code)) ? Class.Punctuation : Class.Other
}

const unicodePunctuation = /[\p{P}\p{S}]/u

function isWhitespace(code: number): boolean {
  return code === space || code === tab || code === lf || code === cr || code === 12 || code === 0xa0 || code === 0x3000
}

function isAsciiPunctuation(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

function isTagNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) || code === dash
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code !== space && code !== tab) return false
  }
  return true
}

function firstNonSpace(text: string, start: number, end: number): number {
  let index = start
  while (index < end) {
    const code = text.charCodeAt(index)
    if (code !== space && code !== tab) break
    index++
  }
  return index
}

function leadingColumns(text: string, start: number, end: number, column: number): number {
  let index = start
  let at = column
  while (index < end) {
    const code = text.charCodeAt(index)
    if (code === space) at++
    else if (code === tab) at += 4 - (at % 4)
    else break
    index++
  }
  return at
}

function includesCode(text: string, start: number, end: number, code: number): boolean {
  for (let index = start; index < end; index++) if (text.charCodeAt(index) === code) return true
  return false
}

function runLength(text: string, start: number, end: number, code: number): number {
  let index = start
  while (index < end && text.charCodeAt(index) === code) index++
  return index - start
}

/** `* * *`, `---`, `_ _ _`: three or more of one marker and nothing else but spaces. */
function isThematicBreak(text: string, start: number, end: number): boolean {
  const first = firstNonSpace(text, start, end)
  const marker = text.charCodeAt(first)
  if (marker !== asterisk && marker !== dash && marker !== underscore) return false
  let count = 0
  for (let index = first; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code === marker) count++
    else if (code !== space && code !== tab) return false
  }
  return count >= 3
}

/** Cells of a GFM table's delimiter row (`| --- | :-: |`, a pipe somewhere), or 0 when the line is not one. */
function delimiterCells(text: string, start: number, end: number): number {
  let cells = 0
  let dashes = 0
  let pipes = 0
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code === pipe) {
      pipes++
      if (dashes > 0) cells++
      dashes = 0
    } else if (code === dash) dashes++
    else if (code !== colon && code !== space && code !== tab) return 0
  }
  if (dashes > 0) cells++
  return pipes > 0 ? cells : 0
}

/** `[label]: ...`, `[^note]: ...` or `*[ABBR]: ...`: a `]:` on the line. */
function isDefinition(text: string, start: number, end: number): boolean {
  for (let index = start + 1; index < end - 1; index++) {
    if (text.charCodeAt(index) === rightBracket && text.charCodeAt(index + 1) === colon) return true
  }
  return false
}

/** Count container markers (`>`, `-`, `*`, `+`, `1.`) in the rest of a line, for the message. */
function countMarkers(text: string, start: number, end: number): number {
  let count = 0
  let index = start
  while (index < end) {
    const code = text.charCodeAt(index)
    if (code === gt) {
      count++
      index++
    } else if ((code === dash || code === asterisk || code === plus) && isWhitespace(text.charCodeAt(index + 1))) {
      count++
      index += 2
    } else if (code === space || code === tab) {
      index++
    } else if (isDigit(code)) {
      let digits = index
      while (digits < end && isDigit(text.charCodeAt(digits))) digits++
      const marker = text.charCodeAt(digits)
      if ((marker === dot || marker === rightParen) && isWhitespace(text.charCodeAt(digits + 1))) {
        count++
        index = digits + 2
      } else break
    } else break
  }
  return count
}

/** YAML frontmatter: a first line `---` and a later line `---` (or `...`), as remark-frontmatter reads it. */
function hasFrontmatter(text: string): boolean {
  if (!/^---[ \t]*\r?\n/.test(text.slice(0, 8))) return false
  const pattern = /\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/g
  return pattern.test(text)
}

function newPending(): Pending {
  return {count: 0, sum: 0, first: -1}
}

function add(pending: Pending, at: number): void {
  if (pending.count === 0) pending.first = at
  pending.count++
  pending.sum += at
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

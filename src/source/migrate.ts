/**
 * Where a post written for MkDocs (Python-Markdown) reads differently here
 * (CommonMark, micromark), and what else `check --fix` can repair without
 * changing what the post says. Found from the parsed tree and its
 * positions, each with the minimal source edits that make the two agree:
 *
 * - `pymd-emphasis`: `*` / `_` runs micromark left as text (not flanking,
 *   as in `learning**[2]**`) that Python-Markdown pairs; the pair becomes
 *   `<strong>` / `<em>` tags, which both read the same.
 * - `pymd-mailto-space`: `[me](mailto: a@b.org)`, no link in CommonMark; the
 *   space goes.
 * - `pymd-html-block`: a line holding only an inline tag (`<sup>`) opens an
 *   HTML block in CommonMark, so the Markdown after it stays raw; Python-
 *   Markdown reads a paragraph. The next line joins the tag's line.
 * - `date-human`: a frontmatter date the reader accepts, not written as ISO
 *   8601; rewritten as ISO.
 * - `path-backslash` (the message comes from the link resolver): the
 *   backslashes of a local link or image path become slashes.
 *
 * Pure: text and tree in, findings out.
 */
import type {Nodes, Parent, Root, Yaml} from 'mdast'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {visit} from '../syntax/walk.js'
import {isMap, isScalar, type Node as YamlNode} from 'yaml'
import {frontmatterYaml, parseDate} from './frontmatter.js'
import {createParser, type Parser} from './parse.js'

/** Replace `text.slice(start, end)` with `insert`. */
export interface SourceEdit {
  start: number
  end: number
  insert: string
}

/** One place that reads differently, or can be repaired, and how to repair it. */
export interface Finding {
  ruleId: 'pymd-emphasis' | 'pymd-mailto-space' | 'pymd-html-block' | 'date-human' | 'path-backslash'
  reason: string
  place: {start: Point; end: Point}
  /** Empty when no safe edit exists (the message says why). */
  edits: SourceEdit[]
}

/** The rules `findMigrationProblems` reports as messages (path-backslash is the resolver's). */
export const migrationRules = ['pymd-emphasis', 'pymd-mailto-space', 'pymd-html-block', 'date-human'] as const

/** Every finding of a parsed post, in document order. */
export function findMigrationProblems(tree: Root, text: string): Finding[] {
  const at = pointer(text)
  const findings = [
    ...findEmphasis(tree, text, at),
    ...findMailtoSpace(tree, text, at),
    ...findHtmlBlocks(tree, text, at),
    ...findHumanDates(tree, text, at),
    ...findBackslashPaths(tree, text, at)
  ]
  return findings.sort((a, b) => a.place.start.offset! - b.place.start.offset!)
}

/** Apply edits that do not overlap to `text` (one overlapping an earlier one is dropped). */
export function applyEdits(text: string, edits: readonly SourceEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end)
  let result = ''
  let last = 0
  for (const edit of sorted) {
    if (edit.start < last) continue
    result += text.slice(last, edit.start) + edit.insert
    last = edit.end
  }
  return result + text.slice(last)
}

type Pointer = (offset: number) => Point

/** Offset in `text` to its line and column (every offset passed is inside `text` or at its end). */
function pointer(text: string): Pointer {
  const place = location(text)
  return (offset) => place.toPoint(offset) as Point
}

function span(at: Pointer, start: number, end: number): {start: Point; end: Point} {
  return {start: at(start), end: at(end)}
}

/** A run of `*` or `_` that micromark left as text. */
interface DelimiterRun {
  marker: '*' | '_'
  length: number
  start: number
  canOpen: boolean
  canClose: boolean
}

const wordCharacter = /[\p{L}\p{N}]/u
const whitespace = /\s/

/**
 * Runs Python-Markdown pairs that micromark did not. Python-Markdown pairs
 * a run with the next run of the same marker and length when the opener is
 * not followed by whitespace and the closer not preceded by it; `_` must
 * not touch a letter on the outside (its smart emphasis). Runs are looked
 * for in the source of the text nodes of one parent, so a pair may enclose
 * a link or code span, as it does in Python-Markdown.
 */
function findEmphasis(tree: Root, text: string, at: Pointer): Finding[] {
  const findings: Finding[] = []
  visit(tree, (node) => {
    if (!('children' in node) || !node.children.some((child) => child.type === 'text')) return
    const runs: DelimiterRun[] = []
    for (const child of (node as Parent).children) {
      if (child.type !== 'text' || child.position?.start.offset === undefined) continue
      runs.push(...delimiterRuns(text, child.position.start.offset, child.position.end.offset!))
    }
    const open: DelimiterRun[] = []
    for (const run of runs) {
      const opener = run.canClose ? open.findLastIndex((other) => other.marker === run.marker && other.length === run.length) : -1
      if (opener !== -1) {
        const first = open[opener]!
        open.length = opener
        const [openTag, closeTag] = tags(run.length)
        findings.push({
          ruleId: 'pymd-emphasis',
          reason:
            `\`${first.marker.repeat(first.length)}\` pair that CommonMark leaves as text (a delimiter next to punctuation or inside a word) ` +
            `and Python-Markdown reads as ${openTag}; write the tags, or put the delimiters where they flank the text`,
          place: span(at, first.start, first.start + first.length),
          edits: [
            {start: first.start, end: first.start + first.length, insert: openTag},
            {start: run.start, end: run.start + run.length, insert: closeTag}
          ]
        })
      } else if (run.canOpen) {
        open.push(run)
      }
    }
  })
  return findings
}

function tags(length: number): [string, string] {
  if (length === 1) return ['<em>', '</em>']
  if (length === 2) return ['<strong>', '</strong>']
  return ['<strong><em>', '</em></strong>']
}

/** The `*` and `_` runs (of 1 to 3) in `text.slice(start, end)`, escapes skipped. */
function delimiterRuns(text: string, start: number, end: number): DelimiterRun[] {
  const runs: DelimiterRun[] = []
  let index = start
  while (index < end) {
    const character = text[index]!
    if (character === '\\') {
      index += 2
      continue
    }
    if (character !== '*' && character !== '_') {
      index++
      continue
    }
    let stop = index
    while (stop < end && text[stop] === character) stop++
    const before = text[index - 1] ?? ' '
    const after = text[stop] ?? ' '
    const length = stop - index
    if (length <= 3) {
      const underscore = character === '_'
      runs.push({
        marker: character,
        length,
        start: index,
        canOpen: !whitespace.test(after) && !(underscore && wordCharacter.test(before)),
        canClose: !whitespace.test(before) && !(underscore && wordCharacter.test(after))
      })
    }
    index = stop
  }
  return runs
}

/** `](mailto: ` in text: a link CommonMark did not read because of the space. */
function findMailtoSpace(tree: Root, text: string, at: Pointer): Finding[] {
  const findings: Finding[] = []
  visit(tree, 'text', (node) => {
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    if (start === undefined || end === undefined) return
    const source = text.slice(start, end).toLowerCase()
    for (let index = source.indexOf('](mailto:'); index !== -1; index = source.indexOf('](mailto:', index + 1)) {
      const spaceStart = start + index + '](mailto:'.length
      let spaceEnd = spaceStart
      while (text[spaceEnd] === ' ' || text[spaceEnd] === '\t') spaceEnd++
      if (spaceEnd === spaceStart) continue
      findings.push({
        ruleId: 'pymd-mailto-space',
        reason: 'A space after `mailto:` makes this no link in CommonMark (Python-Markdown links it); remove the space',
        place: span(at, start + index + 2, spaceEnd),
        edits: [{start: spaceStart, end: spaceEnd, insert: ''}]
      })
    }
  })
  return findings
}

/**
 * Python-Markdown's block-level elements (`markdown.util.BLOCK_LEVEL_ELEMENTS`):
 * a line that starts with one of these opens raw HTML there too.
 */
const pythonBlockTags = new Set(
  ('address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header ' +
    'hgroup hr main menu nav ol p pre section table ul canvas colgroup dd body dt group html iframe li legend math ' +
    'map noscript output object option progress script style summary tbody td textarea tfoot th thead tr video center')
    .split(' ')
)

let markdownOnly: Parser | undefined

/**
 * An HTML block that CommonMark starts because a line holds only an inline
 * tag (`<sup>`, `<span class="x">`), with Markdown after it that stays raw;
 * Python-Markdown reads the lines as a paragraph and renders the Markdown.
 * The fix joins the next line to the tag's line (HTML reads that line break
 * and a space alike), which makes it a paragraph in CommonMark too.
 */
function findHtmlBlocks(tree: Root, text: string, at: Pointer): Finding[] {
  const findings: Finding[] = []
  visit(tree, 'html', (node, _index, parent) => {
    if (!parent || parent.type === 'paragraph' || parent.type === 'heading' || parent.type === 'tableCell') return
    const start = node.position?.start.offset
    if (start === undefined) return
    const newline = node.value.indexOf('\n')
    if (newline === -1) return
    const tag = /^<([a-z][a-z\d-]*)(?:\s[^<>]*)?>[ \t]*$/i.exec(node.value.slice(0, newline))?.[1]?.toLowerCase()
    if (!tag || pythonBlockTags.has(tag)) return
    const joined = node.value.slice(0, newline).trimEnd() + ' ' + node.value.slice(newline + 1).trimStart()
    if (!hasMarkdown(joined)) return
    // In the source, the line break and the next line's container prefix (`> `, indent) give way to one space.
    const breakAt = text.indexOf('\n', start)
    const secondLine = node.value.slice(newline + 1).split('\n', 1)[0]!.trimStart()
    const contentAt = text.indexOf(secondLine, breakAt)
    const prefix = text.slice(breakAt, contentAt)
    const safe = breakAt !== -1 && contentAt !== -1 && /^\r?\n[ \t>]*$/.test(prefix)
    findings.push({
      ruleId: 'pymd-html-block',
      reason:
        `\`<${tag}>\` alone on its line starts an HTML block in CommonMark, so the Markdown after it stays raw ` +
        `(Python-Markdown renders it); put the next line on the tag's line`,
      place: span(at, start, start + newline),
      edits: safe ? [{start: breakAt - (text[breakAt - 1] === '\r' ? 1 : 0), end: contentAt, insert: ' '}] : []
    })
  })
  return findings
}

/** Whether `markdown` read as one paragraph holds any Markdown construct (a link, emphasis, code). */
function hasMarkdown(markdown: string): boolean {
  markdownOnly ??= createParser()
  const tree = markdownOnly.parse(markdown)
  let found = false
  visit(tree, (node: Nodes) => {
    if (node.type !== 'root' && node.type !== 'paragraph' && node.type !== 'text' && node.type !== 'html' && node.type !== 'break') {
      found = true
    }
  })
  return found
}

const isoDate = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/

/**
 * Frontmatter dates written as text the date reader accepts but not as ISO
 * 8601 (`2024-05-31 9:30`): the ISO form of the same day (and instant).
 * Only a date whose ISO form keeps the calendar day as written is
 * rewritten; a time zone that would move it is reported without an edit.
 */
function findHumanDates(tree: Root, text: string, at: Pointer): Finding[] {
  const yaml = tree.children.find((node): node is Yaml => node.type === 'yaml')
  const start = yaml?.position?.start.offset
  if (!yaml || start === undefined) return []
  const valueStart = text.indexOf(yaml.value, start)
  if (valueStart === -1) return []
  const doc = frontmatterYaml(yaml).document
  const findings: Finding[] = []
  const scalars: Array<YamlNode | undefined> = [
    valueAt(doc.contents, ['date']),
    valueAt(doc.contents, ['updated']),
    valueAt(doc.contents, ['date', 'created']),
    valueAt(doc.contents, ['date', 'updated'])
  ]
  for (const scalar of scalars) {
    if (!isScalar(scalar) || typeof scalar.value !== 'string' || !scalar.range) continue
    const written = scalar.value.trim()
    if (isoDate.test(written)) continue
    const parsed = parseDate(written)
    if ('reason' in parsed) continue
    const iso = parsed.datetime === undefined ? parsed.date : parsed.datetime.startsWith(parsed.date) ? parsed.datetime.replace('.000Z', 'Z') : undefined
    const [from, to] = [valueStart + scalar.range[0], valueStart + scalar.range[1]]
    findings.push({
      ruleId: 'date-human',
      reason:
        iso === undefined
          ? `Date \`${written}\` is not ISO 8601; write it as YYYY-MM-DDTHH:MM:SS with its offset (\`--fix\` leaves it: in UTC it falls on another day)`
          : `Date \`${written}\` is not ISO 8601; write \`${iso}\``,
      place: span(at, from, to),
      edits: iso === undefined ? [] : [{start: from, end: to, insert: iso}]
    })
  }
  return findings
}

function valueAt(node: unknown, keys: readonly string[]): YamlNode | undefined {
  let current = node
  for (const key of keys) {
    if (!isMap(current)) return undefined
    const pair = current.items.find((item) => isScalar(item.key) && item.key.value === key)
    current = pair?.value
  }
  return (current ?? undefined) as YamlNode | undefined
}

/** Local link and image paths with backslashes: the same path with slashes. */
function findBackslashPaths(tree: Root, text: string, at: Pointer): Finding[] {
  const findings: Finding[] = []
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return
    const url = node.url
    if (!url.includes('\\') || /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) return
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    if (start === undefined || end === undefined) return
    // The destination comes after the text, so its last occurrence in the node's source is the one.
    const index = text.slice(start, end).lastIndexOf(url)
    findings.push({
      ruleId: 'path-backslash',
      reason: `Backslash path \`${url}\``,
      place: span(at, start, end),
      edits: index === -1 ? [] : [{start: start + index, end: start + index + url.length, insert: url.replaceAll('\\', '/')}]
    })
  })
  return findings
}

/**
 * Warn on `file` at each place of `tree` that reads differently than in
 * Python-Markdown, and at each human date (`migrationRules`).
 */
export function reportMigrationProblems(tree: Root, file: VFile): void {
  for (const finding of findMigrationProblems(tree, String(file.value))) {
    if (!(migrationRules as readonly string[]).includes(finding.ruleId)) continue
    file.message(finding.reason, {place: finding.place, ruleId: finding.ruleId, source: 'letterpress'})
  }
}

/**
 * The plain-text part of the email, written from the mdast tree (never
 * from the HTML), so it reads like a letter rather than like stripped
 * markup:
 *
 * - headings underlined: `=` for level 1, `-` for 2, `~` for 3, `.` deeper;
 * - lists with markers and nesting, tasks as `[x]`;
 * - admonitions as labelled blocks (`[Warning] Title`, body indented);
 *   tabs as `[Tab: Python]` blocks;
 * - strikethrough as its plain text;
 * - tables as aligned columns, wrapping the widest cells to fit, or one
 *   record per row when even wrapped columns do not fit;
 * - code indented four spaces and never wrapped;
 * - links as numbered references `[1]`, listed under "Links:" by the caller
 *   (or at the end of this text); images as `[Image: alt]`;
 * - footnotes as `[^1]`, their text under "Notes:";
 * - math as Unicode (`math.ts`), else its TeX source;
 * - lines wrapped at 72 columns, except code and words longer than that
 *   (URLs), which are never broken.
 */
import {fromHtml} from 'hast-util-from-html'
import type {Nodes as HastNodes} from 'hast'
import type {
  Definition,
  FootnoteDefinition,
  List,
  ListItem,
  Nodes,
  PhrasingContent,
  Root,
  RootContent,
  Table
} from 'mdast'
import {visit} from '../syntax/walk.js'
import {fenceInfo} from '../render/fence.js'
import {defaultCalloutTitle, keyLabel} from './handlers/index.js'
import {segmentsToText, texToText} from './math.js'
import {absoluteUrl, withUtm, type UtmParameters} from './render.js'
import {createStrings, type Strings} from '../source/strings/index.js'

/** Numbered link references shared by the parts of one email. */
export interface LinkReferences {
  /** The number of `url` (the same URL keeps its number). */
  add(url: string): number
  /** The references added since the last `take`, as `[n] url` lines. */
  take(): string[]
}

/** Create link references numbered from 1 for one email. */
export function createLinkReferences(): LinkReferences {
  const numbers = new Map<string, number>()
  let pending: string[] = []
  return {
    add(url) {
      let number = numbers.get(url)
      if (number === undefined) {
        number = numbers.size + 1
        numbers.set(url, number)
        pending.push(`[${number}] ${url}`)
      }
      return number
    },
    take() {
      const lines = pending
      pending = []
      return lines
    }
  }
}

/** Options for `renderEmailText`. */
export interface TextRenderOptions {
  /** Absolute site URL with a trailing slash. */
  baseUrl: string
  /** Absolute URL of the post's page, for `#anchor` links (default `baseUrl`). */
  pageUrl?: string | undefined
  /** Campaign parameters for links to the site itself. */
  utm?: UtmParameters | undefined
  /** Line width (default 72). */
  width?: number | undefined
  /**
   * Shared numbering across an email. When given, the "Links:" list is
   * left to the caller (`links.take()`); otherwise it ends this text.
   */
  links?: LinkReferences | undefined
  /** Leave out the first level-1 heading (the caller prints the title). */
  dropFirstHeading?: boolean | undefined
  /** The site's strings, for the "Notes:" and "Links:" labels (without: English). */
  strings?: Strings | undefined
}

/** The underline of a heading, by level (deeper than 3 uses the last). */
const headingRules = ['=', '-', '~', '.']

/** Narrowest a wrapped table column may get (its longest word may need more). */
const minimumColumn = 8

/**
 * Column widths that fit `width` with two spaces between columns: the
 * natural `widths` when they fit, else the widest columns narrowed (never
 * below their longest word, nor below `minimumColumn` unless the column is
 * narrower anyway) so their cells wrap. `undefined` when even that is too
 * wide.
 */
function fitColumns(rows: string[][], widths: number[], width: number): number[] | undefined {
  const available = width - 2 * (widths.length - 1)
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
  if (sum(widths) <= available) return widths
  const floors = widths.map((natural, column) => {
    const longestWord = Math.max(0, ...rows.flatMap((row) => (row[column] ?? '').split(/\s+/).map(length)))
    return Math.min(natural, Math.max(longestWord, minimumColumn))
  })
  if (sum(floors) > available) return undefined
  const fitted = [...widths]
  // Take a column at a time from the widest that can still give.
  while (sum(fitted) > available) {
    let widest = -1
    for (let column = 0; column < fitted.length; column++) {
      if (fitted[column]! > floors[column]! && (widest === -1 || fitted[column]! > fitted[widest]!)) widest = column
    }
    fitted[widest]! -= 1
  }
  return fitted
}

/** The standard width of a plain-text email line. */
export const textWidth = 72

/**
 * Render a post (or some of its top-level nodes) as plain text. Footnotes
 * come at the end, under "Notes:".
 */
export function renderEmailText(content: Root | RootContent[], options: TextRenderOptions): string {
  const tree: Root = Array.isArray(content) ? {type: 'root', children: content} : content
  const own = options.links === undefined
  const writer = new TextWriter(tree, options, options.links ?? createLinkReferences())
  let children = tree.children
  if (options.dropFirstHeading) {
    const index = children.findIndex((node) => node.type === 'heading' && node.depth === 1)
    if (index !== -1) children = [...children.slice(0, index), ...children.slice(index + 1)]
  }
  const width = options.width ?? textWidth
  const sections = [writer.blocks(children, width).join('\n')]
  const notes = writer.notes(width)
  const strings = options.strings ?? createStrings('en')
  if (notes.length > 0) sections.push([strings.text('email.notesText'), ...notes].join('\n'))
  if (own) {
    const links = writer.links.take()
    if (links.length > 0) sections.push([strings.text('email.links'), ...links].join('\n'))
  }
  return sections.filter((section) => section.trim() !== '').join('\n\n')
}

/**
 * Wrap `value` at `width` columns on spaces. Hard breaks (`\n`) are kept;
 * a word longer than the width (a URL) gets a line of its own, unbroken.
 */
export function wrapText(value: string, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of value.split('\n')) {
    const words = paragraph.split(/[ \t]+/).filter((word) => word !== '')
    let line = ''
    for (const word of words) {
      if (line === '') line = word
      else if (length(line) + 1 + length(word) <= width) line += ' ' + word
      else {
        lines.push(line)
        line = word
      }
    }
    lines.push(line)
  }
  return lines
}

/** Columns a string takes (code points; good enough for Latin text and emoji). */
function length(value: string): number {
  return [...value].length
}

function pad(value: string, width: number, align: 'left' | 'right' | 'center' | null | undefined): string {
  const missing = Math.max(0, width - length(value))
  if (align === 'right') return ' '.repeat(missing) + value
  if (align === 'center') return ' '.repeat(Math.floor(missing / 2)) + value + ' '.repeat(Math.ceil(missing / 2))
  return value + ' '.repeat(missing)
}

function indent(lines: string[], first: string, rest: string = ' '.repeat(first.length)): string[] {
  return lines.map((line, index) => (line === '' ? '' : (index === 0 ? first : rest) + line))
}

class TextWriter {
  readonly links: LinkReferences
  private readonly definitions = new Map<string, Definition>()
  private readonly footnotes = new Map<string, FootnoteDefinition>()
  private readonly footnoteOrder: string[] = []
  private readonly abbreviationsSeen = new Set<string>()
  private readonly pageUrl: string

  constructor(
    tree: Root,
    private readonly options: TextRenderOptions,
    links: LinkReferences
  ) {
    this.links = links
    this.pageUrl = options.pageUrl ?? options.baseUrl
    visit(tree, (node) => {
      if (node.type === 'definition') {
        const id = node.identifier.toUpperCase()
        if (!this.definitions.has(id)) this.definitions.set(id, node)
      } else if (node.type === 'footnoteDefinition') {
        const id = node.identifier.toUpperCase()
        if (!this.footnotes.has(id)) this.footnotes.set(id, node)
      }
    })
  }

  /** Blocks separated by blank lines. */
  blocks(nodes: readonly Nodes[], width: number, tight = false): string[] {
    const out: string[] = []
    for (const node of nodes) {
      const lines = this.block(node, width)
      if (lines.length === 0) continue
      if (out.length > 0 && !tight) out.push('')
      out.push(...lines)
    }
    return out
  }

  /** The "Notes:" entries, in call order. */
  notes(width: number): string[] {
    const out: string[] = []
    for (let index = 0; index < this.footnoteOrder.length; index++) {
      const definition = this.footnotes.get(this.footnoteOrder[index]!)
      if (!definition) continue
      const marker = `[^${index + 1}] `
      out.push(...indent(this.blocks(definition.children, width - marker.length), marker))
    }
    return out
  }

  private block(node: Nodes, width: number): string[] {
    switch (node.type) {
      case 'heading': {
        const title = this.inline(node.children).replace(/\n/g, ' ').trim()
        const lines = wrapText(title, width)
        const longest = Math.max(...lines.map(length))
        return [...lines, (headingRules[node.depth - 1] ?? '.').repeat(Math.min(longest, width))]
      }
      case 'paragraph':
        return wrapText(this.inline(node.children), width)
      case 'blockquote':
        return this.blocks(node.children, width - 2).map((line) => (line === '' ? '>' : '> ' + line))
      case 'list':
        return this.list(node, width)
      case 'code': {
        const info = fenceInfo(node.lang, node.meta)
        const lines: string[] = []
        if (info.language?.toLowerCase() === 'mermaid') {
          lines.push(...wrapText(`[Diagram: see it on the web: ${this.pageUrl}]`, width), '')
        }
        if (info.title) lines.push(`${info.title}:`)
        lines.push(...node.value.split(/\r?\n/).map((line) => (line === '' ? '' : '    ' + line)))
        return lines
      }
      case 'math': {
        const converted = texToText(node.value)
        const source = converted ?? node.value
        return source.split('\n').map((line) => (line === '' ? '' : '    ' + line))
      }
      case 'thematicBreak':
        return ['* * *']
      case 'table':
        return this.table(node, width)
      case 'html': {
        const value = htmlText(node.value).trim()
        return value === '' ? [] : wrapText(value, width)
      }
      case 'admonition': {
        const [first, ...rest] = node.children
        const body = first?.type === 'admonitionTitle' ? rest : node.children
        const label = `[${defaultCalloutTitle(node.kind || 'note')}]`
        const title = first?.type === 'admonitionTitle' ? this.inline(first.children).trim() : (node.title ?? '')
        const head = title && title.toLowerCase() !== (node.kind || 'note').toLowerCase() ? `${label} ${title}` : label
        return [...wrapText(head, width), ...indent(this.blocks(body, width - 4), '    ')]
      }
      case 'tabSet':
        return this.blocks(node.children, width)
      case 'tab': {
        const [first, ...rest] = node.children
        const body = first?.type === 'tabTitle' ? rest : node.children
        const title = first?.type === 'tabTitle' ? this.inline(first.children).trim() : node.title
        return [...wrapText(`[Tab: ${title}]`, width), ...indent(this.blocks(body, width - 4), '    ')]
      }
      case 'definitionList': {
        const out: string[] = []
        for (const child of node.children) {
          if (child.type === 'definitionTerm') {
            if (out.length > 0) out.push('')
            out.push(...wrapText(this.inline(child.children), width))
          } else {
            out.push(...indent(this.blocks(child.children, width - 4), '    '))
          }
        }
        return out
      }
      case 'admonitionTitle':
      case 'tabTitle':
      case 'definitionTerm':
        return wrapText(this.inline(node.children), width)
      case 'definitionDescription':
        return indent(this.blocks(node.children, width - 4), '    ')
      case 'root':
        return this.blocks(node.children, width)
      case 'definition':
      case 'footnoteDefinition':
      case 'yaml':
      case 'abbreviationDefinition':
        return []
      default: {
        if ('children' in node && Array.isArray(node.children)) {
          // Phrasing content at block level, or a node type we do not know: its text.
          const children = node.children as Nodes[]
          if (children.every((child) => isPhrasing(child))) {
            return wrapText(this.inline(children as PhrasingContent[]), width)
          }
          return this.blocks(children, width)
        }
        if ('value' in node && typeof node.value === 'string') return wrapText(node.value, width)
        return []
      }
    }
  }

  private list(node: List, width: number): string[] {
    const out: string[] = []
    const start = node.start ?? 1
    const last = start + node.children.length - 1
    const numberWidth = String(last).length
    node.children.forEach((item: ListItem, index) => {
      let marker = node.ordered ? `${String(start + index).padStart(numberWidth)}. ` : '- '
      if (typeof item.checked === 'boolean') marker += item.checked ? '[x] ' : '[ ] '
      const spread = node.spread || item.spread
      const lines = this.blocks(item.children, width - marker.length, !spread)
      if (out.length > 0 && node.spread) out.push('')
      out.push(...indent(lines.length > 0 ? lines : [''], marker))
    })
    return out
  }

  private table(node: Table, width: number): string[] {
    const rows = node.children.map((row) =>
      row.children.map((cell) => this.inline(cell.children).replace(/\s*\n\s*/g, ' ').trim())
    )
    const columns = Math.max(0, ...rows.map((row) => row.length))
    const widths = Array.from({length: columns}, (_, column) =>
      Math.max(3, ...rows.map((row) => length(row[column] ?? '')))
    )
    const [header = [], ...body] = rows
    const fitted = fitColumns(rows, widths, width)
    if (fitted) {
      // Each row as many lines as its tallest cell; rows that wrap are set apart by a blank line.
      const line = (row: string[]) => {
        const cells = fitted.map((columnWidth, column) => wrapText(row[column] ?? '', columnWidth))
        const height = Math.max(1, ...cells.map((cell) => cell.length))
        return Array.from({length: height}, (_, index) =>
          fitted.map((columnWidth, column) => pad(cells[column]![index] ?? '', columnWidth, node.align?.[column])).join('  ').trimEnd()
        )
      }
      const wrapped = fitted.some((columnWidth, column) => columnWidth < widths[column]!)
      const out = [...line(header), fitted.map((columnWidth) => '-'.repeat(columnWidth)).join('  ')]
      body.forEach((row, index) => {
        if (wrapped && index > 0) out.push('')
        out.push(...line(row))
      })
      return out
    }
    // Too wide even wrapped (a long word, many columns): one record per row, `Header: value`.
    const out: string[] = []
    for (const row of body) {
      if (out.length > 0) out.push('')
      row.forEach((value, column) => {
        const label = header[column] ? `${header[column]}: ` : ''
        out.push(...indent(wrapText(label + value, width - 4), '', '    '))
      })
    }
    return out
  }

  /** Phrasing content as one string; `\n` only for hard breaks. */
  inline(nodes: readonly Nodes[]): string {
    return nodes.map((node) => this.phrasing(node)).join('')
  }

  private linkNumber(url: string): number | undefined {
    const absolute = absoluteUrl(url, this.options.baseUrl, this.pageUrl)
    if (absolute === undefined) return undefined
    return this.links.add(withUtm(absolute, this.options.baseUrl, this.options.utm))
  }

  private phrasing(node: Nodes): string {
    switch (node.type) {
      case 'text':
        return node.value.replace(/\s*\n\s*/g, ' ')
      case 'emphasis':
        return `_${this.inline(node.children)}_`
      case 'strong':
        return `*${this.inline(node.children)}*`
      case 'delete':
        return this.inline(node.children)
      case 'inlineCode':
        return '`' + node.value + '`'
      case 'break':
        return '\n'
      case 'link':
      case 'linkReference': {
        const url = node.type === 'link' ? node.url : this.definitions.get(node.identifier.toUpperCase())?.url
        const label = this.inline(node.children)
        if (url === undefined) return node.type === 'linkReference' ? `[${label}]` : label
        const bare = url.replace(/^mailto:/i, '')
        if (label === url || label === bare) {
          return absoluteUrl(url, this.options.baseUrl, this.pageUrl) === undefined ? label : bare
        }
        const number = this.linkNumber(url)
        return number === undefined ? label : `${label} [${number}]`
      }
      case 'image':
        return `[Image: ${node.alt ?? ''}]`.replace('[Image: ]', '[Image]')
      case 'imageReference':
        return `[Image: ${node.alt ?? ''}]`.replace('[Image: ]', '[Image]')
      case 'footnoteReference': {
        const id = node.identifier.toUpperCase()
        let index = this.footnoteOrder.indexOf(id)
        if (index === -1) {
          this.footnoteOrder.push(id)
          index = this.footnoteOrder.length - 1
        }
        return `[^${index + 1}]`
      }
      case 'html':
        return htmlText(node.value)
      case 'inlineMath': {
        const converted = texToText(node.value)
        return converted ?? `$${node.value}$`
      }
      case 'emoji':
        return node.value
      case 'keys':
        return (node.keys.length > 0 ? node.keys : node.value.split('+')).map(keyLabel).join('+')
      case 'superscript':
      case 'subscript': {
        const inner = this.inline(node.children)
        return segmentsToText([{type: node.type === 'superscript' ? 'sup' : 'sub', children: [{type: 'text', value: inner}]}])
      }
      case 'abbreviation': {
        const label = this.inline(node.children)
        if (this.abbreviationsSeen.has(label) || !node.title) return label
        this.abbreviationsSeen.add(label)
        return `${label} (${node.title})`
      }
      default:
        if ('children' in node && Array.isArray(node.children)) return this.inline(node.children as Nodes[])
        if ('value' in node && typeof node.value === 'string') return node.value
        return ''
    }
  }
}

const phrasingTypes = new Set([
  'text', 'emphasis', 'strong', 'delete', 'inlineCode', 'break', 'link', 'linkReference', 'image',
  'imageReference', 'footnoteReference', 'html', 'inlineMath', 'emoji', 'keys', 'superscript',
  'subscript', 'abbreviation', 'mark', 'insert'
])

function isPhrasing(node: Nodes): boolean {
  return phrasingTypes.has(node.type)
}

/** The text of a raw HTML snippet: tags dropped, `<br>` as a line break, images as `[Image: alt]`. */
export function htmlText(html: string): string {
  const tree = fromHtml(html, {fragment: true})
  const skip = new Set(['script', 'style', 'template', 'noscript', 'svg', 'math', 'iframe', 'object'])
  const blocks = new Set(['p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'summary', 'table', 'ul', 'ol', 'section', 'figure', 'figcaption'])
  let out = ''
  const walk = (node: HastNodes): void => {
    if (node.type === 'text') out += node.value.replace(/\s+/g, ' ')
    else if (node.type === 'element') {
      if (skip.has(node.tagName)) return
      if (node.tagName === 'br') {
        out += '\n'
        return
      }
      if (node.tagName === 'img') {
        const alt = node.properties['alt']
        out += typeof alt === 'string' && alt !== '' ? `[Image: ${alt}]` : '[Image]'
        return
      }
      const block = blocks.has(node.tagName)
      if (block && out !== '' && !out.endsWith('\n')) out += '\n'
      for (const child of node.children) walk(child)
      if (block && out !== '' && !out.endsWith('\n')) out += '\n'
    } else if (node.type === 'root') {
      for (const child of node.children) walk(child)
    }
  }
  walk(tree)
  return out
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{2,}/g, '\n')
}

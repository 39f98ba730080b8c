/**
 * The mdast-to-hast handlers of the email target, one per node type of the
 * dialect (and every CommonMark, GFM, footnote and math node). They decide
 * the email's structure; the colours and sizes come later, from the style
 * table, through the `lp-*` role classes set here.
 *
 * What differs from the web, and why:
 * - admonitions are one-column tables (Outlook ignores borders and padding
 *   on divs), titled by the kind when untitled; collapsible ones are open;
 * - tabs are stacked sections, each with its title: no script switches them;
 * - code is highlighted with inline colours (no stylesheet survives), and a
 *   mermaid diagram becomes a link to the web page plus its source;
 * - math is Unicode text with real `<sup>`/`<sub>` (see `math.ts`);
 * - footnote calls are plain numbers, their notes a list at the end: in-page
 *   anchors do not work in most clients;
 * - task-list checkboxes are ☑/☐ characters: forms are stripped;
 * - long inline code gets break points (`<wbr>`) between its parts, so a
 *   narrow table column wraps it there rather than anywhere;
 * - raw HTML passes through as `raw` and is parsed and filtered as a whole
 *   by the render passes; here it is only inspected, to warn at its line.
 */
import type {Element, ElementContent, Properties, Root as HastRoot} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {
  Code,
  FootnoteDefinition,
  FootnoteReference,
  Html,
  Image,
  ImageReference,
  Nodes,
  Paragraph,
  Parents,
  PhrasingContent,
  Root,
  Table
} from 'mdast'
import type {InlineMath, Math} from 'mdast-util-math'
import {toString} from 'mdast-util-to-string'
import {defaultHandlers, type Handler, type Handlers, type State} from 'mdast-util-to-hast'
import type {Highlight} from '../render/highlight.js'
import type {
  Abbreviation,
  Admonition,
  DefinitionDescription,
  DefinitionList,
  DefinitionTerm,
  Emoji,
  Insert,
  Keys,
  Mark,
  Subscript,
  Superscript,
  Tab,
  TabSet
} from '../syntax/mdast.js'
import {fenceInfo} from '../render/fence.js'
import {texToSegments, type MathSegment} from './math.js'
import {sanitize} from './sanitize.js'
import {calloutFamily, contentWidth} from './styles.js'

/** A warning raised while rendering one node. */
export interface EmailRenderMessage {
  /** What was found and what was expected. */
  reason: string
  /** The mdast node, for its position. */
  node: Nodes
  /** Kebab-case rule id. */
  ruleId: string
}

/** Options for `createEmailHandlers`. */
export interface EmailHandlerOptions {
  /** A prepared highlighter; without one, code is plain monospace text. */
  highlight?: Highlight | undefined
  /** Receives warnings (dropped raw HTML). */
  report?: ((message: EmailRenderMessage) => void) | undefined
  /** Absolute URL of the post's web page: a diagram links there. */
  pageUrl?: string | undefined
}

/** Inline code at least this long gets break points (shorter code fits any column). */
const codeBreakLength = 8
/** Where inline code may break: after a run of separators that follows, and precedes, something else. */
const codeBreakPoint = /(?<=[^\s_/.,:@=&?][_/.,:@=&?]+)(?=[^\s_/.,:@=&?])/

/**
 * Inline code with `<wbr>` after the punctuation that separates the parts
 * of identifiers, paths and URLs (`_ / . , : @ = & ?`): a narrow column
 * (a table cell on a phone) then wraps `feature_<wbr>views` between its
 * parts instead of before its last letter.
 */
function codeBreaks(value: string): ElementContent[] {
  if (value.length < codeBreakLength) return [text(value)]
  const parts = value.split(codeBreakPoint)
  const children: ElementContent[] = []
  parts.forEach((part, index) => {
    if (index > 0) children.push(h('wbr', {}))
    children.push(text(part))
  })
  return children
}

/** A table cell that is a number, a percentage, a date or a time, with an optional short unit. */
const numberLike = /^[-+−±~≈<>]?[$€£]?\d[\d.,:/-]{0,14}(?:%|\s?[a-zA-Zµ]{1,3})?$/

/** What one character of table text may take, in pixels (14px text; code is wider than prose). */
const tableCharacterWidth = 8
/** A cell's padding and border, in pixels. */
const tableCellChrome = 21

/** The longest run a browser cannot break inside: words, hyphenated parts, code between its `<wbr>`s. */
function longestRun(nodes: readonly PhrasingContent[]): number {
  let longest = 0
  for (const node of nodes) {
    if (node.type === 'inlineCode') {
      const parts = node.value.length < codeBreakLength ? [node.value] : node.value.split(codeBreakPoint)
      for (const part of parts) for (const word of part.split(/\s+/)) longest = Math.max(longest, word.length)
    } else if (node.type === 'text') {
      for (const word of node.value.split(/\s+|(?<=-)/)) longest = Math.max(longest, [...word].length)
    } else if ('children' in node) {
      longest = Math.max(longest, longestRun(node.children as PhrasingContent[]))
    }
  }
  return longest
}

/**
 * Whether a table fits the email's column without breaking inside a word:
 * the sum over its columns of their longest unbreakable run, estimated
 * generously. A table that fits keeps its words whole (no `1,204,3`/`31`);
 * one that does not lets its cells break words, as MJML's text blocks do
 * everywhere, rather than push the column past the screen.
 */
function fitsWhole(node: Table): boolean {
  const columns: number[] = []
  for (const row of node.children) {
    row.children.forEach((cell, index) => {
      columns[index] = Math.max(columns[index] ?? 0, longestRun(cell.children))
    })
  }
  const width = columns.reduce((sum, characters) => sum + characters * tableCharacterWidth + tableCellChrome, 0)
  return width <= contentWidth
}

/** Element shorthand. */
function h(tagName: string, properties: Properties, children: ElementContent[] = []): Element {
  return {type: 'element', tagName, properties, children}
}

function text(value: string): ElementContent {
  return {type: 'text', value}
}

/** `note` → `Note`, as MkDocs titles an admonition without a title. */
export function defaultCalloutTitle(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

/** Display names of keys (pymdownx.keys' names), by lower-case key. */
const keyNames: Readonly<Record<string, string>> = {
  ctrl: 'Ctrl', control: 'Ctrl', alt: 'Alt', shift: 'Shift', cmd: 'Cmd', command: 'Cmd', meta: 'Meta',
  win: 'Win', windows: 'Win', super: 'Super', opt: 'Option', option: 'Option', fn: 'Fn',
  del: 'Del', delete: 'Del', ins: 'Ins', insert: 'Ins', enter: 'Enter', return: 'Return', esc: 'Esc',
  escape: 'Esc', tab: 'Tab', space: 'Space', backspace: 'Backspace', home: 'Home', end: 'End',
  'page-up': 'Page Up', pgup: 'Page Up', 'page-down': 'Page Down', pgdn: 'Page Down',
  up: '↑', 'arrow-up': '↑', down: '↓', 'arrow-down': '↓', left: '←', 'arrow-left': '←',
  right: '→', 'arrow-right': '→', 'caps-lock': 'Caps Lock', 'print-screen': 'Print Screen'
}

/** How a key reads (`ctrl` → `Ctrl`, `"My key"` → `My key`, `f5` → `F5`). */
export function keyLabel(key: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(key)
  if (quoted) return quoted[2]!
  const known = keyNames[key.toLowerCase()]
  if (known) return known
  if (/^f\d{1,2}$/i.test(key)) return key.toUpperCase()
  return key.length === 1 ? key.toUpperCase() : key.charAt(0).toUpperCase() + key.slice(1)
}

/** Math segments as hast: text, `<sup>`, `<sub>`. */
export function mathToHast(segments: MathSegment[]): ElementContent[] {
  return segments.map((segment) =>
    segment.type === 'text' ? text(segment.value) : h(segment.type, {}, mathToHast(segment.children))
  )
}

/** Whether a paragraph holds one image and nothing else (a figure, shown as a block). */
function isLoneImage(node: Paragraph): boolean {
  const visible = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  if (visible.length !== 1) return false
  const only = visible[0]!
  if (only.type === 'image' || only.type === 'imageReference') return true
  return (
    (only.type === 'link' || only.type === 'linkReference') &&
    only.children.length === 1 &&
    (only.children[0]!.type === 'image' || only.children[0]!.type === 'imageReference')
  )
}

/** Render some of a parent's children (a callout's body without its title). */
function some(state: State, parent: Parents, children: readonly Nodes[]): ElementContent[] {
  return children.flatMap((child) => {
    const result = state.one(child, parent)
    if (result === undefined) return []
    return Array.isArray(result) ? result : [result]
  })
}

function addClass(element: Element, name: string): void {
  const current = element.properties['className']
  const list = Array.isArray(current) ? current.map(String) : typeof current === 'string' ? [current] : []
  if (!list.includes(name)) element.properties['className'] = [...list, name]
}

/**
 * Create the email handlers for one render. Create them again for every
 * render: they number footnotes as they meet them.
 */
export function createEmailHandlers(options: EmailHandlerOptions = {}): Handlers {
  const {highlight, report, pageUrl} = options
  const footnoteOrder: string[] = []

  function footnoteNumber(identifier: string): number {
    const id = identifier.toUpperCase()
    let index = footnoteOrder.indexOf(id)
    if (index === -1) {
      footnoteOrder.push(id)
      index = footnoteOrder.length - 1
    }
    return index + 1
  }

  function footnotes(state: State): Element | undefined {
    const items: ElementContent[] = []
    // A note may call another note: the list grows while it is rendered.
    for (let index = 0; index < footnoteOrder.length; index++) {
      const definition: FootnoteDefinition | undefined = state.footnoteById.get(footnoteOrder[index]!)
      if (!definition) continue
      const content = state.all(definition)
      const onlyParagraph =
        content.filter((child) => child.type === 'element').length === 1 &&
        content.find((child): child is Element => child.type === 'element')?.tagName === 'p'
      const children = onlyParagraph
        ? content.flatMap((child) => (child.type === 'element' ? child.children : [child]))
        : content.map((child) => {
            if (child.type === 'element' && child.tagName === 'p') addClass(child, 'lp-footnote')
            return child
          })
      items.push(h('li', {className: ['lp-footnote']}, children))
    }
    if (items.length === 0) return undefined
    return h('div', {className: ['lp-footnotes']}, [
      h('p', {className: ['lp-footnotes-title']}, [text('Notes')]),
      h('ol', {}, items)
    ])
  }

  function image(state: State, node: Image | ImageReference, url: string, title: string | null | undefined): Element {
    const properties: Properties = {src: url, alt: node.alt ?? ''}
    if (title) properties['title'] = title
    // Sizes from an attr list (`{ width=300 }`); the images pass caps and completes them.
    const given = node.data?.hProperties
    for (const key of ['width', 'height'] as const) {
      const value = given?.[key]
      if (typeof value === 'string' || typeof value === 'number') properties[key] = String(value)
    }
    const result = h('img', properties)
    state.patch(node, result)
    return result
  }

  const handlers: Handlers = {
    // mdast-util-to-hast's own root handler returns a root too; its type says elements only.
    root: ((state: State, node: Root): HastRoot => {
      const children = state.wrap(state.all(node), true)
      const notes = footnotes(state)
      if (notes) children.push(text('\n'), notes)
      return {type: 'root', children}
    }) as unknown as Handler,

    paragraph(state: State, node: Paragraph) {
      const result = defaultHandlers.paragraph(state, node)
      if (isLoneImage(node)) {
        const visit = (children: ElementContent[]) => {
          for (const child of children) {
            if (child.type !== 'element') continue
            if (child.tagName === 'img') addClass(child, 'lp-img-block')
            else visit(child.children)
          }
        }
        visit(result.children)
      }
      return result
    },

    image(state: State, node: Image) {
      return image(state, node, node.url, node.title)
    },

    imageReference(state: State, node: ImageReference) {
      const definition = state.definitionById.get(node.identifier.toUpperCase())
      if (!definition) return defaultHandlers.imageReference(state, node)
      return image(state, node, definition.url, definition.title)
    },

    listItem(state, node, parent) {
      const result = defaultHandlers.listItem(state, node, parent)
      if (typeof node.checked !== 'boolean') return result
      const swap = (children: ElementContent[]): boolean => {
        for (const [index, child] of children.entries()) {
          if (child.type !== 'element') continue
          if (child.tagName === 'input') {
            children[index] = h('span', {className: ['lp-task']}, [text(node.checked ? '☑' : '☐')])
            return true
          }
          if (swap(child.children)) return true
        }
        return false
      }
      swap(result.children)
      result.properties = {className: ['lp-task-item']}
      return result
    },

    code(state: State, node: Code) {
      const info = fenceInfo(node.lang, node.meta)
      const language = info.language?.toLowerCase()
      const parts: ElementContent[] = []
      if (language === 'mermaid') {
        const label = pageUrl
          ? [text('Diagram: '), h('a', {href: pageUrl}, [text('see it on the web')]), text('. Its source:')]
          : [text('Diagram source:')]
        parts.push(h('p', {className: ['lp-diagram-link']}, label))
      }
      const title = info.title ?? undefined
      if (title) parts.push(h('p', {className: ['lp-code-title']}, [text(title)]))
      const pre = h('pre', {className: title ? ['lp-code', 'lp-code-titled'] : ['lp-code']}, [
        h('code', {className: ['lp-code-body']}, codeTokens(node, info.highlightLines, language))
      ])
      state.patch(node, pre)
      parts.push(pre)
      if (parts.length === 1) return pre
      const wrapper = h('div', {}, parts)
      state.patch(node, wrapper)
      return wrapper
    },

    inlineCode(state, node) {
      const result = h('code', {className: ['lp-code-inline']}, codeBreaks(node.value.replace(/\r?\n|\r/g, ' ')))
      state.patch(node, result)
      return result
    },

    html(state: State, node: Html) {
      inspectRawHtml(node)
      return defaultHandlers.html(state, node)
    },

    footnoteReference(state: State, node: FootnoteReference) {
      const result = h('sup', {className: ['lp-footnote-ref']}, [text(String(footnoteNumber(node.identifier)))])
      state.patch(node, result)
      return result
    },

    footnoteDefinition: () => undefined,
    definition: () => undefined,
    yaml: () => undefined,
    abbreviationDefinition: () => undefined,

    math(state: State, node: Math) {
      const segments = texToSegments(node.value)
      const result = segments
        ? h('p', {className: ['lp-math-block']}, mathToHast(segments))
        : h('pre', {className: ['lp-code']}, [h('code', {className: ['lp-code-body']}, [text(node.value)])])
      state.patch(node, result)
      return result
    },

    inlineMath(state: State, node: InlineMath) {
      const segments = texToSegments(node.value)
      const result = segments
        ? h('span', {className: ['lp-math']}, mathToHast(segments))
        : h('code', {className: ['lp-math-tex']}, [text(`$${node.value}$`)])
      state.patch(node, result)
      return result
    },

    admonition(state: State, node: Admonition) {
      const kind = node.kind || 'note'
      // The colour family (`important` is `tip`, an unknown kind is `note`), so the
      // dark stylesheet, which has one rule per family, covers every kind.
      const kindClass = 'lp-kind-' + calloutFamily(kind)
      const rows: ElementContent[] = []
      const [first, ...rest] = node.children
      const body = first?.type === 'admonitionTitle' ? rest : node.children
      let title: ElementContent[] | undefined
      if (first?.type === 'admonitionTitle') title = state.all(first)
      else if (node.title === null) title = [text(defaultCalloutTitle(kind))]
      else if (node.title !== '') title = [text(node.title)]
      if (title) {
        rows.push(h('tr', {}, [h('td', {className: ['lp-callout-title', kindClass]}, title)]))
      }
      const content = some(state, node, body)
      rows.push(h('tr', {}, [h('td', {className: ['lp-callout-body']}, state.wrap(content, true))]))
      const result = h(
        'table',
        {className: ['lp-callout', kindClass], role: 'presentation', width: '100%', cellPadding: '0', cellSpacing: '0', border: '0'},
        [h('tbody', {}, rows)]
      )
      state.patch(node, result)
      return result
    },

    admonitionTitle(state, node) {
      return h('p', {}, [h('strong', {}, state.all(node))])
    },

    tabSet(state: State, node: TabSet) {
      const result = h('div', {className: ['lp-tabs']}, state.wrap(state.all(node), true))
      state.patch(node, result)
      return result
    },

    tab(state: State, node: Tab) {
      const [first, ...rest] = node.children
      const title = first?.type === 'tabTitle' ? state.all(first) : [text(node.title)]
      const body = first?.type === 'tabTitle' ? rest : node.children
      const content = some(state, node, body)
      const result = h('div', {className: ['lp-tab']}, [
        h('p', {className: ['lp-tab-title']}, title),
        ...state.wrap(content, true)
      ])
      state.patch(node, result)
      return result
    },

    tabTitle(state, node) {
      return h('p', {className: ['lp-tab-title']}, state.all(node))
    },

    emoji(_state, node: Emoji) {
      return text(node.value)
    },

    mark(state, node: Mark) {
      return h('mark', {}, state.all(node))
    },

    insert(state, node: Insert) {
      return h('ins', {}, state.all(node))
    },

    superscript(state, node: Superscript) {
      return h('sup', {}, state.all(node))
    },

    subscript(state, node: Subscript) {
      return h('sub', {}, state.all(node))
    },

    keys(_state, node: Keys) {
      const names = node.keys.length > 0 ? node.keys : node.value.split('+')
      const children: ElementContent[] = []
      names.forEach((key, index) => {
        if (index > 0) children.push(text('+'))
        children.push(h('kbd', {}, [text(keyLabel(key))]))
      })
      return h('span', {}, children)
    },

    abbreviation(state, node: Abbreviation) {
      return h('abbr', {title: node.title}, state.all(node))
    },

    table(state, node: Table) {
      const result = defaultHandlers.table(state, node)
      result.properties = {...result.properties, className: fitsWhole(node) ? ['lp-table', 'lp-table-whole'] : ['lp-table']}
      // Numbers never break, even in a table squeezed onto a phone: `1,204,331`, not `1,2`/`04,`/`331`.
      const cells = node.children.flatMap((row) => row.children)
      let index = 0
      const mark = (children: ElementContent[]) => {
        for (const child of children) {
          if (child.type !== 'element') continue
          if (child.tagName === 'td' || child.tagName === 'th') {
            const cell = cells[index++]
            if (cell && numberLike.test(toString(cell).trim())) addClass(child, 'lp-cell-number')
          } else mark(child.children)
        }
      }
      mark(result.children)
      return result
    },

    definitionList(state, node: DefinitionList) {
      const result = h('dl', {}, state.wrap(state.all(node), true))
      state.patch(node, result)
      return result
    },

    definitionTerm(state, node: DefinitionTerm) {
      return h('dt', {}, state.all(node))
    },

    definitionDescription(state, node: DefinitionDescription) {
      const content = state.all(node)
      // A tight description holds its text directly, as a tight list item does.
      const tight =
        !node.spread &&
        content.filter((child) => child.type === 'element').length === 1 &&
        content.some((child) => child.type === 'element' && child.tagName === 'p')
      const children = tight
        ? content.flatMap((child) => (child.type === 'element' && child.tagName === 'p' ? child.children : [child]))
        : state.wrap(content, true)
      return h('dd', {}, children)
    }
  }

  function codeTokens(node: Code, ranges: Array<[number, number]>, language: string | undefined): ElementContent[] {
    if (!highlight) return [text(node.value)]
    const lines = new Set<number>()
    const count = node.value.split('\n').length
    for (const [from, to] of ranges) for (let line = from; line <= Math.min(to, count); line++) lines.add(line)
    const known = language === undefined ? undefined : highlight.language(language)
    const pre = highlight.highlight(node.value, known, {colors: 'inline', highlightLines: lines})
    return inlineTokens(pre)
  }

  function inspectRawHtml(node: Html): void {
    if (!report) return
    const removals = sanitize(fromHtml(node.value, {fragment: true}))
    const seen = new Set<string>()
    for (const removal of removals) {
      // A URL the URL policy refuses has its `url-unsafe` warning from the transform stage already.
      if (removal.kind === 'url') continue
      const key = removal.kind + ':' + removal.what
      if (seen.has(key)) continue
      seen.add(key)
      const reason =
        removal.kind === 'element'
          ? `Raw \`<${removal.what}>\` cannot be shown in email and is left out of it; link to the web page instead`
          : removal.kind === 'attribute'
              ? `Attribute \`${removal.what}\` in raw HTML is left out of the email (no scripts run in email)`
              : `Style \`${removal.what}\` in raw HTML is left out of the email (not supported by email clients)`
      report({reason, node, ruleId: 'email-html-removed'})
    }
  }

  return handlers
}

/**
 * Shiki's `<pre>` (light theme, inline colours) to the tokens of one
 * `<code>`: line wrappers dropped, the default colour left to the `<pre>`,
 * neighbours of one colour merged (bytes count in email), highlighted
 * lines wrapped in `span.lp-hl`.
 */
function inlineTokens(pre: Element): ElementContent[] {
  const foreground = styleColor(pre.properties['style'])
  const code = pre.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code')
  if (!code) return []
  const out: ElementContent[] = []
  for (const line of code.children) {
    if (line.type === 'text') {
      out.push(text(line.value))
      continue
    }
    if (line.type !== 'element') continue
    const tokens = mergeTokens(line.children, foreground)
    const classes = line.properties['className']
    const highlighted = Array.isArray(classes) && classes.includes('highlighted')
    if (!highlighted) {
      out.push(...tokens)
      continue
    }
    // Mark the code, not its indentation: a wrapped line then reads as one marked run.
    const first = tokens[0]
    const indentation = first ? /^[ \t]*/.exec(tokenText(first))![0] : ''
    if (first && indentation) {
      out.push(text(indentation))
      if (first.type === 'text') first.value = first.value.slice(indentation.length)
      else if (first.type === 'element' && first.children[0]?.type === 'text') {
        first.children[0].value = first.children[0].value.slice(indentation.length)
      }
    }
    out.push(h('span', {className: ['lp-hl']}, tokens))
  }
  // Merge the text nodes between lines into their neighbours.
  const merged: ElementContent[] = []
  for (const node of out) {
    const last = merged.at(-1)
    if (node.type === 'text' && last?.type === 'text') last.value += node.value
    else merged.push(node)
  }
  return merged
}

function tokenText(node: ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(tokenText).join('')
  return ''
}

function mergeTokens(children: ElementContent[], foreground: string | undefined): ElementContent[] {
  const runs: Array<{style: string | undefined; value: string}> = []
  for (const child of children) {
    let style: string | undefined
    let value = ''
    if (child.type === 'text') value = child.value
    else if (child.type === 'element') {
      style = typeof child.properties['style'] === 'string' ? child.properties['style'] : undefined
      if (style !== undefined && styleColor(style) === foreground && !/font-style|font-weight|text-decoration/.test(style)) {
        style = undefined
      }
      value = child.children.map((grandchild) => (grandchild.type === 'text' ? grandchild.value : '')).join('')
    }
    // Whitespace looks the same in any colour: give it to the neighbour.
    const last = runs.at(-1)
    if (last && (last.style === style || /^\s*$/.test(value))) last.value += value
    else if (last && /^\s*$/.test(last.value)) {
      last.style = style
      last.value += value
    } else runs.push({style, value})
  }
  return runs.map((run) =>
    run.style === undefined ? text(run.value) : h('span', {style: run.style.toLowerCase()}, [text(run.value)])
  )
}

function styleColor(style: unknown): string | undefined {
  if (typeof style !== 'string') return undefined
  const match = /(?:^|;)\s*color\s*:\s*([^;]+)/i.exec(style)
  return match?.[1]?.trim().toLowerCase()
}

/**
 * The email-safety lint: a finished `issue.html` checked against what email
 * clients show (the rules below), reporting each problem at its
 * line and column in the HTML. It stands in for html-validate's email rules
 * (which need a newer Node), and it reads the HTML the way a client's parser
 * does: parse5 through `hast-util-from-html`, so conditional comments for
 * Outlook are comments and are not judged.
 *
 * Rules (ids are kebab-case, as everywhere in letterpress):
 * - `email-element`: `<details>`, `<summary>`, `<script>`, `<svg>`, `<math>`,
 *   `<iframe>`, `<form>`, `<input>`, `<object>`, `<embed>`;
 * - `email-event-handler`: any `on*` attribute;
 * - `email-css-layout`: `display: flex | inline-flex | grid | inline-grid`, in a
 *   `style` attribute or a `<style>` block;
 * - `email-css-position`: `position: fixed | absolute`, in either place;
 * - `email-url`: an `href`, `src`, `background` or `srcset` URL (or a CSS
 *   `url()`) that is relative or not http(s)/mailto; a merge tag standing
 *   for the whole value (`{{unsubscribe_url}}`) is the sending service's to
 *   fill and passes;
 * - `email-img-width`, `email-img-alt`: an `<img>` without `width` or `alt`
 *   (an empty `alt` is fine: it marks a decorative image).
 *
 * Pure: a string in, findings out, sorted by position.
 */
import type {Element, Root, Text} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Point, Position} from 'unist'
import {visit} from '../syntax/walk.js'

/** One problem found in email HTML. */
export interface EmailLintFinding {
  /** Kebab-case rule id (`email-element`, `email-url`, ...). */
  rule: string
  /** What was found and what to do instead. */
  message: string
  /** 1-based line in the HTML. */
  line: number
  /** 1-based column in the HTML. */
  column: number
}

/** Options for `lintEmailHtml`. */
export interface EmailLintOptions {
  /**
   * URL values to accept as they are, besides any whole-value `{{ tag }}`
   * merge tag (the newsletter's configured unsubscribe placeholder, say).
   */
  placeholders?: readonly string[] | undefined
}

/** The elements no email may hold, and what to do instead. */
const forbiddenElements: Readonly<Record<string, string>> = {
  details: 'most email clients ignore it and some hide its content: render the content expanded',
  summary: 'it belongs to `<details>`, which email clients do not support: use a bold line',
  script: 'no email client runs scripts, and spam filters penalise them',
  svg: 'Gmail and Outlook do not show inline SVG: use a PNG with width and alt, or text',
  math: 'no common email client renders MathML: use text or an image',
  iframe: 'email clients strip frames: link to the page instead',
  form: 'most email clients disable forms: link to a web page instead',
  input: 'most email clients disable form controls: use text (☐/☑) or a link',
  object: 'email clients strip embedded objects: link to the content instead',
  embed: 'email clients strip embedded content: link to it instead'
}

/** Attributes holding one URL, by hast property name. */
const urlProperties = ['href', 'src', 'background'] as const

/** A whole-value merge tag such as `{{unsubscribe_url}}` or `{{ list.unsubscribe }}`. */
const mergeTag = /^\{\{\s*[\w.-]+\s*\}\}$/

const layoutDeclaration = /(?<![\w-])display\s*:\s*(?:inline-)?(?:flex|grid)\b/gi
const positionDeclaration = /(?<![\w-])position\s*:\s*(?:fixed|absolute)\b/gi
const cssUrl = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)/gi

/**
 * Check email HTML (a whole document or a fragment) against the email
 * contract. Returns every finding with its 1-based line and column in
 * `html`, in document order; an empty array means the HTML is email-safe.
 */
export function lintEmailHtml(html: string, options: EmailLintOptions = {}): EmailLintFinding[] {
  const placeholders = new Set(options.placeholders ?? [])
  const findings: EmailLintFinding[] = []
  const lines = lineStarts(html)
  const pointAt = (offset: number): {line: number; column: number} => {
    // Binary search for the last line starting at or before `offset`.
    let low = 0
    let high = lines.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (lines[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return {line: low + 1, column: offset - lines[low]! + 1}
  }
  const add = (rule: string, message: string, at: Point | undefined | {line: number; column: number}) => {
    findings.push({rule, message, line: at?.line ?? 1, column: at?.column ?? 1})
  }
  const acceptable = (url: string): boolean => {
    const value = url.trim()
    if (placeholders.has(value) || mergeTag.test(value)) return true
    // Browsers ignore control characters and spaces inside a scheme (`java\nscript:`).
    const squeezed = value.replace(/[\u0000-\u0020\u007f]/g, '')
    return /^(?:https?:\/\/[^/\\]|mailto:)/i.test(squeezed)
  }
  const urlMessage = (url: string, where: string): string => {
    const shown = url.length > 80 ? url.slice(0, 79) + '…' : url
    const scheme = /^\s*([a-z][a-z\d+.-]*):/i.exec(url)?.[1]
    return scheme && !/^(?:https?|mailto)$/i.test(scheme)
      ? `${where} \`${shown}\` uses \`${scheme}:\`, which email clients block: only http(s) and mailto URLs work in email`
      : `${where} \`${shown}\` is relative: an email has no page to resolve it against, so make it absolute (https://...)`
  }

  /** Check CSS text that starts at `offset` in the HTML; returns what it found. */
  const lintCss = (css: string, offset: number, where: string): EmailLintFinding[] => {
    const found: EmailLintFinding[] = []
    const add = (rule: string, message: string, at: {line: number; column: number}) => {
      found.push({rule, message, line: at.line, column: at.column})
    }
    const clean = blankComments(css)
    for (const match of clean.matchAll(layoutDeclaration)) {
      add(
        'email-css-layout',
        `\`${squash(match[0])}\` in ${where}: Outlook and Gmail's apps ignore flex and grid layout; use tables or blocks`,
        pointAt(offset + match.index)
      )
    }
    for (const match of clean.matchAll(positionDeclaration)) {
      add(
        'email-css-position',
        `\`${squash(match[0])}\` in ${where}: email clients drop or misplace positioned elements; keep content in the flow`,
        pointAt(offset + match.index)
      )
    }
    for (const match of clean.matchAll(cssUrl)) {
      const url = match[1] ?? match[2] ?? match[3] ?? ''
      if (!acceptable(url)) add('email-url', urlMessage(url, `\`url()\` in ${where}`), pointAt(offset + match.index))
    }
    return found
  }

  const tree: Root = fromHtml(html, {verbose: true})
  visit(tree, 'element', (node: Element) => {
    const start = node.position?.start
    const attributes = node.data?.position?.properties ?? {}
    const attributeStart = (key: string): Point | undefined => attributes[key]?.start ?? start
    const name = node.tagName

    const forbidden = Object.hasOwn(forbiddenElements, name) ? forbiddenElements[name] : undefined
    if (forbidden) add('email-element', `\`<${name}>\` in email: ${forbidden}`, start)

    for (const key of Object.keys(node.properties)) {
      if (/^on/i.test(key)) {
        add(
          'email-event-handler',
          `Event handler \`${key.toLowerCase()}\` on \`<${name}>\`: email clients run no scripts and may reject the message`,
          attributeStart(key)
        )
      }
    }

    for (const key of urlProperties) {
      const value = node.properties[key]
      if (value === undefined || value === null) continue
      const url = String(value)
      if (!acceptable(url)) add('email-url', urlMessage(url, `\`${key}\` of \`<${name}>\``), attributeStart(key))
    }
    const srcset = node.properties['srcSet']
    if (srcset !== undefined && srcset !== null) {
      const candidates = Array.isArray(srcset) ? srcset.map(String) : String(srcset).split(/,\s+/)
      for (const candidate of candidates) {
        const url = candidate.trim().split(/\s+/)[0] ?? ''
        if (!acceptable(url)) add('email-url', urlMessage(url, `\`srcset\` of \`<${name}>\``), attributeStart('srcSet'))
      }
    }

    const style = node.properties['style']
    if (typeof style === 'string' && style.trim() !== '') {
      const where = `the \`style\` of \`<${name}>\``
      // Judge the value as the client reads it (character references decoded);
      // point into the attribute's own text when that finds the same, else at the attribute.
      const decoded = lintCss(style, 0, where)
      const raw = rawAttributeValue(html, attributes['style'])
      const located = raw ? lintCss(raw.value, raw.offset, where) : []
      if (located.length === decoded.length) findings.push(...located)
      else {
        const at = attributeStart('style')
        for (const finding of decoded) findings.push({...finding, line: at?.line ?? 1, column: at?.column ?? 1})
      }
    }

    if (name === 'style') {
      const child = node.children.find((candidate): candidate is Text => candidate.type === 'text')
      const offset = child?.position?.start.offset
      if (child && offset !== undefined) findings.push(...lintCss(child.value, offset, 'a `<style>` block'))
    }

    if (name === 'img') {
      const src = node.properties['src']
      const label = src ? ` (\`${String(src).slice(0, 60)}\`)` : ''
      const width = node.properties['width']
      if (width === undefined || width === null || String(width).trim() === '') {
        add(
          'email-img-width',
          `\`<img>\`${label} has no \`width\`: Outlook shows it at its file's size, which can break the layout; give its width in pixels`,
          start
        )
      }
      if (node.properties['alt'] === undefined || node.properties['alt'] === null) {
        add(
          'email-img-alt',
          `\`<img>\`${label} has no \`alt\`: most clients block images at first, and the alt text is what readers see; use \`alt=""\` for decoration`,
          start
        )
      }
    }
  })
  return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule))
}

/** Offsets at which each line starts (`\n`, `\r\n` and `\r` end lines, as parse5 counts them). */
function lineStarts(value: string): number[] {
  const starts = [0]
  for (let index = 0; index < value.length; index++) {
    const character = value.charCodeAt(index)
    if (character === 10 /* \n */) starts.push(index + 1)
    else if (character === 13 /* \r */) {
      if (value.charCodeAt(index + 1) === 10) index++
      starts.push(index + 1)
    }
  }
  return starts
}

/** The value of an attribute as written, and its offset in the HTML, from the attribute's position. */
function rawAttributeValue(html: string, position: Position | undefined): {value: string; offset: number} | undefined {
  const start = position?.start.offset
  const end = position?.end.offset
  if (start === undefined || end === undefined) return undefined
  const source = html.slice(start, end)
  const match = /^[^=]*=\s*(["']?)/.exec(source)
  if (!match) return undefined
  const valueStart = match[0].length
  const valueEnd = match[1] && source.endsWith(match[1]) ? source.length - 1 : source.length
  return {value: source.slice(valueStart, valueEnd), offset: start + valueStart}
}

/** CSS with its comments replaced by spaces (so offsets stay true). */
function blankComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, (comment) => comment.replace(/[^\n\r]/g, ' '))
}

function squash(value: string): string {
  return value.replace(/\s+/g, '').toLowerCase()
}

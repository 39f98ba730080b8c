/**
 * The allow-list every email body goes through, after raw HTML from posts
 * has been parsed into real elements. Email clients run no scripts and
 * strip most of the web; what they keep differs, so the email keeps only
 * what all of them show:
 *
 * - dropped with their content: scripts, styles, frames, objects, forms and
 *   their controls, SVG, MathML, media, templates;
 * - unwrapped (children kept): `details` (so collapsed content shows) and
 *   every element not on the list (`center`, `font`, custom elements);
 *   `summary` becomes a bold paragraph;
 * - attributes: a short list per element, no event handlers, no ids;
 *   `href`/`src` only with http(s), mailto or no scheme (made absolute by a
 *   later pass), never `javascript:`, `vbscript:` or `data:`;
 * - `style`: only presentational properties, no `url()`, no flex or grid;
 * - classes: only the renderer's own `lp-*` roles.
 */
import type {Element, ElementContent, Nodes, Parents, Properties, Root} from 'hast'
import {isAllowedUrl} from '../source/url-policy.js'

/** Elements removed together with everything inside them. */
const dropped = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'form',
  'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'label', 'fieldset', 'legend',
  'output', 'datalist', 'meter', 'progress', 'svg', 'math', 'template', 'noscript', 'audio', 'video',
  'source', 'track', 'picture', 'canvas', 'map', 'area', 'link', 'meta', 'base', 'head', 'title',
  'dialog', 'slot', 'portal'
])

const cellAttributes = ['align', 'vAlign', 'width', 'colSpan', 'rowSpan']

/** Allowed elements and their attributes (hast property names), besides the global ones. */
const allowed: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  abbr: [],
  b: [],
  blockquote: [],
  br: [],
  caption: [],
  cite: [],
  code: [],
  dd: [],
  del: [],
  dfn: [],
  div: ['align'],
  dl: [],
  dt: [],
  em: [],
  figcaption: [],
  figure: [],
  h1: ['align'],
  h2: ['align'],
  h3: ['align'],
  h4: ['align'],
  h5: ['align'],
  h6: ['align'],
  hr: [],
  i: [],
  img: ['src', 'alt', 'width', 'height', 'align'],
  ins: [],
  kbd: [],
  li: [],
  mark: [],
  ol: ['start', 'type'],
  p: ['align'],
  pre: [],
  q: [],
  s: [],
  samp: [],
  small: [],
  span: [],
  strong: [],
  sub: [],
  sup: [],
  table: ['width', 'align', 'cellPadding', 'cellSpacing', 'border', 'role'],
  tbody: [],
  td: cellAttributes,
  tfoot: [],
  th: [...cellAttributes, 'scope'],
  thead: [],
  tr: ['align', 'vAlign'],
  u: [],
  ul: [],
  var: [],
  wbr: []
}

const globalAttributes = ['className', 'style', 'title', 'lang', 'dir']

/** Presentational CSS properties kept from `style` attributes. */
const allowedProperties = new Set([
  'color', 'background', 'background-color', 'font', 'font-family', 'font-size', 'font-style',
  'font-weight', 'font-variant', 'line-height', 'letter-spacing', 'text-align', 'text-decoration',
  'text-transform', 'text-indent', 'vertical-align', 'white-space', 'word-break', 'overflow-wrap',
  'word-wrap', 'direction', 'display', 'width', 'max-width', 'min-width', 'height', 'max-height',
  'min-height', 'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding',
  'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'border', 'border-top',
  'border-right', 'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width',
  'border-radius', 'border-collapse', 'border-spacing', 'border-top-width', 'border-bottom-width',
  'border-left-width', 'border-right-width', 'list-style-type', 'font-feature-settings'
])

/** What the sanitizer removed, for warnings. */
export interface Removal {
  /** `element` (with content), `attribute`, `url` or `style`. */
  kind: 'element' | 'attribute' | 'url' | 'style'
  /** Element name, attribute name, URL or declaration. */
  what: string
}

/**
 * Keep only the safe part of a `style` attribute. Returns the kept
 * declarations and the ones dropped.
 */
export function filterStyle(style: string): {kept: string; dropped: string[]} {
  const kept: string[] = []
  const droppedDeclarations: string[] = []
  for (const declaration of splitDeclarations(style)) {
    const colon = declaration.indexOf(':')
    if (colon === -1) continue
    const property = declaration.slice(0, colon).trim().toLowerCase()
    const value = declaration.slice(colon + 1).trim()
    const unsafe =
      !allowedProperties.has(property) ||
      /url\s*\(|expression|javascript:|vbscript:|behaviou?r|@import|[\\<>]/i.test(value) ||
      (property === 'display' && /flex|grid|contents/i.test(value))
    if (unsafe) droppedDeclarations.push(`${property}: ${value}`)
    else if (value !== '') kept.push(`${property}:${value}`)
  }
  return {kept: kept.join(';'), dropped: droppedDeclarations}
}

/** Split a `style` value on `;` outside quotes and parentheses. */
export function splitDeclarations(style: string): string[] {
  const parts: string[] = []
  let current = ''
  let depth = 0
  let quote: string | undefined
  for (const character of style) {
    if (quote) {
      if (character === quote) quote = undefined
    } else if (character === '"' || character === "'") quote = character
    else if (character === '(') depth++
    else if (character === ')') depth = Math.max(0, depth - 1)
    else if (character === ';' && depth === 0) {
      parts.push(current)
      current = ''
      continue
    }
    current += character
  }
  if (current.trim()) parts.push(current)
  return parts
}

/**
 * Clean a tree in place with the allow-list. Returns what was removed
 * (not what was merely unwrapped), so callers can warn about it.
 */
export function sanitize(tree: Root | Element): Removal[] {
  const removals: Removal[] = []
  cleanChildren(tree, removals)
  return removals
}

function cleanChildren(parent: Parents, removals: Removal[]): void {
  const next: Array<Nodes> = []
  for (const child of parent.children) {
    if (child.type === 'text') next.push(child)
    else if (child.type === 'element') next.push(...cleanElement(child, removals))
    // Comments, doctypes and leftover raw nodes never reach an email.
  }
  parent.children = next as typeof parent.children
}

function cleanElement(element: Element, removals: Removal[]): ElementContent[] {
  const name = element.tagName
  if (dropped.has(name)) {
    removals.push({kind: 'element', what: name})
    return []
  }
  cleanChildren(element, removals)
  if (name === 'summary') {
    // A summary is the title of what follows: keep it visible, as a bold line.
    return [
      {
        type: 'element',
        tagName: 'p',
        properties: {},
        children: [{type: 'element', tagName: 'strong', properties: {}, children: element.children}]
      }
    ]
  }
  const attributes = allowed[name]
  if (!attributes) return element.children

  element.properties = cleanProperties(element, attributes, removals)
  if (name === 'a' && element.properties['href'] === undefined) return element.children
  if (name === 'img' && element.properties['src'] === undefined) return []
  return [element]
}

function cleanProperties(element: Element, attributes: readonly string[], removals: Removal[]): Properties {
  const clean: Properties = {}
  for (const [key, value] of Object.entries(element.properties)) {
    if (value === undefined || value === null) continue
    if (!attributes.includes(key) && !globalAttributes.includes(key)) {
      // Event handlers are worth a warning; ids, data and aria attributes are just noise in email.
      if (/^on[A-Z]/.test(key)) removals.push({kind: 'attribute', what: key.toLowerCase()})
      continue
    }
    if (key === 'href' || key === 'src') {
      const url = String(value).trim()
      if (isAllowedUrl(url)) clean[key] = url
      else removals.push({kind: 'url', what: url.slice(0, 60)})
      continue
    }
    if (key === 'className') {
      const classes = (Array.isArray(value) ? value : String(value).split(/\s+/))
        .map(String)
        .filter((name) => name.startsWith('lp-'))
      if (classes.length > 0) clean[key] = classes
      continue
    }
    if (key === 'style') {
      const {kept, dropped: declarations} = filterStyle(String(value))
      for (const declaration of declarations) removals.push({kind: 'style', what: declaration})
      if (kept) clean[key] = kept
      continue
    }
    clean[key] = value
  }
  return clean
}

/**
 * The email renderer: mdast (the one parse) to email-safe hast, then HTML.
 *
 * A short, ordered list of named passes (Ghost's email renderer shape):
 *
 * 1. `to-hast`: the email handlers (`handlers/`) give the structure;
 * 2. `parse-raw`: raw HTML from posts becomes real elements, by printing
 *    the tree and parsing it again, which is how a browser would join an
 *    opening tag in one Markdown block to its closing tag in another; with
 *    `rawHtml: sanitize`, the author's elements (only theirs) are then cut
 *    to the web's policy (`render/sanitize-author-html.ts`: no `style`, GitHub's
 *    elements), before 3 and long before 7 adds letterpress's own styles;
 * 3. `sanitize`: the allow-list (`sanitize.ts`); after 2, because it can
 *    only judge elements, and before anything else trusts the tree;
 * 4. `images`: width (capped to the column), height, alt on every image;
 *    before 5, because image sizes are keyed by the tree's site paths;
 * 5. `absolute-urls`: every `href`/`src` absolute; after 3, so only
 *    allowed schemes are left to resolve;
 * 6. `utm`: campaign parameters on links to the site itself; after 5,
 *    because it needs whole URLs to tell the site's links from others;
 * 7. `inline-styles`: the style table (`styles.ts`) onto every element;
 *    last, so it styles what every pass before made or kept.
 *
 * Pure: no file system, no clock. The highlighter must be prepared with the
 * trees first (handlers are synchronous).
 */
import type {Element, Root as HastRoot} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import type {Root, RootContent} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {visit} from '../syntax/walk.js'
import type {VFile} from 'vfile'
import type {Highlight} from '../render/highlight.js'
import type {Strings} from '../source/strings/index.js'
import {markOwnElements, sanitizeAuthorHtml} from '../render/sanitize-author-html.js'
import {isAllowedUrl, onSite, urlScheme} from '../source/url-policy.js'
import type {ImageSizes} from '../render/media.js'
import {emailImageUrl} from '../render/images.js'
import {createEmailHandlers} from './handlers/index.js'
import {sanitize, splitDeclarations} from './sanitize.js'
import {contentWidth, styleFor} from './styles.js'

/** Campaign parameters added to links to the site (`utm_source`, ...). */
export interface UtmParameters {
  source?: string | undefined
  medium?: string | undefined
  campaign?: string | undefined
}

/** Options for one email render. */
export interface EmailRenderOptions {
  /** Absolute site URL with a trailing slash; site paths resolve against it. */
  baseUrl: string
  /** Absolute URL of the post's web page: `#anchor` links and diagrams go there (default `baseUrl`). */
  pageUrl?: string | undefined
  /** Campaign parameters for links to the site itself; none when absent or empty. */
  utm?: UtmParameters | undefined
  /** A highlighter `prepare`d with this tree; without one, code is not coloured. */
  highlight?: Highlight | undefined
  /** Intrinsic image sizes by URL as the tree holds it (`measureImages`). */
  imageSizes?: ImageSizes | undefined
  /** Warnings (raw HTML left out) become messages on this file, at the node's line. */
  file?: VFile | undefined
  /** Leave out the first level-1 heading (the template shows the title). */
  dropFirstHeading?: boolean | undefined
  /** Widest image, in pixels (default: the content column, 552). */
  maxImageWidth?: number | undefined
  /** `rawHtml: sanitize`: cut the author's raw HTML to the web's policy first. */
  sanitizeRawHtml?: boolean | undefined
  /** The site's strings, for the words the renderer adds (without: English). */
  strings?: Strings | undefined
}

interface PassContext {
  options: EmailRenderOptions
  baseUrl: string
  pageUrl: string
}

type Pass = (tree: HastRoot, context: PassContext) => HastRoot

/** The passes after `to-hast`, in the order they must run (see the module comment). */
const passes: ReadonlyArray<readonly [name: string, pass: Pass]> = [
  ['parse-raw', parseRaw],
  ['sanitize', (tree) => (sanitize(tree), tree)],
  ['images', sizeImages],
  ['absolute-urls', absoluteUrls],
  ['utm', addUtm],
  ['inline-styles', inlineStyles]
]

/**
 * Render a post (or some of its top-level nodes, for an excerpt) to email
 * hast: one `div.lp-content` holding the body, footnotes at its end. The
 * input is read, never changed (the web renderer reads the same tree): the
 * conversion and the email handlers build new nodes, which the passes then
 * change, so no copy is made.
 */
export function renderEmailHast(content: Root | RootContent[], options: EmailRenderOptions): HastRoot {
  let tree: Root = Array.isArray(content) ? {type: 'root', children: content} : content
  if (options.dropFirstHeading) {
    const index = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 1)
    if (index !== -1) tree = {...tree, children: tree.children.filter((_, at) => at !== index)}
  }
  const {file} = options
  const handlers = createEmailHandlers({
    highlight: options.highlight,
    pageUrl: options.pageUrl ?? options.baseUrl,
    strings: options.strings,
    report: file
      ? ({reason, node, ruleId}) => {
          file.message(reason, {place: node.position, ruleId, source: 'letterpress'})
        }
      : undefined
  })
  const body = toHast(tree, {allowDangerousHtml: true, handlers}) as HastRoot
  let hast: HastRoot = {
    type: 'root',
    children: [{type: 'element', tagName: 'div', properties: {className: ['lp-content']}, children: body.children as Element['children']}]
  }
  const context: PassContext = {
    options,
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl ?? options.baseUrl
  }
  for (const [, pass] of passes) hast = pass(hast, context)
  return hast
}

/** Serialise email hast (no raw HTML is left in it). */
export function emailHastToHtml(hast: HastRoot): string {
  return toHtml(hast)
}

/** `renderEmailHast` then `emailHastToHtml`. */
export function renderEmailHtml(content: Root | RootContent[], options: EmailRenderOptions): string {
  return emailHastToHtml(renderEmailHast(content, options))
}

function parseRaw(tree: HastRoot, context: PassContext): HastRoot {
  let hasRaw = false
  visit(tree, 'raw', () => {
    hasRaw = true
  })
  // Without raw HTML the tree is what parsing would give back: skip the round trip.
  if (!hasRaw) return tree
  const sanitizeAuthor = context.options.sanitizeRawHtml === true
  // Before printing, every element is letterpress's: the author's are still raw text.
  if (sanitizeAuthor) markOwnElements(tree)
  const parsed = fromHtml(toHtml(tree, {allowDangerousHtml: true}), {fragment: true})
  return sanitizeAuthor ? sanitizeAuthorHtml(parsed) : parsed
}

function parseLength(value: unknown, relativeTo: number): number | undefined {
  if (typeof value === 'number') return value > 0 ? Math.round(value) : undefined
  if (typeof value !== 'string') return undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*$/.exec(value)
  if (!match) return undefined
  const number = Number(match[1])
  const length = match[2] === '%' ? (relativeTo * number) / 100 : number
  return length > 0 ? Math.round(length) : undefined
}

function sizeImages(tree: HastRoot, context: PassContext): HastRoot {
  const maxWidth = context.options.maxImageWidth ?? contentWidth
  const sizes = context.options.imageSizes
  visit(tree, 'element', (node) => {
    if (node.tagName !== 'img') return
    const properties = node.properties
    const src = String(properties['src'] ?? '')
    properties['alt'] = typeof properties['alt'] === 'string' ? properties['alt'] : ''
    const intrinsic = sizes?.get(src)
    // One file per image for email: twice the column wide, JPEG or PNG (see render/images.ts).
    if (intrinsic) properties['src'] = emailImageUrl(src, intrinsic)
    const given = parseLength(properties['width'], maxWidth)
    let width = given ?? intrinsic?.width ?? maxWidth
    width = Math.min(width, maxWidth)
    properties['width'] = String(width)
    const givenHeight = given === undefined ? undefined : parseLength(properties['height'], 0)
    if (intrinsic && given === undefined) {
      properties['height'] = String(Math.round((intrinsic.height * width) / intrinsic.width))
    } else if (givenHeight !== undefined && given !== undefined) {
      properties['height'] = String(Math.round((givenHeight * width) / given))
    } else {
      delete properties['height']
    }
  })
  return tree
}

/**
 * An absolute http(s) or mailto URL for `url`, or `undefined` for a URL
 * the URL policy refuses. Site paths (`/assets/x.png`) resolve against the
 * site, `#anchor` against the page, other relative paths against the page.
 */
export function absoluteUrl(url: string, baseUrl: string, pageUrl: string = baseUrl): string | undefined {
  const value = url.trim()
  if (!isAllowedUrl(value)) return undefined
  if (urlScheme(value) !== undefined) return value
  if (value.startsWith('//')) return 'https:' + value
  try {
    if (value.startsWith('#')) return new URL(value, pageUrl).href
    return new URL(value, value.startsWith('/') ? baseUrl : pageUrl).href
  } catch {
    return undefined
  }
}

function absoluteUrls(tree: HastRoot, context: PassContext): HastRoot {
  visit(tree, 'element', (node, index, parent) => {
    for (const key of ['href', 'src'] as const) {
      const value = node.properties[key]
      if (value === undefined || value === null) continue
      const absolute = absoluteUrl(String(value), context.baseUrl, context.pageUrl)
      if (absolute !== undefined) {
        node.properties[key] = absolute
        continue
      }
      delete node.properties[key]
      // A link that cannot be followed keeps its text.
      if (key === 'href' && parent && index !== undefined) {
        parent.children.splice(index, 1, ...node.children)
        return index
      }
    }
    return undefined
  })
  return tree
}

/**
 * Add campaign parameters to `url` when it points into the site
 * (`baseUrl`): the parameters are for the sender's own analytics, so other
 * sites never see them. Parameters already in the URL are kept.
 */
export function withUtm(url: string, baseUrl: string, utm: UtmParameters | undefined): string {
  if (!utm || !(utm.source || utm.medium || utm.campaign)) return url
  const parsed = onSite(url, baseUrl)
  if (!parsed) return url
  for (const [key, value] of [
    ['utm_source', utm.source],
    ['utm_medium', utm.medium],
    ['utm_campaign', utm.campaign]
  ] as const) {
    if (value && !parsed.searchParams.has(key)) parsed.searchParams.set(key, value)
  }
  return parsed.href
}

function addUtm(tree: HastRoot, context: PassContext): HastRoot {
  const utm = context.options.utm
  if (!utm) return tree
  visit(tree, 'element', (node) => {
    if (node.tagName !== 'a' || typeof node.properties['href'] !== 'string') return
    node.properties['href'] = withUtm(node.properties['href'], context.baseUrl, utm)
  })
  return tree
}

/** Merge style declarations: later ones win, property by property, order kept. */
export function mergeStyles(...styles: Array<string | undefined>): string {
  const declarations = new Map<string, string>()
  for (const style of styles) {
    if (!style) continue
    for (const declaration of splitDeclarations(style)) {
      const colon = declaration.indexOf(':')
      if (colon === -1) continue
      const property = declaration.slice(0, colon).trim().toLowerCase()
      const value = declaration.slice(colon + 1).trim()
      if (!property || !value) continue
      // Re-inserting moves the property to the end, so declaration order (and
      // with it the cascade between shorthands and longhands) is kept.
      declarations.delete(property)
      declarations.set(property, value)
    }
  }
  return [...declarations].map(([property, value]) => `${property}:${value}`).join(';')
}

function classList(node: Element): string[] {
  const value: unknown = node.properties['className']
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

function inlineStyles(tree: HastRoot): HastRoot {
  visit(tree, 'element', (node) => {
    const classes = classList(node)
    const own = typeof node.properties['style'] === 'string' ? node.properties['style'] : undefined
    const align = node.properties['align']
    const alignment =
      typeof align === 'string' && /^(left|right|center|justify)$/.test(align) && node.tagName !== 'img' && node.tagName !== 'table'
        ? `text-align:${align}`
        : undefined
    const width = node.properties['width']
    const style = mergeStyles(styleFor(node.tagName, classes, width === undefined ? undefined : String(width)), alignment, own)
    if (style) node.properties['style'] = style
  })
  return tree
}

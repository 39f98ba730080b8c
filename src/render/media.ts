/**
 * Web rendering of images and links.
 *
 * Images get `loading="lazy"` and `decoding="async"` and, for local files,
 * their `width` and `height` (so the page does not jump while they load).
 * Sizes are read once per build by `measureImages`, before the synchronous
 * render. Attributes from an attr list (`{ loading=eager width=300 }`,
 * mirrored into `data.hProperties`) always win.
 *
 * External http(s) links get `rel="noopener"`. Not `noreferrer`: the sites a
 * post cites may see where their readers come from (browsers already trim
 * the referrer to the origin across sites), and without `target="_blank"`
 * nothing is opened that could reach back.
 */
import {open} from 'node:fs/promises'
import type {Element, ElementContent, Properties} from 'hast'
import {imageSize} from 'image-size'
import type {Image, ImageReference, Link, LinkReference, Root} from 'mdast'
import {defaultHandlers, type Handlers, type State} from 'mdast-util-to-hast'
import {visit} from '../syntax/walk.js'
import {sizesOf, srcsetOf, webVariants, type ImageSize} from './images.js'

export type {ImageSize}

/** Image sizes by URL exactly as the tree holds it when rendered. */
export type ImageSizes = ReadonlyMap<string, ImageSize>

/** Files read at a time: enough to keep the disk busy, few enough for any fd limit. */
const concurrency = 32
/** Bytes read per file: every format image-size knows keeps its size in the head (its own limit). */
const headBytes = 512 * 1024

/**
 * Read the size of every local image the trees use (`image` nodes and the
 * definitions `imageReference` nodes point to), each file once.
 *
 * `resolveFile` maps a URL as it is in the tree to an absolute file path,
 * or `undefined` for remote or missing images (they are skipped). Run it on
 * the trees as they will be rendered: after links and images are resolved,
 * because the result is keyed by the URL in the tree. Unreadable or
 * unknown-format files are skipped too: a size is a hint, not a check.
 */
export async function measureImages(
  trees: Iterable<Root>,
  resolveFile: (url: string) => string | undefined
): Promise<Map<string, ImageSize>> {
  const urls = new Set<string>()
  for (const tree of trees) {
    const referenced = new Set<string>()
    visit(tree, (node) => {
      if (node.type === 'image') urls.add(node.url)
      else if (node.type === 'imageReference') referenced.add(node.identifier.toUpperCase())
    })
    if (referenced.size === 0) continue
    visit(tree, 'definition', (node) => {
      if (referenced.has(node.identifier.toUpperCase())) urls.add(node.url)
    })
  }

  const sizes = new Map<string, ImageSize>()
  const byFile = new Map<string, string[]>()
  for (const url of urls) {
    const file = resolveFile(url)
    if (file === undefined) continue
    const list = byFile.get(file)
    if (list) list.push(url)
    else byFile.set(file, [url])
  }

  const files = [...byFile.keys()]
  let next = 0
  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++] as string
      const size = await readImageSize(file)
      if (size) for (const url of byFile.get(file) ?? []) sizes.set(url, size)
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, files.length)}, worker))
  return sizes
}

/** The display size of one image file, or `undefined` when it cannot be read. */
export async function readImageSize(file: string): Promise<ImageSize | undefined> {
  let handle
  try {
    handle = await open(file, 'r')
    const buffer = new Uint8Array(headBytes)
    const {bytesRead} = await handle.read(buffer, 0, headBytes, 0)
    if (bytesRead === 0) return undefined
    const result = imageSize(buffer.subarray(0, bytesRead))
    if (!result.width || !result.height) return undefined
    // EXIF orientations 5 to 8 turn the picture a quarter: browsers show it
    // rotated, so the box is the other way round.
    const turned = result.orientation !== undefined && result.orientation >= 5
    const size: ImageSize = turned ? {width: result.height, height: result.width} : {width: result.width, height: result.height}
    if (hasAlpha(buffer.subarray(0, bytesRead))) size.alpha = true
    return size
  } catch {
    return undefined
  } finally {
    await handle?.close()
  }
}

/**
 * Whether the image in `head` (its first bytes) has transparency: a PNG of
 * a colour type with alpha or with a `tRNS` chunk, a WebP whose header says
 * so. JPEG never has.
 */
export function hasAlpha(head: Uint8Array): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const ascii = (at: number, length: number) => String.fromCharCode(...head.subarray(at, at + length))
  if (head.length >= 26 && head[0] === 0x89 && ascii(1, 3) === 'PNG') {
    const colourType = head[25]
    if (colourType === 4 || colourType === 6) return true
    // The chunks before the image data: a `tRNS` one makes a colour transparent.
    let at = 8
    while (at + 8 <= head.length) {
      const length = view.getUint32(at)
      const type = ascii(at + 4, 4)
      if (type === 'tRNS') return true
      if (type === 'IDAT' || type === 'IEND') return false
      at += 12 + length
    }
    return false
  }
  if (head.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4)
    if (chunk === 'VP8X') return (head[20]! & 0x10) !== 0
    if (chunk === 'VP8L') return ((head[24]! >> 4) & 1) === 1
  }
  return false
}

/** Options for `createMediaHandlers`. */
export interface MediaHandlerOptions {
  /** Sizes from `measureImages`. */
  imageSizes?: ImageSizes | undefined
  /** The site's absolute URL: links to its own origin are not external. */
  baseUrl?: string | undefined
  /** The first image is loaded at once (a post's body: it may be on the first screen); the rest lazily. */
  eagerFirst?: boolean | undefined
}

/** The web handlers for `image`, `imageReference`, `link` and `linkReference`. */
export function createMediaHandlers(options: MediaHandlerOptions = {}): Handlers {
  const sizes = options.imageSizes ?? new Map<string, ImageSize>()
  let siteOrigin: string | undefined
  try {
    siteOrigin = options.baseUrl ? new URL(options.baseUrl).origin : undefined
  } catch {
    siteOrigin = undefined
  }

  let first = options.eagerFirst === true

  function decorateImage(result: Element, url: string | undefined): Element {
    const properties = result.properties
    if (first) first = false
    else properties['loading'] ??= 'lazy'
    properties['decoding'] ??= 'async'
    const size = url === undefined ? undefined : sizes.get(url)
    if (!size) return result
    addSize(properties, size)
    return url === undefined ? result : pictureOf(result, url, size)
  }

  function decorateLink(result: Element): Element {
    const href = result.properties['href']
    if (typeof href !== 'string' || !/^https?:\/\//i.test(href)) return result
    if (siteOrigin !== undefined && sameOrigin(href, siteOrigin)) return result
    const rel = tokens(result.properties['rel'])
    if (!rel.includes('noopener')) rel.push('noopener')
    result.properties['rel'] = rel
    return result
  }

  return {
    image(state: State, node: Image): Element {
      return decorateImage(defaultHandlers.image(state, node), node.url)
    },
    imageReference(state: State, node: ImageReference): ElementContent | ElementContent[] {
      const result = defaultHandlers.imageReference(state, node)
      const definition = state.definitionById.get(node.identifier.toUpperCase())
      return isElement(result, 'img') ? decorateImage(result, definition?.url) : result
    },
    link(state: State, node: Link): Element {
      return decorateLink(defaultHandlers.link(state, node))
    },
    linkReference(state: State, node: LinkReference): ElementContent | ElementContent[] {
      const result = defaultHandlers.linkReference(state, node)
      return isElement(result, 'a') ? decorateLink(result) : result
    }
  }
}

/**
 * Add the measured size unless the author set one. When the author set only
 * one side, the other follows the file's aspect ratio (a lone `width=300`
 * with the file's own height would squash the picture).
 */
function addSize(properties: Properties, size: ImageSize): void {
  const width = properties['width']
  const height = properties['height']
  if (width === undefined && height === undefined) {
    properties['width'] = size.width
    properties['height'] = size.height
    return
  }
  const given = (value: Properties[string]) =>
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined
  if (height === undefined) {
    const w = given(width)
    if (w !== undefined) properties['height'] = Math.round((w * size.height) / size.width)
  } else if (width === undefined) {
    const h = given(height)
    if (h !== undefined) properties['width'] = Math.round((h * size.width) / size.height)
  }
}

/**
 * A local raster image as `<picture>`: its WebP variants by width, with
 * `sizes` for the width it is shown at, and the `<img>` (the original) as
 * the fallback. An image whose author gave a `srcset` stays as written.
 */
function pictureOf(img: Element, url: string, size: ImageSize): Element {
  if (img.properties['srcSet'] !== undefined) return img
  const variants = webVariants(url, size)
  if (variants.length === 0) return img
  const shown = Number(img.properties['width']) || size.width
  const source: Element = {
    type: 'element',
    tagName: 'source',
    properties: {type: 'image/webp', srcSet: srcsetOf(variants), sizes: sizesOf(shown)},
    children: []
  }
  return {type: 'element', tagName: 'picture', properties: {}, children: [source, img]}
}

function isElement(node: ElementContent | ElementContent[] | undefined, tagName: string): node is Element {
  return node !== undefined && !Array.isArray(node) && node.type === 'element' && node.tagName === tagName
}

function tokens(value: Properties[string]): string[] {
  if (Array.isArray(value)) return value.map(String)
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []
}

function sameOrigin(href: string, origin: string): boolean {
  try {
    return new URL(href).origin === origin
  } catch {
    return false
  }
}


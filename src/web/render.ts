/**
 * The web renderer: mdast (one parse) to hast with the web handlers of every
 * dialect node, then to HTML. Differences from the email target live in the
 * handlers, never in string patches over the output.
 */
import type {Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import {toHast, type Handlers} from 'mdast-util-to-hast'
import path from 'node:path'
import {visit} from '../syntax/walk.js'
import type {VFile} from 'vfile'
import {stringsOf, type ResolvedConfig} from '../source/config.js'
import type {Strings} from '../source/strings/index.js'
import {createHighlight, type Highlight} from '../render/highlight.js'
import {webHandlers} from './handlers/index.js'
import {katexAssets} from './handlers/math.js'
import {measureImages, type ImageSize} from '../render/media.js'
import {createWebRenderContext} from './handlers/render-context.js'
import {removeUnsafeUrls, secureHast} from './safety.js'
import {basePathOf} from '../source/urls.js'

/** Options for the web renderer. */
export interface WebRenderOptions {
  /** Absolute site URL, used where a link must be absolute. */
  baseUrl?: string
  /** Handlers over `webHandlers` for this render (from `createWebRenderContext(...).handlers({file})`). */
  handlers?: Handlers
  /** The site's strings, for the footnotes' heading and back links (without: English). */
  strings?: Strings | undefined
}

/**
 * Turn a post's tree into hast for the web. The tree is read, never
 * changed (the email renderer reads the same tree): the conversion and the
 * web handlers build new nodes, so no copy is made.
 */
export function toWebHast(tree: Root, options: WebRenderOptions = {}): HastRoot {
  const handlers: Handlers = {...webHandlers, ...options.handlers}
  const {strings} = options
  const hast = toHast(tree, {
    allowDangerousHtml: true,
    handlers,
    ...(strings
      ? {
          footnoteLabel: strings.text('post.footnotes'),
          footnoteBackLabel: (reference: number, rereference: number) =>
            strings.text('post.footnoteBack', {number: `${reference + 1}${rereference > 1 ? `-${rereference}` : ''}`})
        }
      : {}),
    // Frontmatter is metadata, never body.
    passThrough: []
  }) as HastRoot
  // A URL the URL policy refuses (`javascript:`, `data:`, ...) never becomes a live link or image.
  removeUnsafeUrls(hast)
  return hast
}

/** Serialise web hast to HTML (raw HTML from posts is kept as written). */
export function webHastToHtml(hast: HastRoot): string {
  return toHtml(hast, {allowDangerousHtml: true})
}

/** Options for one render of a build. */
export interface WebRenderCall {
  /** The title came from the first `#` heading: the page shows it, the body leaves it out. */
  dropFirstHeading?: boolean
  /** An excerpt in a list: no heading permalinks. */
  excerpt?: boolean
}

/** The web renderer of one build: handlers prepared once, used for every post. */
export interface WebRenderer {
  /**
   * Load what rendering `trees` needs: their code languages into the
   * highlighter and the sizes of their local images. Call before `render`.
   */
  prepare(trees: Iterable<Root>): Promise<void>
  /** Render one tree (read, not changed) to hast; warnings go to `file` (none for an excerpt: the body's render reports its nodes). */
  render(tree: Root, file: VFile, call?: WebRenderCall): HastRoot
  /** Say that a page of the site shows math rendered earlier (a memoised post), so `assets` includes KaTeX's. */
  noteMath(): void
  /** Files the rendered pages need (KaTeX's stylesheet and fonts when a post has math). */
  assets(): Array<{from: string; to: string}>
  /** The build's highlighter (the email renderer shares it). */
  highlight: Highlight
}

let sharedHighlight: Promise<Highlight> | undefined

/**
 * Make the web renderer of a build. The highlighter is shared by the whole
 * process (the dev server renders again on every save); languages and image
 * sizes are loaded per tree by `prepare`, so posts whose render is
 * memoised cost nothing.
 */
export async function createWebRenderer(config: ResolvedConfig): Promise<WebRenderer> {
  sharedHighlight ??= createHighlight()
  const highlight = await sharedHighlight
  const basePath = basePathOf(config)
  const imageSizes = new Map<string, ImageSize>()
  const strings = stringsOf(config)
  const context = createWebRenderContext({highlight, imageSizes, baseUrl: config.baseUrl, strings})
  let usesMath = false
  return {
    async prepare(trees) {
      const list = [...trees]
      await highlight.prepare(list)
      const sizes = await measureImages(list, (url) =>
        !imageSizes.has(url) && url.startsWith(basePath) && !url.startsWith('//')
          ? path.join(config.postsDir, ...safeDecode(url.slice(basePath.length)).split('/'))
          : undefined
      )
      for (const [url, size] of sizes) imageSizes.set(url, size)
    },
    render(tree, file, call = {}) {
      let source = tree
      if (call.dropFirstHeading) {
        const index = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 1)
        if (index !== -1) source = {...tree, children: tree.children.filter((_, at) => at !== index)}
      }
      if (!usesMath) {
        visit(source, (node) => {
          if (node.type === 'math' || node.type === 'inlineMath') usesMath = true
        })
      }
      // An excerpt's nodes are the body's own, whose render reports their problems: reporting them again would repeat each.
      const hast = toWebHast(source, {handlers: context.handlers({file: call.excerpt ? undefined : file, permalinks: !call.excerpt}), strings})
      return secureHast(hast, {sanitize: config.rawHtml === 'sanitize'})
    },
    noteMath() {
      usesMath = true
    },
    highlight,
    assets() {
      return usesMath ? katexAssets().map(({from, to}) => ({from, to})) : []
    }
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURI(value)
  } catch {
    return value
  }
}

/**
 * The web renderer: mdast (one parse) to hast with the web handlers of every
 * dialect node, then to HTML. Differences from the email target live in the
 * handlers, never in string patches over the output.
 */
import type {Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import {toHast, type Handlers} from 'mdast-util-to-hast'
import {webHandlers} from './web/index.js'

/** Options for the web renderer. */
export interface WebRenderOptions {
  /** Absolute site URL, used where a link must be absolute. */
  baseUrl?: string
}

/**
 * Turn a post's tree into hast for the web. The tree is cloned first: hast
 * conversion must not change the tree the email renderer reads.
 */
export function toWebHast(tree: Root, _options: WebRenderOptions = {}): HastRoot {
  const copy = structuredClone(tree)
  const handlers: Handlers = {...webHandlers}
  const hast = toHast(copy, {
    allowDangerousHtml: true,
    handlers,
    // Frontmatter is metadata, never body.
    passThrough: []
  })
  return hast as HastRoot
}

/** Serialise web hast to HTML (raw HTML from posts is kept as written). */
export function webHastToHtml(hast: HastRoot): string {
  return toHtml(hast, {allowDangerousHtml: true})
}

/**
 * What raw HTML and URLs may do on the web (README, "Security").
 *
 * - Every `href`, `src`, `srcset`, `action`, `formaction`, `poster`, `cite`,
 *   `background` and `xlink:href` with a `javascript:`, `vbscript:` or
 *   `data:` URL is removed, whether it came from Markdown or raw HTML: such a
 *   URL never becomes a live link or image.
 * - `rawHtml: keep` (default): the author's raw HTML is kept (it is their
 *   own site, as with MkDocs and Hugo's `unsafe`), parsed so that comments
 *   can be dropped and URLs checked.
 * - `rawHtml: sanitize`: the author's raw HTML, and only that, is cut down
 *   to GitHub's safe subset (`sanitize-author-html.ts`); what letterpress
 *   renders around and inside it is never judged.
 */
import type {Element, Nodes, Root} from 'hast'
import {raw} from 'hast-util-raw'
import {SKIP, visit} from 'unist-util-visit'
import {markOwnElements, retargetFragmentLinks, sanitizeAuthorHtml} from '../sanitize-author-html.js'

const urlProperties = ['href', 'src', 'srcSet', 'action', 'formAction', 'poster', 'cite', 'background', 'xLinkHref']

/**
 * Whether a URL is safe to make live: relative, or with a scheme other than
 * `javascript:`, `vbscript:` and `data:`. Browsers ignore control
 * characters and spaces around and inside the scheme, so this does too.
 */
export function isSafeUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const squashed = url.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').toLowerCase()
  return !/^(?:javascript|vbscript|data):/.test(squashed)
}

/** Remove every URL-valued property with an unsafe URL, in place. */
export function removeUnsafeUrls(tree: Nodes): void {
  visit(tree, 'element', (node: Element) => {
    for (const key of urlProperties) {
      const value = node.properties[key]
      if (value === undefined || value === null) continue
      const values = Array.isArray(value) ? value.map(String) : [String(value)]
      if (values.some((entry) => !isSafeUrl(key === 'srcSet' ? entry.trim().split(/\s+/)[0] ?? '' : entry))) {
        delete node.properties[key]
      }
    }
  })
}

/** Whether the tree holds raw HTML from the post. */
export function hasRaw(tree: Nodes): boolean {
  let found = false
  visit(tree, 'raw', () => {
    found = true
    return false
  })
  return found
}

/**
 * Parse the raw HTML in a rendered tree into elements (so the whole page is
 * one tree), dropping comments; with `sanitize`, cut the author's HTML to
 * the safe subset; then remove unsafe URLs.
 */
export function secureHast(tree: Root, options: {sanitize: boolean}): Root {
  let result: Root = tree
  if (hasRaw(tree)) {
    if (options.sanitize) markOwnElements(tree)
    result = raw(tree) as Root
    visit(result, 'comment', (_node, index, parent) => {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      return undefined
    })
    if (options.sanitize) {
      sanitizeAuthorHtml(result)
      retargetFragmentLinks(result)
    }
  }
  removeUnsafeUrls(result)
  return result
}

/**
 * What raw HTML and URLs may do on the web (README, "Security").
 *
 * - Every `href`, `src`, `srcset`, `action`, `formaction`, `poster`, `cite`,
 *   `background` and `xlink:href` whose URL the URL policy refuses
 *   (`source/url-policy.ts`: a scheme other than http, https or mailto) is
 *   removed, whether it came from Markdown or raw HTML: such a URL never
 *   becomes a live link or image.
 * - `rawHtml: keep` (default): the author's raw HTML is kept (it is their
 *   own site, as with MkDocs and Hugo's `unsafe`), parsed so that comments
 *   can be dropped and URLs checked.
 * - `rawHtml: sanitize`: the author's raw HTML, and only that, is cut down
 *   to GitHub's safe subset (`render/sanitize-author-html.ts`); what letterpress
 *   renders around and inside it is never judged.
 */
import type {Element, Nodes, Root} from 'hast'
import {raw} from 'hast-util-raw'
import {SKIP, visit} from '../syntax/walk.js'
import {markOwnElements, retargetFragmentLinks, sanitizeAuthorHtml} from '../render/sanitize-author-html.js'
import {isAllowedUrl, urlProperties} from '../source/url-policy.js'

/** Remove every URL-valued property with a URL the policy refuses, in place. */
export function removeUnsafeUrls(tree: Nodes): void {
  visit(tree, 'element', (node: Element) => {
    for (const key of urlProperties) {
      const value = node.properties[key]
      if (value === undefined || value === null) continue
      const values = Array.isArray(value) ? value.map(String) : [String(value)]
      if (values.some((entry) => !isAllowedUrl(key === 'srcSet' ? entry.trim().split(/\s+/)[0] ?? '' : entry))) {
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

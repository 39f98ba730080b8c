/**
 * What raw HTML and URLs may do on the web (README, "Security").
 *
 * - Every `href`, `src`, `srcset`, `action`, `formaction`, `poster`, `cite`,
 *   `background` and `xlink:href` whose URL the URL policy refuses
 *   (`url-policy.ts`: a scheme other than http, https or mailto) is
 *   removed, whether it came from Markdown or raw HTML: such a URL never
 *   becomes a live link or image.
 * - `rawHtml: keep` (default): the author's raw HTML is kept (it is their
 *   own site, as with MkDocs and Hugo's `unsafe`), parsed so that comments
 *   can be dropped and URLs checked.
 * - `rawHtml: sanitize`: raw HTML is cut down to GitHub's safe subset
 *   (hast-util-sanitize's schema) widened only by what letterpress itself
 *   emits: no scripts, styles, iframes, forms or event handlers.
 */
import type {Element, Nodes, Root} from 'hast'
import {raw} from 'hast-util-raw'
import {defaultSchema, sanitize, type Schema} from 'hast-util-sanitize'
import {SKIP, visit} from 'unist-util-visit'
import {isAllowedUrl, urlProperties} from '../url-policy.js'

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
 * one tree), dropping comments; sanitize when asked; then remove unsafe URLs.
 */
export function secureHast(tree: Root, options: {sanitize: boolean}): Root {
  let result: Root = tree
  if (hasRaw(tree)) {
    result = raw(tree) as Root
    visit(result, 'comment', (_node, index, parent) => {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      return undefined
    })
  }
  if (options.sanitize) result = sanitize(result, sanitizeSchema) as Root
  removeUnsafeUrls(result)
  return result
}

/**
 * GitHub's schema, widened by exactly what letterpress's own renderers emit
 * (admonitions, tabs, code, KaTeX, emoji, keys) so sanitizing a page keeps
 * its dialect and drops only what an author's raw HTML added.
 */
const sanitizeSchema: Schema = {
  ...defaultSchema,
  // Ids come from letterpress (headings, footnotes); keep them as they are.
  clobber: [],
  tagNames: [
    ...(defaultSchema.tagNames ?? []),
    'details', 'summary', 'mark', 'figure', 'figcaption', 'abbr', 'label', 'input', 'section', 'span', 'div',
    'math', 'semantics', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt',
    'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mspace', 'mpadded', 'mstyle', 'annotation'
  ],
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className', 'id', 'style', 'ariaHidden', 'ariaLabel', 'role', 'title', 'tabIndex', 'dataLinenos', 'dataTabs'],
    a: [...(defaultSchema.attributes?.['a'] ?? []), 'rel', 'ariaLabel'],
    img: [...(defaultSchema.attributes?.['img'] ?? []), 'loading', 'decoding', 'width', 'height'],
    input: [['type', 'radio', 'checkbox'], 'checked', 'disabled', 'name', 'id'],
    label: ['htmlFor'],
    details: ['open'],
    math: ['xmlns', 'display'],
    annotation: ['encoding']
  },
  required: {...defaultSchema.required},
  strip: ['script', 'style']
}

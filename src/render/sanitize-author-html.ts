/**
 * `rawHtml: sanitize` (README, "Security"): the author's raw HTML cut to
 * GitHub's safe subset, while everything letterpress renders stays as it
 * was rendered.
 *
 * Raw HTML is parsed together with the rendered tree (an opening tag in one
 * Markdown block may close in another, around Markdown content), so after
 * parsing, the author's elements and letterpress's sit in one tree. To tell
 * them apart, every element letterpress made is marked before the raw HTML
 * is parsed (`markOwnElements`); the author's HTML is still text then. The
 * mark is a `data-*` attribute with a value drawn at random per process, so
 * no raw HTML can forge it; HTML parsers carry attributes through, also
 * onto elements the parser clones when it mends misnested tags.
 * `sanitizeAuthorHtml` then runs hast-util-sanitize over each unmarked
 * element (with whatever letterpress content it wraps set aside and put
 * back afterwards) and removes the marks.
 *
 * The policy is hast-util-sanitize's `defaultSchema` (GitHub's): its
 * elements and attributes, `id` and `name` prefixed `user-content-` so they
 * cannot clobber globals a script reads (`document.querySelectorAll`), no
 * `style` attribute anywhere, no event handlers, and only http(s), mailto,
 * irc and xmpp URLs besides relative ones. `script` and `style` elements go
 * with their content.
 */
import {randomBytes} from 'node:crypto'
import type {Element, Nodes, Parents, Root, RootContent} from 'hast'
import {defaultSchema, sanitize, type Schema} from 'hast-util-sanitize'
import {visit} from '../syntax/walk.js'

/** The policy for the author's raw HTML: GitHub's, plus `<style>` dropped with its content. */
export const authorHtmlSchema: Schema = {
  ...defaultSchema,
  // Unwrapped, a `<style>` element's CSS would show as text.
  strip: [...(defaultSchema.strip ?? []), 'style']
}

/** The prefix GitHub's policy puts on the author's `id` and `name` values. */
export const userContentPrefix = authorHtmlSchema.clobberPrefix ?? 'user-content-'

const markProperty = 'dataLetterpressOwn'
const markValue = randomBytes(12).toString('hex')

/**
 * Mark every element of `tree` as letterpress's own, in place. Call before
 * raw HTML is parsed: at that point every element was made by letterpress.
 */
export function markOwnElements(tree: Nodes): void {
  visit(tree, 'element', (node: Element) => {
    node.properties[markProperty] = markValue
  })
}

/**
 * Sanitize every element of `tree` that `markOwnElements` did not mark (the
 * author's, parsed from raw HTML) with `authorHtmlSchema`, and remove the
 * marks. Marked elements, and all their attributes, stay as they are. The
 * tree is changed in place and returned.
 */
export function sanitizeAuthorHtml<Tree extends Root | Element>(tree: Tree): Tree {
  if (isOwn(tree)) delete tree.properties[markProperty]
  cleanChildren(tree)
  return tree
}

function isOwn(node: Nodes): node is Element {
  return node.type === 'element' && node.properties[markProperty] === markValue
}

function cleanChildren(parent: Parents): void {
  const next: RootContent[] = []
  for (const child of parent.children) {
    if (child.type !== 'element') next.push(child)
    else if (isOwn(child)) next.push(sanitizeAuthorHtml(child))
    else next.push(...sanitizeIsland(child))
  }
  parent.children = next as typeof parent.children
}

/**
 * Sanitize one author element. Letterpress elements inside it (Markdown
 * between an opening and a closing tag) are swapped for placeholder text,
 * which the sanitizer keeps wherever it keeps text, and swapped back after,
 * so the policy never judges letterpress's markup.
 */
function sanitizeIsland(element: Element): RootContent[] {
  const kept: Element[] = []
  const token = (index: number) => `\u{E000}${markValue}:${index}\u{E000}`
  const setAside = (parent: Parents): void => {
    parent.children = parent.children.map((child) => {
      if (child.type !== 'element') return child
      if (isOwn(child)) return {type: 'text', value: token(kept.push(child) - 1)}
      setAside(child)
      return child
    }) as typeof parent.children
  }
  setAside(element)
  const clean = sanitize({type: 'root', children: [element]}, authorHtmlSchema) as Root
  // A class list the schema emptied would print as `class=""`.
  visit(clean, 'element', (node: Element) => {
    const classes = node.properties['className']
    if (Array.isArray(classes) && classes.length === 0) delete node.properties['className']
  })
  if (kept.length > 0) {
    const tokens = new Map(kept.map((node, index) => [token(index), node]))
    const putBack = (parent: Parents): void => {
      parent.children = parent.children.map((child) => {
        if (child.type === 'text') {
          const own = tokens.get(child.value)
          return own ? sanitizeAuthorHtml(own) : child
        }
        if (child.type === 'element') putBack(child)
        return child
      }) as typeof parent.children
    }
    putBack(clean)
  }
  return clean.children
}

/**
 * Point in-page links at the author's prefixed targets: `#x` becomes
 * `#user-content-x` when the tree has no `id` `x` but has an `id` or `name`
 * `user-content-x` (the author's `<a id="x">`), as GitHub's pages do with a
 * script. In place.
 */
export function retargetFragmentLinks(tree: Root): void {
  const targets = new Set<string>()
  visit(tree, 'element', (node: Element) => {
    // A fragment names an element by `id`, or an `<a>` by `name`.
    for (const key of node.tagName === 'a' ? ['id', 'name'] : ['id']) {
      const value = node.properties[key]
      if (typeof value === 'string') targets.add(value)
    }
  })
  visit(tree, 'element', (node: Element) => {
    const href = node.properties['href']
    if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return
    const fragment = safeDecode(href.slice(1))
    if (!targets.has(fragment) && targets.has(userContentPrefix + fragment)) {
      node.properties['href'] = '#' + userContentPrefix + href.slice(1)
    }
  })
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * One post rendered for the web, as every page and feed that shows it uses
 * it: its body, its excerpt and, for the posts in the feeds, its body with
 * absolute URLs.
 */
import type {Element, Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import {visit} from '../syntax/walk.js'
import {firstParagraph} from '../render/excerpt.js'
import {renderedText} from '../render/plain-text.js'
import {excerptNodes, type Post} from '../source/post.js'
import type {WebRenderer} from './render.js'

/** A post's web render. */
export interface WebPost {
  contentHtml: string
  excerptHtml: string
  /** For the feeds' posts: the content with absolute URLs, escaped for a CDATA section. */
  feedHtml?: string
  hasMore: boolean
  hasMath: boolean
}

/** What `renderPostForWeb` makes beside the post's render when asked. */
export interface WebRenderExtras {
  /** The body's text for search (`renderedText` without permalinks), read from the body's tree. */
  searchText?: boolean
}

/**
 * Render `post` for the web. `hasMath` is what loading found of the tree
 * (worked out here when not given); `absolute` makes a site path absolute,
 * for the feed body when `inFeed`.
 */
export async function renderPostForWeb(
  post: Post,
  renderer: WebRenderer,
  absolute: (url: string) => string,
  inFeed: boolean,
  hasMath?: boolean,
  extras: WebRenderExtras = {}
): Promise<WebPost & {searchText?: string}> {
  await renderer.prepare([post.tree])
  const content = renderer.render(post.tree, post.file, {dropFirstHeading: post.titleFromHeading})
  const excerpt = renderExcerpt(post, renderer)
  return {
    ...(extras.searchText ? {searchText: renderedText(content, {withoutPermalinks: true})} : {}),
    contentHtml: toHtml(content, {allowDangerousHtml: true}),
    excerptHtml: toHtml(excerpt.excerpt, {allowDangerousHtml: true}),
    ...(inFeed
      ? {feedHtml: toHtml(absolutize(content, absolute, post.url), {allowDangerousHtml: true}).replaceAll(']]>', ']]&gt;')}
      : {}),
    hasMore: excerpt.hasMore,
    hasMath: hasMath ?? treeHasMath(post.tree)
  }
}

/**
 * The excerpt: up to `<!-- more -->`, else the description (shown by the
 * template), else the paragraph that opens the post's text.
 */
function renderExcerpt(post: Post, renderer: WebRenderer): {excerpt: HastRoot; hasMore: boolean} {
  const marked = excerptNodes(post)
  if (marked) {
    const tree: Root = {type: 'root', children: marked}
    return {excerpt: renderer.render(tree, post.file, {excerpt: true, dropFirstHeading: post.titleFromHeading}), hasMore: true}
  }
  if (post.description) {
    return {
      excerpt: {type: 'root', children: [{type: 'element', tagName: 'p', properties: {}, children: [{type: 'text', value: post.description}]}]},
      hasMore: true
    }
  }
  const first = firstParagraph(post)
  const tree: Root = {type: 'root', children: first ? [first] : []}
  const hasMore = post.tree.children.filter((node) => node.type !== 'yaml').length > 1
  return {excerpt: renderer.render(tree, post.file, {excerpt: true, dropFirstHeading: post.titleFromHeading}), hasMore}
}

function treeHasMath(tree: Root): boolean {
  let found = false
  visit(tree, (node) => {
    if (node.type === 'math' || node.type === 'inlineMath') found = true
  })
  return found
}

/** Make every `href`/`src` absolute (for feeds, which are read away from the site). */
function absolutize(tree: HastRoot, absolute: (url: string) => string, pageUrl: string): HastRoot {
  const copy = structuredClone(tree)
  // A feed reader shows the image itself: the `<picture>` around it, for browsers, is left out.
  visit(copy, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'picture' || !parent || index === undefined) return
    const img = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'img')
    if (!img) return
    parent.children.splice(index, 1, img)
  })
  visit(copy, 'element', (node: Element) => {
    for (const key of ['href', 'src'] as const) {
      const value = node.properties[key]
      if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')) {
        node.properties[key] = absolute(value)
      } else if (typeof value === 'string' && value.startsWith('#')) {
        node.properties[key] = absolute(pageUrl) + value
      }
    }
  })
  return copy
}

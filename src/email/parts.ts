/**
 * The parts of one issue, rendered: each post in full or as its excerpt,
 * and the note's intro and outro, as email HTML, as HTML for the issue's
 * web archive page, and as plain text. Each post is rendered at most once
 * per shape, however many forms of the issue are tried.
 */
import type {Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {excerptTree, withDefinitions} from '../render/excerpt.js'
import type {Post} from '../source/post.js'
import type {Strings} from '../source/strings/index.js'
import type {IssueContext} from './issue-context.js'
import type {IssuePlan} from './plan.js'
import {emailHastToHtml, renderEmailHast, type UtmParameters} from './render.js'
import {renderEmailText, type LinkReferences} from './text.js'

/** Where an issue's links point. */
export interface IssueUrls {
  /** The site's absolute URL (a placeholder when the config has none). */
  baseUrl: string
  /** Its path (`/`, `/blog/`): the site paths of images and covers start with it. */
  basePath: string
  /** The campaign parameters of the email's links, if any. */
  utm: UtmParameters | undefined
  /** The issue's web archive page. */
  webUrl: string
}

/** What rendering one part of the issue (a post, an excerpt, a note's intro) needs. */
export interface PartOptions {
  baseUrl: string
  /** The part's web page: `#anchor` links resolve against it. */
  pageUrl: string
  utm: UtmParameters | undefined
  dropFirstHeading: boolean
  /** `rawHtml: sanitize`: the author's raw HTML is cut to the web's policy. */
  sanitizeRawHtml: boolean
}

/** A post in full, or its excerpt. */
export type PartShape = 'full' | 'excerpt'

/** One part of the issue, rendered for the email and for the web archive page. */
export interface RenderedPart {
  /** Email HTML in its own `div.lp-content`. */
  html: string
  /** The same without that wrapper, for parts that share one (the cards). */
  bareHtml: string
  /** For the web archive page: no campaign parameters. */
  webHtml: string
  /**
   * What rendering reported (raw HTML left out, ...). Copied onto the
   * part's own file only when the issue that is sent shows this part.
   */
  file: VFile
}

/**
 * A post's part, rendered by `render` or, from a cache that has it, the
 * part rendered before from the same post, shape and options.
 */
export type PartCache = (post: Post, shape: PartShape, options: PartOptions, render: () => RenderedPart) => RenderedPart

/** The parts of one issue, rendered on demand. */
export interface IssueParts {
  /** The note's intro, rendered (none without a note or an intro). */
  intro: RenderedPart | undefined
  introTree: Root | undefined
  /** The note's outro, rendered. */
  outro: RenderedPart | undefined
  outroTree: Root | undefined
  /** How the note's parts are rendered. */
  noteOptions: PartOptions
  /** How a post's parts are rendered. */
  postOptions(post: Post): PartOptions
  /** A post's excerpt tree. */
  excerptOf(post: Post): Root
  /** A post's part, in full or as its excerpt. */
  partOf(post: Post, shape: PartShape): RenderedPart
  /** Whether a post's excerpt is shorter than the post: only then is cutting a lead at it worth anything. */
  excerptShorter(post: Post): boolean
}

/** Render the parts of the issue of `plan`, with the highlighter and image sizes of `context` prepared for them. */
export function createIssueParts(
  plan: IssuePlan,
  context: IssueContext,
  urls: IssueUrls,
  sanitizeRawHtml: boolean,
  cache?: PartCache
): IssueParts {
  const {baseUrl, utm} = urls
  const postOptions = (post: Post): PartOptions => ({
    baseUrl,
    pageUrl: absolute(post.url, baseUrl),
    utm,
    dropFirstHeading: post.titleFromHeading,
    sanitizeRawHtml
  })
  const noteOptions: PartOptions = {baseUrl, pageUrl: urls.webUrl, utm, dropFirstHeading: false, sanitizeRawHtml}

  const note = plan.note
  const introTree = note && note.intro.length > 0 ? withDefinitions(note.intro, note.tree, true) : undefined
  const outroTree = note && note.outro.length > 0 ? withDefinitions(note.outro, note.tree, true) : undefined
  const intro = introTree && renderPartHtml(introTree, noteOptions, context, note!.file.path)
  const outro = outroTree && renderPartHtml(outroTree, noteOptions, context, note!.file.path)

  const excerpts = new Map<Post, Root>()
  const excerptOf = (post: Post): Root => {
    let tree = excerpts.get(post)
    if (!tree) {
      tree = excerptTree(post)
      excerpts.set(post, tree)
    }
    return tree
  }
  const parts = new Map<string, RenderedPart>()
  const partOf = (post: Post, shape: PartShape): RenderedPart => {
    const key = `${shape}:${post.sourcePath}`
    let part = parts.get(key)
    if (part) return part
    const options = postOptions(post)
    const render = () => renderPartHtml(shape === 'full' ? post.tree : excerptOf(post), options, context, post.file.path)
    part = cache ? cache(post, shape, options, render) : render()
    parts.set(key, part)
    return part
  }
  const shorter = new Map<Post, boolean>()
  const excerptShorter = (post: Post): boolean => {
    let value = shorter.get(post)
    if (value === undefined) {
      value = partOf(post, 'excerpt').html.length < partOf(post, 'full').html.length
      shorter.set(post, value)
    }
    return value
  }
  return {intro, introTree, outro, outroTree, noteOptions, postOptions, excerptOf, partOf, excerptShorter}
}

function renderPartHtml(tree: Root, options: PartOptions, context: IssueContext, filePath: string | undefined): RenderedPart {
  const common = {
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl,
    highlight: context.highlight,
    imageSizes: context.imageSizes,
    dropFirstHeading: options.dropFirstHeading,
    sanitizeRawHtml: options.sanitizeRawHtml,
    strings: context.strings
  }
  const file = new VFile({path: filePath})
  const hast = renderEmailHast(tree, {...common, utm: options.utm, file})
  const wrapper = hast.children[0]
  const bare: HastRoot = wrapper?.type === 'element' ? {type: 'root', children: wrapper.children} : hast
  return {
    html: emailHastToHtml(hast),
    bareHtml: emailHastToHtml(bare),
    webHtml: emailHastToHtml(renderEmailHast(tree, common)),
    file
  }
}

/**
 * A part as plain text. Link numbers run through the whole email
 * (`links`); with `ownLinks`, the part's "Links:" list follows it,
 * otherwise the caller prints the list later (the cards share one).
 */
export function renderPartText(tree: Root, options: PartOptions, links: LinkReferences, ownLinks: boolean, strings: Strings): string {
  let text = renderEmailText(tree, {
    strings,
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl,
    utm: options.utm,
    dropFirstHeading: options.dropFirstHeading,
    links
  })
  if (ownLinks) {
    const list = links.take()
    if (list.length > 0) text += `\n\n${strings.text('email.links')}\n` + list.join('\n')
  }
  return text
}

/** A site path (`/2026/post/`) as an absolute URL against `baseUrl`. */
export function absolute(url: string, baseUrl: string): string {
  return new URL(url.replace(/^\//, ''), baseUrl).href
}

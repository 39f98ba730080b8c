/**
 * What the web handlers need from a build, gathered once: the prepared
 * highlighter, the image sizes, the site URL, TeX macros. The build creates
 * one context, then asks it for handlers per render (cheap closures) so
 * that messages land on the file being rendered.
 *
 * Without a context, `webHandlers` alone render code, images and links as
 * plain remark does (what `renderFragment` and the CommonMark test use);
 * math and heading permalinks are in `webHandlers` already.
 */
import type {Handlers} from 'mdast-util-to-hast'
import type {VFile} from 'vfile'
import type {Highlight} from '../../render/highlight.js'
import type {Strings} from '../../source/strings/index.js'
import {createCodeHandlers} from './code.js'
import {createHeadingHandlers, headingHandlers} from './heading.js'
import {createMathHandlers, mathHandlers} from './math.js'
import {createMediaHandlers, type ImageSizes} from '../../render/media.js'
import type {ReportMessage} from './report.js'

/**
 * The handlers of this group that need no build context, registered in
 * `webHandlers`: heading permalinks and KaTeX math (invalid TeX renders as
 * source; only a context's handlers report it).
 */
export const contextFreeHandlers: Handlers = {...headingHandlers, ...mathHandlers}

/** Options for `createWebRenderContext`, all optional. */
export interface WebRenderContextOptions {
  /**
   * A highlighter from `createHighlight()`, already `prepare`d with the
   * trees to render. Without it code renders as plain remark does.
   */
  highlight?: Highlight | undefined
  /** Sizes from `measureImages`, keyed by the URLs in the rendered trees. */
  imageSizes?: ImageSizes | undefined
  /** The site's absolute URL: links to it are not external. */
  baseUrl?: string | undefined
  /** TeX macros for every formula. */
  mathMacros?: Readonly<Record<string, string>> | undefined
  /** The site's strings, for the heading permalinks' label (without: English). */
  strings?: Strings | undefined
}

/** Options for one render. */
export interface WebRenderHandlersOptions {
  /** The post's file: warnings become messages on it, at the node's position. */
  file?: VFile | undefined
  /** Heading permalink anchors (default `true`; an excerpt may turn them off). */
  permalinks?: boolean | undefined
}

/** A build's web rendering context. */
export interface WebRenderContext {
  /**
   * The handlers for one render, to spread over `webHandlers`:
   * `toHast(tree, {handlers: {...webHandlers, ...context.handlers({file})}})`.
   */
  handlers(options?: WebRenderHandlersOptions): Handlers
}

/**
 * Create the web rendering context of a build. Synchronous: do the async
 * work first (`createHighlight`, `highlight.prepare(trees)`,
 * `measureImages(trees, resolve)`) and pass the results in.
 */
export function createWebRenderContext(options: WebRenderContextOptions = {}): WebRenderContext {
  const {highlight, imageSizes, baseUrl, mathMacros, strings} = options
  return {
    handlers({file, permalinks} = {}) {
      const report: ReportMessage | undefined = file
        ? ({reason, node, ruleId}) => {
            file.message(reason, {place: node.position, ruleId, source: 'letterpress'})
          }
        : undefined
      return {
        ...createHeadingHandlers({permalink: permalinks ?? true, ...(strings ? {label: strings.text('post.headingPermalink')} : {})}),
        ...createMathHandlers({macros: mathMacros, report}),
        // The first image of a post's body may be on its first screen: loaded at once; an excerpt's are lazy.
        ...createMediaHandlers({imageSizes, baseUrl, eagerFirst: permalinks ?? true}),
        ...(highlight ? createCodeHandlers(highlight, {report}) : {})
      }
    }
  }
}

/**
 * letterpress: one Markdown parse, two publications.
 */
import {VFile} from 'vfile'
import {createParser, parseFile, type Parser} from './parse.js'
import {toWebHast, webHastToHtml} from './render-web.js'

export {createParser, parseFile} from './parse.js'
export type * from './mdast.js'

/** Options for `renderFragment`. */
export interface RenderFragmentOptions {
  /** Which renderer to use (default `web`). */
  target?: 'web' | 'email'
  /** Absolute site URL, for links that must be absolute. */
  baseUrl?: string
}

let sharedParser: Parser | undefined

/**
 * Render one Markdown document to the HTML of its body (no page chrome).
 * Frontmatter, if any, is parsed and left out of the output.
 */
export async function renderFragment(
  markdown: string,
  options: RenderFragmentOptions = {}
): Promise<string> {
  sharedParser ??= createParser()
  const file = new VFile({value: markdown})
  const tree = await parseFile(sharedParser, file)
  const hast = toWebHast(tree, options.baseUrl ? {baseUrl: options.baseUrl} : {})
  return webHastToHtml(hast)
}

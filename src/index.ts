/**
 * letterpress: one Markdown parse, two publications.
 *
 * The library entry: `renderFragment` for one document, and the functions
 * the CLI calls (`build`, `check`, `fixPosts`, `issue`, `send`), so tests and other
 * tools can drive the pipeline without a shell.
 */
import {VFile} from 'vfile'
import {renderEmailFragment} from './email/index.js'
import {createParser, parseFile, type Parser} from './source/parse.js'
import {toWebHast, webHastToHtml} from './web/render.js'

export {build, BuildError, type BuildOptions, type BuildResult} from './pipeline/build.js'
export {check, type CheckOptions, type CheckResult} from './pipeline/check.js'
export {fixPosts, type FixedPost} from './cli/fix.js'
export {loadConfig, resolveConfig, type Config, type ResolvedConfig} from './source/config.js'
export {issue, send, NewsletterError, type IssueOptions, type IssueResult, type SendOptions} from './pipeline/newsletter.js'
export {ContentLimitError, defaultLimits, findContentLimit, type ContentLimits} from './source/guard.js'
export {createParser, parseFile, type Parser} from './source/parse.js'
export type {Diagnostic} from './source/report.js'
export type * from './syntax/mdast.js'

/** Options for `renderFragment`. */
export interface RenderFragmentOptions {
  /** Which renderer to use (default `web`). */
  target?: 'web' | 'email'
  /** Absolute site URL, for links that must be absolute (email makes every link absolute). */
  baseUrl?: string
}

let sharedParser: Parser | undefined

/**
 * Render one Markdown document to the HTML of its body (no page chrome).
 * Frontmatter, if any, is parsed and left out of the output. The web target
 * renders code as plain `<pre><code>` (a build highlights it); the email
 * target gives email-safe HTML with inline styles and absolute URLs.
 */
export async function renderFragment(
  markdown: string,
  options: RenderFragmentOptions = {}
): Promise<string> {
  sharedParser ??= createParser()
  const file = new VFile({value: markdown})
  const tree = await parseFile(sharedParser, file)
  if (options.target === 'email') return renderEmailFragment(tree, {baseUrl: options.baseUrl})
  return webHastToHtml(toWebHast(tree, options.baseUrl ? {baseUrl: options.baseUrl} : {}))
}

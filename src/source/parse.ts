/**
 * The one Markdown parser: remark-parse with GFM, YAML frontmatter, math and
 * every construct of the letterpress dialect. Build it once per run
 * (`createParser`) and reuse it for every post.
 */
import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import type {VFile} from 'vfile'
import {guardMarkdown, stackLimitError, type ContentLimits} from './guard.js'
import {remarkDialect} from '../syntax/index.js'

/** A processor that only parses (and runs the dialect's tree transforms). */
export type Parser = Processor<Root, Root, Root, undefined, undefined>

/**
 * Create the parser with the whole dialect on.
 *
 * GFM's single-tilde strikethrough is off: `~text~` is subscript, as in
 * pymdownx.tilde; `~~text~~` stays strikethrough. remark-math's
 * single-dollar rule is off too: the dialect's own `$x$` construct follows
 * pymdownx.arithmatex, so prices like `$5 and $10` stay text.
 */
export function createParser(): Parser {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm, {singleTilde: false})
    .use(remarkMath, {singleDollarTextMath: false})
    .use(remarkDialect) as unknown as Parser
}

/** Options for `parseFile`. */
export interface ParseFileOptions {
  /** Override some of the guard's limits (see `defaultLimits` in guard.ts). */
  limits?: Partial<ContentLimits>
}

/**
 * Parse one file into mdast and run the dialect's transforms. Messages
 * (warnings) are added to `file`.
 *
 * The text goes through the content guard first (one linear scan), so input
 * the parser would hang or overflow the stack on is refused: rejects with a
 * `ContentLimitError` (rule id, line, column, reason), as it does when the
 * parser runs out of stack anyway.
 */
export async function parseFile(parser: Parser, file: VFile, options: ParseFileOptions = {}): Promise<Root> {
  guardMarkdown(String(file), options.limits)
  try {
    const tree = parser.parse(file)
    return (await parser.run(tree, file)) as Root
  } catch (error) {
    throw stackLimitError(error, 'parser') ?? error
  }
}

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
import {remarkDialect} from './syntax/index.js'

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

/**
 * Parse one file into mdast and run the dialect's transforms. Messages
 * (warnings) are added to `file`.
 */
export async function parseFile(parser: Parser, file: VFile): Promise<Root> {
  const tree = parser.parse(file)
  return (await parser.run(tree, file)) as Root
}

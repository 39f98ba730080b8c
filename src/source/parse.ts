/**
 * The one Markdown parser: remark-parse with GFM, YAML frontmatter, math and
 * every construct of the letterpress dialect. Build it once per run
 * (`createParser`) and reuse it for every post.
 */
import type {Root, Text} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import type {VFile} from 'vfile'
import {guardMarkdown, stackLimitError, type ContentLimits} from './guard.js'
import {remarkDialect} from '../syntax/index.js'
import {EXIT, visit} from '../syntax/walk.js'

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
  return createParserWithEveryPass().use(skipIdleAutolinkPass)
}

/**
 * The parser without `skipIdleAutolinkPass`: it runs GFM's autolink-literal
 * pass on every tree. It parses every text the same as `createParser`.
 */
export function createParserWithEveryPass(): Parser {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm, {singleTilde: false})
    .use(remarkMath, {singleDollarTextMath: false})
    .use(remarkDialect) as unknown as Parser
}

/** What a mdast-util-from-markdown extension may hold that this file reads. */
interface FromMarkdownExtension {
  enter?: Record<string, unknown>
  transforms?: Array<(tree: Root) => Root | undefined | void>
}

/** Some text an autolink literal could start in: each of GFM's patterns needs `http` or `www` (any case), or an `@`. */
const linkable = /http|www|@/i

/**
 * GFM's autolink-literal pass (mdast-util-gfm-autolink-literal, which
 * remark-gfm runs after every parse) searches each text node with four
 * regular expressions through mdast-util-find-and-replace, whose walk
 * makes a closure and a copy of the ancestors for every node: about 5 %
 * of a worker's time parsing posts, most of which hold no bare URL or
 * address at all. Every one of its expressions needs `http` or `www` (in
 * any case) or an `@` within one text node, so on a tree without them in
 * any text node the pass changes nothing: this plugin skips it there, and
 * leaves it to run as it did on every other tree. It finds the pass as the
 * transform of the extension that compiles `literalAutolink` tokens; if
 * remark-gfm were ever to change that, it finds nothing and changes
 * nothing.
 */
function skipIdleAutolinkPass(this: Processor): void {
  const extensions = [this.data('fromMarkdownExtensions') ?? []].flat(Infinity) as Array<FromMarkdownExtension | undefined>
  for (const extension of extensions) {
    if (!extension?.enter || !('literalAutolink' in extension.enter) || !extension.transforms) continue
    extension.transforms = extension.transforms.map((pass) => (tree: Root) => (mayLink(tree) ? pass(tree) : undefined))
  }
}

/** Whether some text node of `tree` holds what an autolink literal needs. */
function mayLink(tree: Root): boolean {
  let found = false
  visit(tree, 'text', (node: Text) => {
    if (!linkable.test(node.value)) return undefined
    found = true
    return EXIT
  })
  return found
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

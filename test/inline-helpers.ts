/**
 * Shared test helpers for the dialect's inline constructs (emoji, mark,
 * caret, tilde, keys, attr lists): a parser with just those constructs, the
 * web rendering of their nodes, and their fixture loop.
 *
 * Fixtures live in `test/fixtures/<feature>/<case>/`:
 * - `input.md`, written for the project;
 * - `expected.html`, what MkDocs' Python-Markdown stack makes of it
 *   (`/usr/bin/python3 ../shared/tools/mkdocs-reference.py input.md`);
 * - `web.html`, exactly what letterpress renders.
 * `UPDATE_INLINE_FIXTURES=1` rewrites both HTML files (the reference only
 * when ../shared and Python are there); review the diff before keeping it.
 *
 * Our rendering must equal `web.html` byte for byte, and equal
 * `expected.html` after the normalisation of `helpers/fixtures.ts`,
 * forgiving emoji as images (Python writes `<img class="emojione">` where
 * on purpose we write `<span class="emoji">`, checked by its own
 * assertions) and attribute order.
 */
import fc from 'fast-check'
import {toHtml} from 'hast-util-to-html'
import type {Nodes, Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {toMarkdown, type Options as ToMarkdownOptions} from 'mdast-util-to-markdown'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import {unified, type PluggableList} from 'unified'
import {visit} from 'unist-util-visit'
import {expect} from 'vitest'
import {remarkAttrList} from '../src/syntax/attr-list/index.js'
import {remarkCaret} from '../src/syntax/caret/index.js'
import {remarkEmoji} from '../src/syntax/emoji/index.js'
import {remarkKeys} from '../src/syntax/keys/index.js'
import {remarkMark} from '../src/syntax/mark/index.js'
import {remarkTilde} from '../src/syntax/tilde/index.js'
import {caretHandlers} from '../src/web/handlers/caret.js'
import {emojiHandlers} from '../src/web/handlers/emoji.js'
import {keysHandlers} from '../src/web/handlers/keys.js'
import {markHandlers} from '../src/web/handlers/mark.js'
import {tildeHandlers} from '../src/web/handlers/tilde.js'
import {describeFixtures, mkdocsReference, slice, withoutPositions} from './helpers/fixtures.js'

/** The inline constructs, as the dialect registers them. */
const plugins = [
  remarkEmoji,
  remarkMark,
  remarkCaret,
  remarkTilde,
  remarkKeys,
  remarkAttrList
] as PluggableList

/** remark with GFM (single-tilde strikethrough off) and the inline constructs. */
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm, {singleTilde: false})
  .use({plugins})
  .use(remarkStringify)
  .freeze()

/** Parse Markdown into mdast. */
function parse(markdown: string): Root {
  return processor.parse(markdown)
}

/** Serialize mdast back to Markdown (with extra to-markdown options). */
function stringify(tree: Root, options: ToMarkdownOptions = {}): string {
  const extensions = (processor.data('toMarkdownExtensions') ?? []) as ToMarkdownOptions[]
  return toMarkdown(tree, {...options, extensions})
}

/** Render Markdown to HTML with the web handlers of the inline constructs. */
function render(markdown: string): string {
  const hast = toHast(parse(markdown), {
    allowDangerousHtml: true,
    handlers: {
      ...emojiHandlers,
      ...markHandlers,
      ...caretHandlers,
      ...tildeHandlers,
      ...keysHandlers
    }
  })
  return toHtml(hast, {allowDangerousHtml: true})
}

/** Parse, serialize, parse again: the trees must match, positions aside. */
function expectRoundTrip(markdown: string): string {
  const tree = parse(markdown)
  const output = stringify(tree)
  expect(withoutPositions(parse(output)), output).toEqual(withoutPositions(tree))
  return output
}

/**
 * Check the round trip on many documents made of `pieces` (the construct's
 * markers mixed with text, escapes and other syntax).
 */
function expectRoundTripProperty(pieces: string[], numRuns = 400): void {
  const common = ['a', 'b', ' ', '\\', '\n', '*', '_', '`', '[l](u)', '&#x20;', '1', 'é']
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces, ...common), {maxLength: 14}), (parts) => {
      expectRoundTrip(parts.join(''))
    }),
    {numRuns, seed: 42}
  )
}

/** The first node of a type, in tree order. */
function find<Type extends Nodes['type']>(
  tree: Root,
  type: Type
): Extract<Nodes, {type: Type}> {
  let found: Nodes | undefined
  visit(tree, type, (node) => {
    found ??= node
  })
  if (!found) throw new Error('expected a `' + type + '` node')
  return found as Extract<Nodes, {type: Type}>
}

/** The helpers `setUpInlineTests` hands to each inline construct's tests. */
const helpers = {
  expectRoundTrip,
  expectRoundTripProperty,
  find,
  parse,
  render,
  slice,
  stringify,
  withoutPositions
}

/**
 * Set up the tests of one inline feature: register its fixture tests
 * (`describeFixtures` of `helpers/fixtures.ts`: our HTML equals `web.html`,
 * matches the Python reference after normalisation, and every input
 * round-trips through to-markdown), and hand back the helpers its own
 * tests use.
 */
export function setUpInlineTests(feature: string): typeof helpers {
  describeFixtures({
    feature,
    reference: 'Python-Markdown reference',
    render,
    outputFile: 'web.html',
    normalize: {emojiAsText: true, sortAttributes: true},
    parse,
    stringify,
    update: {variable: 'UPDATE_INLINE_FIXTURES', args: [mkdocsReference]}
  })
  return helpers
}

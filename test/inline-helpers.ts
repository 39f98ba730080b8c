/**
 * Shared test helpers for the dialect's inline constructs (emoji, mark,
 * caret, tilde, keys, attr lists): a parser with just those constructs, the
 * web rendering of their nodes, and the fixture loop against the Python
 * reference.
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
 * `expected.html` after this normalisation (both sides, via
 * hast-util-from-html):
 * - comments and whitespace-only text are dropped;
 * - emoji become their character, without variation selectors (U+FE0F):
 *   Python writes `<img class="emojione" alt="💥" ...>` where on purpose
 *   we write `<span class="emoji" ...>💥</span>` (checked by its own
 *   assertions), and its emoji index adds selectors gemoji leaves out;
 * - heading ids are dropped unless an attr list in the input set them
 *   (Python's toc gives every heading one; our transform stage does that,
 *   not this parser);
 * - attributes are compared in sorted order.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import fc from 'fast-check'
import {fileURLToPath} from 'node:url'
import type {Element, Root as HastRoot, RootContent as HastContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import type {Nodes, Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {toMarkdown, type Options as ToMarkdownOptions} from 'mdast-util-to-markdown'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import {unified, type PluggableList} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {remarkAttrList} from '../src/syntax/attr-list/index.js'
import {remarkCaret} from '../src/syntax/caret/index.js'
import {remarkEmoji} from '../src/syntax/emoji/index.js'
import {remarkKeys} from '../src/syntax/keys/index.js'
import {remarkMark} from '../src/syntax/mark/index.js'
import {remarkTilde} from '../src/syntax/tilde/index.js'
import {caretHandlers} from '../src/web/caret.js'
import {emojiHandlers} from '../src/web/emoji.js'
import {keysHandlers} from '../src/web/keys.js'
import {markHandlers} from '../src/web/mark.js'
import {tildeHandlers} from '../src/web/tilde.js'

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
export const processor = unified()
  .use(remarkParse)
  .use(remarkGfm, {singleTilde: false})
  .use({plugins})
  .use(remarkStringify)
  .freeze()

/** Parse Markdown into mdast. */
export function parse(markdown: string): Root {
  return processor.parse(markdown)
}

/** Serialize mdast back to Markdown (with extra to-markdown options). */
export function stringify(tree: Root, options: ToMarkdownOptions = {}): string {
  const extensions = (processor.data('toMarkdownExtensions') ?? []) as ToMarkdownOptions[]
  return toMarkdown(tree, {...options, extensions})
}

/** Render Markdown to HTML with the web handlers of the inline constructs. */
export function render(markdown: string): string {
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

/** The source a node spans. */
export function slice(markdown: string, node: Nodes): string {
  return markdown.slice(node.position?.start.offset, node.position?.end.offset)
}

/** A tree without positions, for comparing round trips. */
export function withoutPositions(node: Nodes): unknown {
  const {position: _position, ...rest} = node
  if ('children' in node) {
    return {...rest, children: node.children.map((child) => withoutPositions(child))}
  }

  return rest
}

/** Parse, serialize, parse again: the trees must match, positions aside. */
export function expectRoundTrip(markdown: string): string {
  const tree = parse(markdown)
  const output = stringify(tree)
  expect(withoutPositions(parse(output)), output).toEqual(withoutPositions(tree))
  return output
}

/**
 * Check the round trip on many documents made of `pieces` (the construct's
 * markers mixed with text, escapes and other syntax).
 */
export function expectRoundTripProperty(pieces: string[], numRuns = 400): void {
  const common = ['a', 'b', ' ', '\\', '\n', '*', '_', '`', '[l](u)', '&#x20;', '1', 'é']
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces, ...common), {maxLength: 14}), (parts) => {
      expectRoundTrip(parts.join(''))
    }),
    {numRuns, seed: 42}
  )
}

/** The first node of a type, in tree order. */
export function find<Type extends Nodes['type']>(
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

/** See the module comment. */
export function normalize(html: string, keepIds: ReadonlySet<string>): string {
  const tree: HastRoot = fromHtml(html, {fragment: true})
  tree.children = clean(tree.children, keepIds) as HastRoot['children']
  return toHtml(tree)
}

function clean(nodes: HastContent[], keepIds: ReadonlySet<string>): HastContent[] {
  const result: HastContent[] = []

  for (const node of nodes) {
    if (node.type === 'comment' || node.type === 'doctype') continue

    if (node.type === 'text') {
      if (node.value.trim() !== '') result.push(node)
      continue
    }

    if (node.type !== 'element') {
      result.push(node)
      continue
    }

    const classes = node.properties.className
    const isEmoji =
      Array.isArray(classes) &&
      (classes.includes('emoji') || classes.includes('emojione'))

    if (isEmoji) {
      const value =
        node.tagName === 'img' ? String(node.properties.alt ?? '') : textOf(node)
      result.push({type: 'text', value: value.replaceAll('\uFE0F', '')})
      continue
    }

    if (/^h[1-6]$/.test(node.tagName) && !keepIds.has(String(node.properties.id))) {
      delete node.properties.id
    }

    const sorted: Element['properties'] = {}
    for (const key of Object.keys(node.properties).sort()) {
      sorted[key] = node.properties[key]
    }

    node.properties = sorted
    node.children = clean(node.children, keepIds) as Element['children']
    result.push(node)
  }

  return result
}

function textOf(node: HastContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map((child) => textOf(child)).join('')
  return ''
}

/** Heading ids the input sets with attr lists. */
function explicitIds(tree: Root): Set<string> {
  const ids = new Set<string>()
  visit(tree, 'heading', (node) => {
    const id = node.data?.attributes?.id
    if (id) ids.add(id)
  })
  return ids
}

const reference = fileURLToPath(
  new URL('../../shared/tools/mkdocs-reference.py', import.meta.url)
)
const python = '/usr/bin/python3'
const update = process.env['UPDATE_INLINE_FIXTURES'] === '1'

/**
 * Register the fixture tests of one feature: our HTML equals `web.html`,
 * matches the Python reference after normalisation, and every input
 * round-trips through to-markdown.
 */
export function describeFixtures(feature: string): void {
  const base = fileURLToPath(new URL('fixtures/' + feature + '/', import.meta.url))
  const cases = readdirSync(base, {withFileTypes: true})
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()

  describe('fixtures of ' + feature, () => {
    it('should have fixtures', () => {
      expect(cases.length).toBeGreaterThan(0)
    })

    for (const name of cases) {
      const folder = base + name + '/'
      const input = readFileSync(folder + 'input.md', 'utf8')

      if (update) {
        writeFileSync(folder + 'web.html', render(input) + '\n')
        if (existsSync(reference) && existsSync(python)) {
          const html = execFileSync(python, [reference, folder + 'input.md'], {
            encoding: 'utf8'
          })
          writeFileSync(folder + 'expected.html', html)
        }
      }

      it('should render `' + name + '` as web.html', () => {
        expect(render(input) + '\n').toBe(readFileSync(folder + 'web.html', 'utf8'))
      })

      it('should render `' + name + '` as the Python reference does', () => {
        const keep = explicitIds(parse(input))
        const expected = readFileSync(folder + 'expected.html', 'utf8')
        expect(normalize(render(input), keep)).toBe(normalize(expected, keep))
      })

      it('should round-trip `' + name + '` through to-markdown', () => {
        expectRoundTrip(input)
      })
    }
  })
}

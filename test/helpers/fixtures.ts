/**
 * The fixture loop of the dialect's tests, and the one normalisation of
 * HTML they compare with a Python reference.
 *
 * A feature's cases live in `test/fixtures/<feature>/<case>/`: `input.md`
 * (written for the project), the reference HTML (`expected.html`, from the
 * Python-Markdown stack; committed, so the tests need no Python) and, for
 * some features, `web.html`, exactly what letterpress renders.
 * `describeFixtures` registers, per case: our HTML equals the reference
 * after normalisation; our HTML equals `web.html` byte for byte (when the
 * feature has one); the tree survives to-markdown and back.
 *
 * The normalisation (`normalizeHtml`; both sides, via hast-util-from-html)
 * always:
 *
 * - drops comments, and merges adjacent text (as HTML reads it);
 * - drops whitespace-only text (Python puts a newline between blocks, we
 *   do not always); other text is compared exactly;
 * - drops heading ids, except those an attr list in the input set (Python's
 *   toc gives every heading one; our transform stage does that, not the
 *   renderers under test);
 *
 * and, where a feature asks for it (`NormalizeOptions`), forgives one of the
 * known differences of the two stacks: whitespace inside text, code
 * highlighting, emoji as images, attribute order. Anything else a feature
 * must forgive it does in `rewrite`. Each option makes the comparison
 * looser, so a feature turns on only what its fixtures need.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Element, ElementContent, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Nodes, Root} from 'mdast'
import remarkStringify from 'remark-stringify'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createParser} from '../../src/index.js'

/** Known differences of the Python stack that a feature may forgive. */
export interface NormalizeOptions {
  /**
   * Compare text with its whitespace folded: runs become one space, and
   * text is trimmed at the edges of its element and next to block elements,
   * where HTML ignores it (outside `<pre>`). Default: exact.
   */
  collapseWhitespace?: boolean
  /**
   * Compare code blocks by text: `div.highlight` is unwrapped and a `<pre>`
   * becomes a bare `<pre><code>` with its text (highlighting is the code
   * renderer's business, tested there).
   */
  codeByText?: boolean
  /**
   * Compare emoji by character: Python writes `<img class="emojione"
   * alt="💥">` where on purpose we write `<span class="emoji">💥</span>`,
   * and its index adds variation selectors (U+FE0F) gemoji leaves out.
   */
  emojiAsText?: boolean
  /** Compare attributes in sorted order (attr_list keeps its own order). */
  sortAttributes?: boolean
  /** Compare element names and text only, no attributes (structure, not URLs or classes). */
  withoutAttributes?: boolean
  /**
   * Heading ids to keep (set by attr lists in the input); default none.
   * `describeFixtures` fills this in.
   */
  keepIds?: ReadonlySet<string>
  /**
   * Replace an element before any other rule: return what stands in its
   * place (text merges with its neighbours), or `undefined` to go on.
   */
  rewrite?: (element: Element) => ElementContent[] | undefined
}

/** Block elements: text next to them is trimmed under `collapseWhitespace`. */
const blocks = new Set([
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'summary',
  'table',
  'ul'
])

/**
 * Normalise an HTML fragment (see the module comment) and print it one node
 * a line, so a failing comparison shows where the two differ.
 */
export function normalizeHtml(html: string, options: NormalizeOptions = {}): string {
  return clean(fromHtml(html, {fragment: true}).children, options)
    .map((node) => print(node, '', Boolean(options.sortAttributes)))
    .join('\n')
}

function clean(nodes: Array<RootContent | ElementContent>, options: NormalizeOptions): ElementContent[] {
  const result: ElementContent[] = []

  for (const node of nodes) {
    if (node.type === 'text') {
      // Folded before merging, so text split by a comment stays as it was.
      pushText(result, options.collapseWhitespace ? node.value.replace(/\s+/g, ' ') : node.value)
      continue
    }

    if (node.type !== 'element') continue
    const replacement = options.rewrite?.(node)

    if (replacement) {
      for (const child of replacement) {
        if (child.type === 'text') pushText(result, child.value)
        else result.push(child)
      }

      continue
    }

    if (options.emojiAsText && (hasClass(node, 'emoji') || hasClass(node, 'emojione'))) {
      const value = node.tagName === 'img' ? String(node.properties.alt ?? '') : textOf(node)
      pushText(result, value.replaceAll('\uFE0F', ''))
      continue
    }

    if (options.codeByText && node.tagName === 'div' && hasClass(node, 'highlight')) {
      result.push(...clean(node.children, options))
      continue
    }

    if (options.codeByText && node.tagName === 'pre') {
      const text: ElementContent = {type: 'text', value: textOf(node)}
      const code: Element = {type: 'element', tagName: 'code', properties: {}, children: [text]}
      result.push({type: 'element', tagName: 'pre', properties: {}, children: [code]})
      continue
    }

    const properties = options.withoutAttributes ? {} : {...node.properties}
    if (/^h[1-6]$/.test(node.tagName) && !options.keepIds?.has(String(properties['id']))) {
      delete properties['id']
    }

    // Whitespace in `<pre>` is content, never folded.
    const inside = node.tagName === 'pre' ? {...options, collapseWhitespace: false} : options
    result.push({...node, properties, children: clean(node.children, inside)})
  }

  if (options.collapseWhitespace) trimAtBlocks(result)
  return result.filter((node) => node.type !== 'text' || node.value.trim() !== '')
}

/** Add text, merged with text right before it. */
function pushText(nodes: ElementContent[], value: string): undefined {
  const tail = nodes[nodes.length - 1]
  if (tail?.type === 'text') tail.value += value
  else nodes.push({type: 'text', value})
}

/** Trim text at the edges of its element and next to block elements. */
function trimAtBlocks(nodes: ElementContent[]): undefined {
  nodes.forEach((node, index) => {
    if (node.type !== 'text') return
    if (index === 0 || isBlock(nodes[index - 1])) node.value = node.value.trimStart()
    if (index === nodes.length - 1 || isBlock(nodes[index + 1])) node.value = node.value.trimEnd()
  })
}

function isBlock(node: ElementContent | undefined): boolean {
  return node?.type === 'element' && blocks.has(node.tagName)
}

/** Whether an element has a class. */
export function hasClass(node: Element, name: string): boolean {
  const value = node.properties['className']
  return Array.isArray(value) && value.includes(name)
}

/** The text of a node and its descendants. */
export function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type !== 'element') return ''
  return node.children.map((child) => textOf(child)).join('')
}

function print(node: ElementContent, indent: string, sortAttributes: boolean): string {
  if (node.type === 'text') return indent + JSON.stringify(node.value)
  if (node.type !== 'element') return ''
  const attributes = Object.entries(node.properties)
    .filter(([, value]) => value !== undefined && value !== null && value !== false)
    .map(([key, value]) => ' ' + key + '=' + JSON.stringify(value))
  if (sortAttributes) attributes.sort()
  return [
    indent + '<' + node.tagName + attributes.join('') + '>',
    ...node.children.map((child) => print(child, indent + '  ', sortAttributes))
  ].join('\n')
}

const dialect = createParser().use(remarkStringify)

/**
 * Parse Markdown with the whole dialect as the pipeline does: the dialect's
 * transforms run, and the file goes along (alerts read the source).
 */
export async function parseDialect(markdown: string): Promise<Root> {
  const file = new VFile({value: markdown})
  return (await dialect.run(dialect.parse(file), file)) as Root
}

/** Serialize mdast with the whole dialect's to-markdown extensions. */
export function stringifyDialect(tree: Root): string {
  return dialect.stringify(tree)
}

/** A tree without positions, for comparing round trips. */
export function withoutPositions(node: Nodes): unknown {
  const {position: _position, ...rest} = node
  if ('children' in node) {
    return {...rest, children: node.children.map((child) => withoutPositions(child))}
  }

  return rest
}

/** Heading ids that attr lists in the tree set. */
export function explicitIds(tree: Root): Set<string> {
  const ids = new Set<string>()
  visit(tree, 'heading', (node) => {
    const id = node.data?.attributes?.id
    if (id) ids.add(id)
  })
  return ids
}

/** How `describeFixtures` treats one feature. */
export interface FixtureSuite {
  /** Folder in `test/fixtures/`. */
  feature: string
  /** What made the reference, for the title (`MkDocs' Python-Markdown stack`). */
  reference: string
  /** The reference file of each case (default `expected.html`). */
  referenceFile?: string
  /** Our HTML for an input. */
  render: (markdown: string) => string | Promise<string>
  /** The file of each case that holds exactly our HTML, plus a final line ending. */
  outputFile?: string
  /** The differences to forgive (`keepIds` comes from the input). */
  normalize?: Omit<NormalizeOptions, 'keepIds'>
  /** Parser for the round trip and the kept ids (default `parseDialect`). */
  parse?: (markdown: string) => Root | Promise<Root>
  /** Serializer for the round trip (default `stringifyDialect`). */
  stringify?: (tree: Root) => string
  /**
   * Regenerating: when the environment variable `variable` is `1`, each
   * case's reference becomes the output of `/usr/bin/python3 ...args
   * input.md` (and `outputFile` our HTML). Skipped where Python or an
   * absolute path in `args` is missing; review the diff before keeping it.
   */
  update?: {variable: string; args: string[]}
}

/** The Python interpreter with python3-markdown and python3-pymdownx. */
export const python = '/usr/bin/python3'

/**
 * The reference script of MkDocs' Python-Markdown stack, in the shared
 * folder beside the project (absent elsewhere: regenerating then skips).
 */
export const mkdocsReference: string = fileURLToPath(
  new URL('../../../shared/tools/mkdocs-reference.py', import.meta.url)
)

/**
 * Register the fixture tests of one feature (see the module comment).
 */
export function describeFixtures(suite: FixtureSuite): void {
  const base = fileURLToPath(new URL('../fixtures/' + suite.feature + '/', import.meta.url))
  const referenceFile = suite.referenceFile ?? 'expected.html'
  const parse = suite.parse ?? parseDialect
  const stringify = suite.stringify ?? stringifyDialect
  const update = suite.update
  const updating = update !== undefined && process.env[update.variable] === '1'
  const cases = readdirSync(base, {withFileTypes: true})
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()

  describe(suite.feature + ' fixtures (' + suite.reference + ')', () => {
    it('should have fixtures, each with its input and reference', () => {
      expect(cases.length).toBeGreaterThan(0)
      for (const name of cases) {
        expect(existsSync(base + name + '/input.md'), name).toBe(true)
        expect(existsSync(base + name + '/' + referenceFile), name).toBe(true)
      }
    })

    for (const name of cases) {
      const folder = base + name + '/'
      const read = (file: string) => readFileSync(folder + file, 'utf8')

      it('should render `' + name + '` as the reference does', async () => {
        const input = read('input.md')
        if (updating && canRun(update.args)) {
          writeFileSync(
            folder + referenceFile,
            execFileSync(python, [...update.args, folder + 'input.md'], {encoding: 'utf8'})
          )
        }

        const options = {...suite.normalize, keepIds: explicitIds(await parse(input))}
        const actual = normalizeHtml(await suite.render(input), options)
        expect(actual).toBe(normalizeHtml(read(referenceFile), options))
      })

      if (suite.outputFile) {
        const outputFile = suite.outputFile

        it('should render `' + name + '` as ' + outputFile, async () => {
          const actual = (await suite.render(read('input.md'))) + '\n'
          if (updating) writeFileSync(folder + outputFile, actual)
          expect(actual).toBe(read(outputFile))
        })
      }

      it('should round-trip `' + name + '` through to-markdown', async () => {
        const tree = await parse(read('input.md'))
        const markdown = stringify(tree)
        expect(withoutPositions(await parse(markdown)), markdown).toEqual(withoutPositions(tree))
      })
    }
  })
}

/** Whether Python and every absolute path in `args` are there. */
function canRun(args: string[]): boolean {
  return existsSync(python) && args.every((arg) => !arg.startsWith('/') || existsSync(arg))
}

/** The source a node spans. */
export function slice(markdown: string, node: Nodes): string {
  return markdown.slice(node.position?.start.offset, node.position?.end.offset)
}

/**
 * Parse with the whole dialect, serialize, parse again: the trees must
 * match, positions aside. Returns the Markdown written.
 */
export async function expectDialectRoundTrip(markdown: string): Promise<string> {
  const tree = await parseDialect(markdown)
  const output = stringifyDialect(tree)
  expect(withoutPositions(await parseDialect(output)), output).toEqual(withoutPositions(tree))
  return output
}

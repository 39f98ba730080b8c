/**
 * Definition lists (Python-Markdown def_list): fixtures against the Python
 * reference, positions, round trip, and the edges.
 *
 * Fixtures: `test/fixtures/definition-list/<case>/input.md` rendered with
 * the whole dialect (`renderFragment`) must equal `expected.html`, from
 * `/usr/bin/python3 ../shared/tools/mkdocs-reference.py <case>/input.md`.
 * Both sides are compared after the normalisation described in
 * `tabs.test.ts` (whitespace HTML ignores, heading ids, code highlighting).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {ElementContent, Root as HastRoot, RootContent as HastContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import type {Nodes, Root} from 'mdast'
import {toMarkdown, type Options as ToMarkdownOptions} from 'mdast-util-to-markdown'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import type {DefinitionDescription, DefinitionList} from '../src/mdast.js'
import {createParser, parseFile} from '../src/parse.js'

const fixtures = fileURLToPath(new URL('fixtures/definition-list/', import.meta.url))
const parser = createParser()

async function parse(markdown: string): Promise<Root> {
  return parseFile(parser, new VFile({value: markdown}))
}

function stringify(tree: Root): string {
  const extensions = (parser.data('toMarkdownExtensions') ?? []) as ToMarkdownOptions[]
  return toMarkdown(tree, {extensions})
}

/** The source a node spans. */
function slice(markdown: string, node: Nodes): string {
  return markdown.slice(node.position?.start.offset, node.position?.end.offset)
}

/** The tree without positions, for comparing a round trip. */
function withoutPositions(node: Nodes): unknown {
  const {position: _position, ...rest} = node
  if ('children' in node) {
    return {...rest, children: node.children.map((child) => withoutPositions(child))}
  }

  return rest
}

async function roundTrips(markdown: string): Promise<void> {
  const tree = await parse(markdown)
  const again = await parse(stringify(tree))
  expect(withoutPositions(again)).toEqual(withoutPositions(tree))
}

/** The normalisation described in `tabs.test.ts`. */
function normalize(html: string): string {
  const tree = fromHtml(html, {fragment: true})
  tree.children = clean(tree.children) as HastRoot['children']
  return toHtml(tree)
}

function clean(nodes: HastContent[]): HastContent[] {
  const result: HastContent[] = []

  for (const node of nodes) {
    if (node.type === 'comment' || node.type === 'doctype') continue

    if (node.type === 'text') {
      const value = node.value.replace(/\s+/g, ' ')
      if (value.trim() !== '') result.push({type: 'text', value})
      continue
    }

    if (node.type !== 'element') {
      result.push(node)
      continue
    }

    const classes = node.properties['className']
    if (node.tagName === 'div' && Array.isArray(classes) && classes.includes('highlight')) {
      result.push(...clean(node.children))
      continue
    }

    if (node.tagName === 'pre') {
      const code: ElementContent = {
        type: 'element',
        tagName: 'code',
        properties: {},
        children: [{type: 'text', value: textOf(node)}]
      }
      result.push({...node, properties: {}, children: [code]})
      continue
    }

    if (/^h[1-6]$/.test(node.tagName)) delete node.properties['id']
    node.children = clean(node.children) as ElementContent[]
    result.push(node)
  }

  result.forEach((node, index) => {
    if (node.type !== 'text') return
    if (index === 0 || isBlock(result[index - 1])) node.value = node.value.trimStart()
    if (index === result.length - 1 || isBlock(result[index + 1])) node.value = node.value.trimEnd()
  })
  return result.filter((node) => node.type !== 'text' || node.value !== '')
}

const blocks = new Set(['blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 'summary', 'table', 'ul'])

function isBlock(node: HastContent | undefined): boolean {
  return node?.type === 'element' && blocks.has(node.tagName)
}

function textOf(node: HastContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}

const cases = readdirSync(fixtures, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

describe('definition list fixtures (Python-Markdown reference)', () => {
  it.each(cases)('should render `%s` as the reference does', async (name) => {
    const input = readFileSync(fixtures + name + '/input.md', 'utf8')
    const expected = readFileSync(fixtures + name + '/expected.html', 'utf8')
    expect(normalize(await renderFragment(input))).toBe(normalize(expected))
  })

  it.each(cases)('should round-trip the tree of `%s` through to-markdown', async (name) => {
    await roundTrips(readFileSync(fixtures + name + '/input.md', 'utf8'))
  })
})

describe('definition lists in the tree', () => {
  it('should make each line of the paragraph before `:` a term, with positions', async () => {
    const markdown = 'Intro.\n\nModel card\n  Data card  \n:   What the model is for.\n    Who trained it.\n'
    const tree = await parse(markdown)
    const list = tree.children[1] as DefinitionList
    expect(list.type).toBe('definitionList')
    expect(slice(markdown, list)).toBe(markdown.slice(8, -1))
    const [first, second, description] = list.children
    expect(first).toMatchObject({type: 'definitionTerm', children: [{type: 'text', value: 'Model card'}]})
    expect(slice(markdown, first!)).toBe('Model card')
    expect(second).toMatchObject({type: 'definitionTerm', children: [{type: 'text', value: 'Data card'}]})
    expect(slice(markdown, second!)).toBe('Data card')
    expect(second!.position?.start).toMatchObject({line: 4, column: 3})
    expect(description).toMatchObject({type: 'definitionDescription', spread: false})
    expect(slice(markdown, description!)).toBe(':   What the model is for.\n    Who trained it.')
    expect(slice(markdown, (description as DefinitionDescription).children[0]!)).toBe(
      'What the model is for.\n    Who trained it.'
    )
  })

  it('should parse inline Markdown in terms, line by line', async () => {
    const tree = await parse('*Offline* store\n`online` store\n:   Two stores.\n')
    const list = tree.children[0] as DefinitionList
    expect(list.children.slice(0, 2)).toMatchObject([
      {type: 'definitionTerm', children: [{type: 'emphasis'}, {type: 'text', value: ' store'}]},
      {type: 'definitionTerm', children: [{type: 'inlineCode', value: 'online'}, {type: 'text', value: ' store'}]}
    ])
  })

  it('should keep terms apart with CRLF line endings', async () => {
    const markdown = 'Term one\r\nTerm two\r\n:   The description.\r\n'
    const list = (await parse(markdown)).children[0] as DefinitionList
    expect(list.children.map((child) => slice(markdown, child))).toEqual([
      'Term one',
      'Term two',
      ':   The description.'
    ])
  })

  it('should leave paragraphs with colons alone', async () => {
    for (const markdown of [
      'Note: this is a paragraph.\nkey: value\n',
      ': starts a document\n',
      'Text\n:smile: at a line start\n',
      'Text\n:no space after the colon\n',
      '- item\n- : first in an item\n',
      '> quoted\n: lazy line of the quote\n',
      '```\nTerm\n: in code\n```\n'
    ]) {
      const tree = await parse(markdown)
      expect(JSON.stringify(tree), markdown).not.toContain('definition')
    }
  })

  it('should give a description after any other block no terms, as Python does', async () => {
    const tree = await parse('## Heading\n\n:   Orphan.\n')
    expect(tree.children[1]).toMatchObject({
      type: 'definitionList',
      children: [{type: 'definitionDescription', children: [{type: 'paragraph'}]}]
    })
  })

  it('should follow Python on which descriptions are loose', async () => {
    const spreads = async (markdown: string) =>
      ((await parse(markdown)).children[0] as DefinitionList).children
        .filter((child) => child.type === 'definitionDescription')
        .map((child) => child.spread)
    expect(await spreads('T\n:   a\n:   b\n')).toEqual([false, false])
    expect(await spreads('T\n:   a\n\n:   b\n')).toEqual([false, false])
    expect(await spreads('T\n\n:   a\n:   b\n')).toEqual([true, true])
    expect(await spreads('T\n:   a\n\n    more\n:   b\n')).toEqual([true, true])
    expect(await spreads('T\n:   a\n\nU\n\n:   b\n')).toEqual([false, true])
  })

  it('should continue a description lazily, as Python does', async () => {
    const tree = await parse('Term\n:   first line\nlazy line\n:   next\n')
    const list = tree.children[0] as DefinitionList
    expect(list.children.map((child) => child.type)).toEqual([
      'definitionTerm',
      'definitionDescription',
      'definitionDescription'
    ])
    expect(list.children[1]).toMatchObject({children: [{children: [{value: 'first line\nlazy line'}]}]})
  })

  it('should nest in list items, block quotes and descriptions', async () => {
    const tree = await parse('- Term\n  :   In an item.\n\n> Term\n> :   In a quote.\n\nOuter\n:   Inner\n    :   Nested.\n')
    expect(tree.children.map((child) => child.type)).toEqual(['list', 'blockquote', 'definitionList'])
    expect(JSON.stringify(tree.children[0])).toContain('"definitionDescription"')
    expect(JSON.stringify(tree.children[1])).toContain('"definitionDescription"')
    const outer = tree.children[2] as DefinitionList
    expect((outer.children[1] as DefinitionDescription).children[0]).toMatchObject({
      type: 'definitionList',
      children: [{type: 'definitionTerm'}, {type: 'definitionDescription'}]
    })
  })

  it('should keep link reference definitions before the terms', async () => {
    const tree = await parse('[docs]: https://example.com\nTerm\n:   See [docs].\n')
    expect(tree.children.map((child) => child.type)).toEqual(['definition', 'definitionList'])
    expect(await renderFragment('[docs]: https://example.com\nTerm\n:   See [docs].\n')).toContain(
      '<a href="https://example.com">docs</a>'
    )
  })

  it('should round-trip loose and tight lists, nested blocks and escapes', async () => {
    await roundTrips('A\nB\n:   one\n:   two\n\n    - x\n    - y\n\nC\n\n:   three\n\n    ```py\n    code\n    ```\n')
    await roundTrips('Text\n\\:   not a description\n')
  })
})

describe('definition lists on the web', () => {
  it('should write `<dl>` with `<dt>` and `<dd>`, paragraphs only when loose', async () => {
    expect(await renderFragment('Term\n:   Tight.\n\nOther\n\n:   Loose.\n')).toBe(
      '<dl>\n<dt>Term</dt>\n<dd>Tight.</dd>\n<dt>Other</dt>\n<dd>\n<p>Loose.</p>\n</dd>\n</dl>'
    )
  })
})

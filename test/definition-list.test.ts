/**
 * Definition lists (Python-Markdown def_list): fixtures against the Python
 * reference, positions, round trip, and the edges.
 *
 * Fixtures: `test/fixtures/definition-list/<case>/input.md` rendered with
 * the whole dialect (`renderFragment`) must equal `expected.html`, from
 * `/usr/bin/python3 ../shared/tools/mkdocs-reference.py <case>/input.md`.
 * Both sides are compared after the normalisation of `helpers/fixtures.ts`,
 * forgiving none of the optional differences.
 */
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import type {DefinitionDescription, DefinitionList} from '../src/syntax/mdast.js'
import {
  describeFixtures,
  expectDialectRoundTrip as roundTrips,
  parseDialect as parse,
  slice
} from './helpers/fixtures.js'

describeFixtures({
  feature: 'definition-list',
  reference: 'Python-Markdown reference',
  render: renderFragment
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

/**
 * Abbreviations (Python-Markdown abbr): fixtures against the Python
 * reference, positions, round trip, and the edges.
 *
 * Fixtures: `test/fixtures/abbreviation/<case>/input.md` rendered with the
 * whole dialect (`renderFragment`) must equal `expected.html`, from
 * `/usr/bin/python3 ../shared/tools/mkdocs-reference.py <case>/input.md`.
 * Both sides are compared after the normalisation of `helpers/fixtures.ts`,
 * forgiving none of the optional differences.
 */
import type {Nodes, Root} from 'mdast'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import type {Abbreviation, AbbreviationDefinition} from '../src/syntax/mdast.js'
import {markAbbreviations} from '../src/syntax/abbreviation/index.js'
import {describeFixtures, parseDialect as parse, slice} from './helpers/fixtures.js'

describeFixtures({
  feature: 'abbreviation',
  reference: 'Python-Markdown reference',
  render: renderFragment
})

/** Every abbreviation in a tree, as `[text, title, source slice]`. */
function found(markdown: string, tree: Nodes): Array<[string, string, string]> {
  const result: Array<[string, string, string]> = []
  const walk = (node: Nodes) => {
    if (node.type === 'abbreviation') {
      const abbreviation: Abbreviation = node
      const text = abbreviation.children.map((child) => ('value' in child ? child.value : '')).join('')
      result.push([text, abbreviation.title, slice(markdown, abbreviation)])
    } else if ('children' in node) {
      for (const child of node.children) walk(child)
    }
  }

  walk(tree)
  return result
}

describe('abbreviations in the tree', () => {
  it('should keep definitions in the tree, trimmed', async () => {
    const tree = await parse('*[ MLOps ] :   Machine learning operations  \n')
    expect(tree.children[0]).toMatchObject({
      type: 'abbreviationDefinition',
      label: 'MLOps',
      value: 'Machine learning operations',
      position: {start: {line: 1, column: 1}, end: {line: 1, column: 45}}
    } satisfies Partial<AbbreviationDefinition> & {position: unknown})
  })

  it('should take a definition out of the middle of a paragraph, as Python does', async () => {
    const tree = await parse('Before the line.\n*[ETL]: Extract, transform, load\nAfter the ETL line.\n')
    expect(tree.children.map((child) => child.type)).toEqual(['paragraph', 'abbreviationDefinition', 'paragraph'])
  })

  it('should not take lines that only look like definitions', async () => {
    for (const markdown of ['*[]: empty\n', '*[ ]: blank\n', '*[A]:\n', '*[A] x: no\n', '*[A]  : two spaces\n', '    *[A]: code\n']) {
      const tree = await parse(markdown)
      expect(JSON.stringify(tree), markdown).not.toContain('abbreviation')
    }
  })

  it('should split text nodes with exact positions, also around escapes and prefixes', async () => {
    const markdown = '> The ETL job\n> feeds ETL \\*and\\* &amp;ETL.\n\n*[ETL]: Extract, transform, load\n'
    const tree = await parse(markdown)
    expect(found(markdown, tree)).toEqual([
      ['ETL', 'Extract, transform, load', 'ETL'],
      ['ETL', 'Extract, transform, load', 'ETL'],
      ['ETL', 'Extract, transform, load', 'ETL']
    ])
    const paragraph = (tree.children[0] as {children: Nodes[]}).children[0] as {children: Nodes[]}
    expect(paragraph.children.map((child) => [child.type, slice(markdown, child)])).toEqual([
      ['text', 'The '],
      ['abbreviation', 'ETL'],
      ['text', ' job\n> feeds '],
      ['abbreviation', 'ETL'],
      ['text', ' \\*and\\* &amp;'],
      ['abbreviation', 'ETL'],
      ['text', '.']
    ])
  })

  it('should match whole words only, case-sensitively, longest first', async () => {
    const markdown = 'CI/CD runs CI; XCI, CIs, ci and CI_X do not. CI\n\n*[CI]: Continuous Integration\n*[CI/CD]: Continuous Integration and Delivery\n'
    const tree = await parse(markdown)
    expect(found(markdown, tree).map(([text]) => text)).toEqual(['CI/CD', 'CI', 'CI'])
  })

  it('should use the last definition of a label, wherever it is', async () => {
    const markdown = '*[K8s]: first\n\nK8s clusters.\n\n*[K8s]: Kubernetes\n'
    expect(found(markdown, await parse(markdown)).map(([, title]) => title)).toEqual(['Kubernetes'])
  })

  it('should treat letters of any script as word characters', async () => {
    const markdown = 'GPUé GPU — ÉGPU GPU\n\n*[GPU]: Graphics Processing Unit\n'
    expect(found(markdown, await parse(markdown)).map(([, , source]) => source)).toEqual(['GPU', 'GPU'])
  })

  it('should leave code, math, URLs, alt text, raw HTML and autolinks alone', async () => {
    const markdown = [
      '`LLM` $LLM$ ![LLM](llm.png) <span title="LLM">x</span> <https://llm.example/LLM> www.LLM.org',
      '',
      '```',
      'LLM',
      '```',
      '',
      '*[LLM]: Large Language Model',
      ''
    ].join('\n')
    expect(found(markdown, await parse(markdown))).toEqual([])
  })

  it('should find abbreviations in headings, links, tables, tabs and definition terms', async () => {
    const markdown = [
      '# RAG design',
      '',
      '[RAG notes](https://example.com/RAG)',
      '',
      '| RAG |',
      '| --- |',
      '',
      '=== "RAG"',
      '    RAG body',
      '',
      'RAG',
      ':   RAG description',
      '',
      '*[RAG]: Retrieval-augmented generation',
      ''
    ].join('\n')
    expect(found(markdown, await parse(markdown))).toHaveLength(7)
  })

  it('should keep positions only where the text is a plain slice, without the source', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [
            {
              type: 'text',
              value: 'an SDK',
              position: {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 7, offset: 6}}
            }
          ]
        },
        {type: 'abbreviationDefinition', label: 'SDK', value: 'Software Development Kit'}
      ]
    }
    markAbbreviations(tree)
    expect((tree.children[0] as {children: Nodes[]}).children[1]).toMatchObject({
      type: 'abbreviation',
      position: {start: {line: 1, column: 4, offset: 3}, end: {line: 1, column: 7, offset: 6}}
    })
  })

  it('should stay linear with many definitions over a long text', () => {
    const labels = Array.from({length: 5000}, (_, index) => 'AB' + index.toString(36).toUpperCase())
    const words = Array.from({length: 20_000}, (_, index) =>
      index % 4 === 0 ? labels[(index * 7) % labels.length] : 'abcd'
    )
    const tree: Root = {
      type: 'root',
      children: [
        {type: 'paragraph', children: [{type: 'text', value: words.join(' ')}]},
        ...labels.map((label): AbbreviationDefinition => ({type: 'abbreviationDefinition', label, value: label}))
      ]
    }
    const start = performance.now()
    markAbbreviations(tree)
    const elapsed = performance.now() - start
    expect(found('', tree)).toHaveLength(5000)
    // Generous: the point is no blow-up per definition (it takes milliseconds).
    expect(elapsed).toBeLessThan(1000)
  })
})

describe('abbreviations on the web', () => {
  it('should write `<abbr title>` and nothing for the definitions', async () => {
    expect(await renderFragment('Ship the MVP.\n\n*[MVP]: Minimum "viable" product\n')).toBe(
      '<p>Ship the <abbr title="Minimum &#x22;viable&#x22; product">MVP</abbr>.</p>'
    )
  })
})

/**
 * Content tabs (pymdownx.tabbed): fixtures against the Python reference,
 * positions, round trip, and the edges.
 *
 * Fixtures: `test/fixtures/tabs/<case>/input.md` rendered with the whole
 * dialect (`renderFragment`) must equal `expected.html`, which comes from
 * `/usr/bin/python3 test/fixtures/tabs/reference.py <case>/input.md`
 * (MkDocs Material's extensions plus pymdownx.tabbed, alternate style; see
 * `selected/NOTE.md` for the one edited by hand), after the normalisation
 * of `helpers/fixtures.ts` with whitespace folded and code compared by text.
 */
import type {Root} from 'mdast'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import type {Tab, TabSet} from '../src/syntax/mdast.js'
import {
  describeFixtures,
  parseDialect as parse,
  slice,
  stringifyDialect as stringify,
  withoutPositions
} from './helpers/fixtures.js'

describeFixtures({
  feature: 'tabs',
  reference: 'pymdownx.tabbed reference',
  render: renderFragment,
  normalize: {collapseWhitespace: true, codeByText: true}
})

describe('content tabs in the tree', () => {
  it('should group adjacent tabs into one set, with positions from the source', async () => {
    const markdown = 'Intro.\n\n=== "One *a*"\n\n    Body one.\n\n=== "Two"\n    Body two.\n'
    const tree = await parse(markdown)
    const set = tree.children[1] as TabSet
    const [one, two] = set.children as [Tab, Tab]
    expect(set.type).toBe('tabSet')
    expect(slice(markdown, set)).toBe('=== "One *a*"\n\n    Body one.\n\n=== "Two"\n    Body two.')
    expect(set.position?.start).toEqual({line: 3, column: 1, offset: 8})
    expect(set.position?.end).toMatchObject({line: 8, column: 14})
    expect(one.title).toBe('One *a*')
    expect(slice(markdown, one)).toBe('=== "One *a*"\n\n    Body one.')
    expect(one.children[0]).toMatchObject({
      type: 'tabTitle',
      position: {start: {line: 3, column: 6}, end: {line: 3, column: 13}},
      children: [{type: 'text', value: 'One '}, {type: 'emphasis'}]
    })
    expect(slice(markdown, one.children[0]!)).toBe('One *a*')
    expect(one.children[1]).toMatchObject({type: 'paragraph', position: {start: {line: 5, column: 5}}})
    expect(slice(markdown, two)).toBe('=== "Two"\n    Body two.')
  })

  it('should end a tab at the first line that is neither blank nor indented', async () => {
    const tree = await parse('=== "A"\n    text\nafter\n')
    expect(tree.children.map((child) => child.type)).toEqual(['tabSet', 'paragraph'])
    const tab = (tree.children[0] as TabSet).children[0]!
    expect(tab.children[1]).toMatchObject({type: 'paragraph', children: [{value: 'text'}]})
  })

  it('should start a new set at `===!` and keep `===+` as selected', async () => {
    const tree = await parse('=== "A"\n    a\n\n===! "B"\n    b\n\n===+ "C"\n    c\n')
    expect(tree.children.map((child) => child.type)).toEqual(['tabSet', 'tabSet'])
    const second = tree.children[1] as TabSet
    expect(second.children.map((tab) => [tab.title, tab.newSet, tab.selected])).toEqual([
      ['B', true, false],
      ['C', false, true]
    ])
  })

  it('should accept `===+!`, `===!+` and an empty or quoted title', async () => {
    const tree = await parse('===+! "Say "hi""\n    a\n\n===!+ ""\n    b\n')
    const tabs = tree.children.flatMap((set) => (set as TabSet).children)
    expect(tabs.map((tab) => [tab.title, tab.selected, tab.newSet])).toEqual([
      ['Say "hi"', true, true],
      ['', true, true]
    ])
    expect(tabs[1]!.children[0]).toMatchObject({type: 'tabTitle', children: []})
  })

  it('should not take lines that only look like tabs', async () => {
    for (const markdown of ['==== "A"\n', '=== A\n', '===  \n', '=== "A" b\n', '    === "A"\n', '```\n=== "A"\n```\n']) {
      const tree = await parse(markdown)
      expect(JSON.stringify(tree), markdown).not.toContain('"tab')
    }
  })

  it('should nest tabs in tabs and keep code indentation as MkDocs does', async () => {
    const tree = await parse('=== "Outer"\n    === "Inner"\n            code\n')
    const inner = ((tree.children[0] as TabSet).children[0]!.children[1] as TabSet).children[0]!
    expect(inner.children[1]).toMatchObject({type: 'code', value: 'code'})
  })

  it('should keep a tight list tight when an item holds a tab', async () => {
    const html = await renderFragment('- one\n    === "A"\n\n        a\n- two\n')
    expect(html).toContain('<li>one\n<div class="tabbed-set')
    expect(html).toContain('<li>two</li>')
  })

  it('should escape text that would start a tab when writing Markdown', async () => {
    const tree: Root = {
      type: 'root',
      children: [{type: 'paragraph', children: [{type: 'text', value: 'a\n=== "b"'}]}]
    }
    const again = await parse(stringify(tree))
    expect(withoutPositions(again)).toEqual(withoutPositions(tree))
  })

  it('should write the first tab of a set right after another set as `===!`', () => {
    const set = (title: string): TabSet => ({
      type: 'tabSet',
      children: [
        {type: 'tab', title, selected: false, newSet: false, children: [{type: 'tabTitle', children: [{type: 'text', value: title}]}]}
      ]
    })
    expect(stringify({type: 'root', children: [set('A'), set('B')]})).toBe('=== "A"\n\n===! "B"\n')
  })
})

describe('content tabs on the web', () => {
  it('should number sets per render, outer before inner, and check the last `===+`', async () => {
    const markdown = '=== "A"\n    === "Inner"\n        x\n\n===+ "B"\n    b\n\n===+ "C"\n    c\n\nText.\n\n=== "D"\n    d\n'
    const html = await renderFragment(markdown)
    expect(html.match(/data-tabs="[^"]+"/g)).toEqual(['data-tabs="1:3"', 'data-tabs="2:1"', 'data-tabs="3:1"'])
    expect(html.match(/<input[^>]*>/g)?.slice(0, 3)).toEqual([
      '<input id="__tabbed_1_1" name="__tabbed_1" type="radio">',
      '<input id="__tabbed_1_2" name="__tabbed_1" type="radio">',
      '<input checked id="__tabbed_1_3" name="__tabbed_1" type="radio">'
    ])
    expect(html).toContain('<label for="__tabbed_2_1">Inner</label>')
    // Deterministic: a second render of the same document starts again at 1.
    expect(await renderFragment(markdown)).toBe(html)
  })
})

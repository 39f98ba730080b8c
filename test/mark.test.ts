/**
 * `==mark==` (pymdownx.mark, smart rules): fixtures against the Python
 * reference (see `inline-helpers.ts`), then positions, nesting, escaping
 * and round trips.
 */
import type {Paragraph} from 'mdast'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import type {Mark} from '../src/syntax/mdast.js'
import {setUpInlineTests} from './inline-helpers.js'

const {expectRoundTrip, expectRoundTripProperty, find, parse, render, slice, stringify} =
  setUpInlineTests('mark')

describe('mark', () => {
  it('should span the sequences, its text the content', () => {
    const markdown = 'a ==b *c*== d'
    const mark = find(parse(markdown), 'mark')
    expect(slice(markdown, mark)).toBe('==b *c*==')
    expect(mark.children.map((node) => node.type)).toEqual(['text', 'emphasis'])
    expect(slice(markdown, mark.children[0]!)).toBe('b ')
  })

  it('should not open after a letter nor close before one', () => {
    expect(render('x==y== ==y==x')).toBe('<p>x==y== ==y==x</p>')
  })

  it('should leave runs of three or more markers as text', () => {
    expect(render('===a=== ====b====')).toBe('<p>===a=== ====b====</p>')
  })

  it('should nest with emphasis by CommonMark rules where the two cross', () => {
    // pymdownx would let the mark win; inner spans are resolved first here.
    expect(render('*a ==b* c==')).toBe('<p><em>a ==b</em> c==</p>')
  })

  it('should pair thousands of marks in one paragraph', () => {
    const markdown = Array.from({length: 3000}, (_, index) => '==m' + index + '==').join(' ')
    const paragraph = parse(markdown).children[0] as Paragraph
    const marks = paragraph.children.filter((node): node is Mark => node.type === 'mark')
    expect(marks.length).toBe(3000)
    expect(slice(markdown, marks[2999]!)).toBe('==m2999==')
  })

  it('should escape `==` runs in text and encode whitespace at the edges', () => {
    const tree = parse('x')
    tree.children = [
      {
        type: 'paragraph',
        children: [
          {type: 'text', value: 'a == b and c===d '},
          {type: 'mark', children: [{type: 'text', value: ' spaced '}]}
        ]
      }
    ]
    const output = stringify(tree)
    // No two unescaped `=` are left side by side.
    expect(output).toBe('a \\=\\= b and c=\\==d ==&#x20;spaced&#x20;==\n')
    const back = parse(output).children[0] as Paragraph
    expect(back.children[0]).toMatchObject({type: 'text', value: 'a == b and c===d '})
    expect(back.children[1]).toMatchObject({
      type: 'mark',
      children: [{type: 'text', value: ' spaced '}]
    })
  })

  it('should round-trip marks in lists, links and across lines', () => {
    expectRoundTrip('- ==a [b](c) d==\n- x ==e\n  f==\n')
    expectRoundTrip('==a==b== and \\==c== and ==\\=d==')
  })

  it('should round-trip any mix of `=` runs', () => {
    expectRoundTripProperty(['=', '==', '===', '==a==', '\\='])
  })

  it('should be part of the dialect', async () => {
    expect(await renderFragment('a ==b== c')).toBe('<p>a <mark>b</mark> c</p>')
  })
})

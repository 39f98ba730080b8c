/**
 * `^^insert^^` and `^superscript^` (pymdownx.caret): fixtures against the
 * Python reference (see `inline-helpers.ts`), then positions, escaped
 * spaces, footnotes and round trips.
 */
import type {Paragraph} from 'mdast'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {setUpInlineTests} from './inline-helpers.js'

const {expectRoundTrip, expectRoundTripProperty, find, parse, render, slice, stringify} =
  setUpInlineTests('caret')

describe('insert and superscript', () => {
  it('should span the sequences', () => {
    const markdown = 'x^2^ and ^^new^^'
    const tree = parse(markdown)
    expect(slice(markdown, find(tree, 'superscript'))).toBe('^2^')
    expect(slice(markdown, find(tree, 'insert'))).toBe('^^new^^')
  })

  it('should read `\\ ` in a superscript as a space, keeping positions', () => {
    const markdown = 'a ^b\\ c^ d'
    const superscript = find(parse(markdown), 'superscript')
    expect(superscript.children).toEqual([
      {
        type: 'text',
        value: 'b c',
        position: {
          start: {line: 1, column: 4, offset: 3},
          end: {line: 1, column: 8, offset: 7}
        }
      }
    ])
  })

  it('should keep `\\ ` outside superscripts as CommonMark does', () => {
    expect(render('a\\ b ^c^')).toBe('<p>a\\ b <sup>c</sup></p>')
  })

  it('should not let a superscript hold whitespace, a line ending or a hard break', () => {
    expect(render('^a b^ ^a\nb^ ^a\\\nb^')).toBe('<p>^a b^ ^a\nb^ ^a<br>\nb^</p>')
  })

  it('should allow code and links inside a superscript, as pymdownx does', () => {
    expect(render('^`a b`^ ^[a b](u)^')).toBe(
      '<p><sup><code>a b</code></sup> <sup><a href="u">a b</a></sup></p>'
    )
  })

  it('should leave runs of three carets and intraword inserts as text', () => {
    // pymdownx makes `<ins><sup>` of `^^^a^^^` and reads `a^^b^^c` as
    // `a<sup>^b</sup>^c`; both stay text here on purpose.
    expect(render('^^^a^^^ a^^b^^c')).toBe('<p>^^^a^^^ a^^b^^c</p>')
  })

  it('should leave GFM footnote references alone', () => {
    const tree = parse('Scale 2^10^ rows[^note].\n\n[^note]: Per day.\n')
    const paragraph = tree.children[0] as Paragraph
    expect(paragraph.children.map((node) => node.type)).toEqual([
      'text',
      'superscript',
      'text',
      'footnoteReference',
      'text'
    ])
  })

  it('should write spaces in a superscript as character references', () => {
    const tree = parse('^a\\ b^')
    const output = stringify(tree)
    expect(output).toBe('^a&#x20;b^\n')
    expectRoundTrip(output)
  })

  it('should escape carets in text', () => {
    const tree = parse('x')
    tree.children = [{type: 'paragraph', children: [{type: 'text', value: 'x^2^ and ^^y^^'}]}]
    expect(stringify(tree)).toBe('x\\^2\\^ and \\^\\^y\\^\\^\n')
  })

  it('should round-trip nested and escaped carets', () => {
    expectRoundTrip('^^*a* ^b^^^ and ^a\\^b^ and \\^c^ and ^^ d^^ e^^')
  })

  it('should round-trip any mix of carets', () => {
    expectRoundTripProperty(['^', '^^', '^^^', '^a^', '^^a^^', '\\ ', '[^1]'])
  })

  it('should be part of the dialect', async () => {
    expect(await renderFragment('x^2^ ^^y^^')).toBe('<p>x<sup>2</sup> <ins>y</ins></p>')
  })
})

/**
 * Attr lists `{ #id .class key=value }` (Python-Markdown attr_list) after
 * links and images and at the end of ATX headings: fixtures against the
 * Python reference (see `inline-helpers.ts`), then the data they leave on
 * nodes, what stays text, positions and round trips.
 */
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Blockquote, Heading, Image, Link, List, Paragraph} from 'mdast'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {setUpInlineTests} from './inline-helpers.js'

const {expectRoundTrip, expectRoundTripProperty, find, parse, render, slice, stringify} =
  setUpInlineTests('attr-list')

describe('attr lists after links and images', () => {
  it('should store attributes and mirror them into hProperties', () => {
    const image = find(parse('![x](a.png){ #fig .wide .dark loading=lazy alt="A b" }'), 'image')
    expect(image.data).toEqual({
      attributes: {
        id: 'fig',
        classes: ['wide', 'dark'],
        pairs: [
          ['loading', 'lazy'],
          ['alt', 'A b']
        ]
      },
      hProperties: {id: 'fig', className: ['wide', 'dark'], loading: 'lazy', alt: 'A b'}
    })
  })

  it('should apply items in source order, as Python-Markdown does', () => {
    const link = find(parse('[a](u){: #one id=two .x class="y z" .w hidden }'), 'link')
    expect(link.data?.attributes).toEqual({
      id: 'two',
      classes: ['y', 'z', 'w'],
      pairs: [['hidden', 'hidden']]
    })
  })

  it('should attach to reference links and images and to autolinks', () => {
    const tree = parse('[a][r]{.l} ![b][r]{.i} <https://x.y>{.u}\n\n[r]: https://x.y/r.png\n')
    const classes: unknown[] = []
    visit(tree, (node) => {
      if (node.data?.attributes) classes.push([node.type, node.data.attributes.classes])
    })
    expect(classes).toEqual([
      ['linkReference', ['l']],
      ['imageReference', ['i']],
      ['link', ['u']]
    ])
  })

  it('should leave the list out of the text and keep positions', () => {
    const markdown = 'See [docs](u){ .b } now'
    const paragraph = parse(markdown).children[0] as Paragraph
    expect(paragraph.children.map((node) => slice(markdown, node))).toEqual([
      'See ',
      '[docs](u)',
      ' now'
    ])
  })

  it('should leave a list that follows nothing it can attach to as text', () => {
    // Python-Markdown would also give `*b*` the class; only links and
    // images take inline lists here.
    expect(render('{.a} text {.b} *b*{.c} [l](u) {.d}')).toBe(
      '<p>{.a} text {.b} <em>b</em>{.c} <a href="u">l</a> {.d}</p>'
    )
  })

  it('should leave invalid lists as text exactly', () => {
    for (const list of ['{}', '{ }', '{:}', '{=x}', '{a=}', '{#}', '{.a.b', '{"x"}', '{a="b}"}']) {
      const markdown = '[l](u)' + list
      const paragraph = parse(markdown).children[0] as Paragraph
      expect(paragraph.children[0]?.data, list).toBeUndefined()
      expect(slice(markdown, paragraph.children[1]!), list).toBe(list)
    }
  })

  it('should take a second list after the first as text', () => {
    expect(render('[l](u){.a}{.b}')).toBe('<p><a href="u" class="a">l</a>{.b}</p>')
  })

  it('should not span lines', () => {
    expect(render('[l](u){.a\n.b}')).toBe('<p><a href="u">l</a>{.a\n.b}</p>')
  })
})

describe('attr lists at the end of headings', () => {
  it('should take the list out of the heading text', () => {
    const markdown = '## Feature *stores* { #fs .big }\n'
    const heading = parse(markdown).children[0] as Heading
    expect(heading.depth).toBe(2)
    expect(heading.data?.attributes).toEqual({id: 'fs', classes: ['big']})
    expect(heading.data?.hProperties).toEqual({id: 'fs', className: ['big']})
    expect(heading.children.map((node) => slice(markdown, node))).toEqual(['Feature ', '*stores*'])
    expect(slice(markdown, heading)).toBe('## Feature *stores* { #fs .big }')
  })

  it('should allow a closing sequence before or after the list', () => {
    for (const markdown of ['## A ## {#a}', '## A {#a} ##', '## A {#a}##  ']) {
      const heading = parse(markdown).children[0] as Heading
      expect(heading.children, markdown).toMatchObject([{type: 'text', value: 'A'}])
      expect(heading.data?.attributes, markdown).toEqual({id: 'a'})
    }
  })

  it('should need a space before the list and nothing after it', () => {
    for (const markdown of ['## A{#a}', '## A {#a} b', '## {#a}', '## A {#a} {#b} c']) {
      const heading = parse(markdown).children[0] as Heading
      expect(heading.data, markdown).toBeUndefined()
    }
  })

  it('should take only the last list of a heading', () => {
    const heading = parse('## A {.x} {#b}').children[0] as Heading
    expect(heading.data?.attributes).toEqual({id: 'b'})
    expect(heading.children).toMatchObject([{type: 'text', value: 'A {.x}'}])
  })

  it('should give the heading, not a link before it, a list after a space', () => {
    const tree = parse('## See [docs](u) {#see}\n\n## See [docs](u){#link}')
    const [first, second] = tree.children as [Heading, Heading]
    expect(first.data?.attributes).toEqual({id: 'see'})
    expect((first.children[1] as Link).data).toBeUndefined()
    expect(second.data).toBeUndefined()
    expect((second.children[1] as Link).data?.attributes).toEqual({id: 'link'})
  })

  it('should work in containers and interrupt paragraphs', () => {
    const tree = parse('> Text\n> ## Quoted {#q}\n\n- ## Listed {#l}\n')
    const quote = tree.children[0] as Blockquote
    const list = tree.children[1] as List
    expect(quote.children[1]).toMatchObject({type: 'heading', data: {attributes: {id: 'q'}}})
    expect(list.children[0]?.children[0]).toMatchObject({
      type: 'heading',
      data: {attributes: {id: 'l'}}
    })
  })

  it('should render ids and classes', () => {
    expect(render('## Title {: #t .a data-x="1" }')).toBe(
      '<h2 id="t" class="a" data-x="1">Title</h2>'
    )
  })
})

describe('attr lists back to Markdown', () => {
  it('should write lists after links, images and headings', () => {
    expect(
      expectRoundTrip('# T {: #t }\n\n![x](a.png){loading=lazy} [l](u){ .a data-x="y z" q=\'"\' }')
    ).toBe('# T { #t }\n\n![x](a.png){ loading=lazy } [l](u){ .a data-x="y z" q=\'"\' }\n')
  })

  it('should write headings with lists as ATX even when setext is asked for', () => {
    const tree = parse('# T {#t}\n')
    expect(stringify(tree)).toBe('# T { #t }\n')
    expect(stringify(tree, {setext: true})).toBe('# T { #t }\n')
  })

  it('should escape braces that would become lists', () => {
    const tree = parse('x')
    tree.children = [
      {
        type: 'paragraph',
        children: [
          {type: 'link', url: 'u', children: [{type: 'text', value: 'l'}]},
          {type: 'text', value: '{.a} and {.b}'}
        ]
      },
      {type: 'heading', depth: 2, children: [{type: 'text', value: 'A {.c}'}]}
    ]
    const output = stringify(tree)
    expect(output).toBe('[l](u)\\{.a} and {.b}\n\n## A \\{.c}\n')
    expectRoundTrip(output)
  })

  it('should round-trip any mix of braces, links and headings', () => {
    expectRoundTripProperty(['{', '}', '{.c}', '{ #i k=v }', '{:', '#', '## ', '![i](s)', '=', '"'])
  })

  it('should be part of the dialect', async () => {
    expect(await renderFragment('[l](u){ .button }')).toBe('<p><a href="u" class="button">l</a></p>')
  })
})

describe('attr lists in the real posts', () => {
  const reading = fileURLToPath(new URL('../../shared/corpus/reading.md', import.meta.url))

  it.skipIf(!existsSync(reading))('should attach `{ loading=lazy }` to its image', () => {
    const images: Image[] = []
    visit(parse(readFileSync(reading, 'utf8')), 'image', (node) => {
      if (node.data?.attributes) images.push(node)
    })
    expect(images.map((image) => image.data?.hProperties)).toEqual([{loading: 'lazy'}])
  })
})

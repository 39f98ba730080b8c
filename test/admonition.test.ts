import type {Admonition} from '../src/syntax/mdast.js'
import type {Root, RootContent} from 'mdast'
import type {Point} from 'unist'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {expectDialectRoundTrip as roundTrip, parseDialect as parse} from './helpers/fixtures.js'

/** The point at `line`:`column` of `markdown`, with its offset. */
function at(markdown: string, line: number, column: number): Point {
  const lines = markdown.split('\n').slice(0, line - 1)
  const offset = lines.reduce((sum, value) => sum + value.length + 1, 0) + column - 1
  return {line, column, offset}
}

/** The first admonition in document order. */
function firstAdmonition(tree: Root): Admonition {
  const stack: RootContent[] = [...tree.children]
  while (stack.length > 0) {
    const node = stack.shift()!
    if (node.type === 'admonition') return node
    if ('children' in node) stack.unshift(...(node.children as RootContent[]))
  }

  throw new Error('No admonition')
}

describe('admonition nodes', () => {
  it('should read kind, classes, title and collapsible from `!!!` and `???`', async () => {
    const tree = await parse(
      '!!! Note Inline END "Read *this*"\n    Body.\n\n???+ tip ""\n    Open.\n\n??? "No kind"\n    Closed.\n'
    )
    const [a, b, c] = tree.children as Admonition[]
    expect(a).toMatchObject({
      type: 'admonition',
      kind: 'note',
      classes: ['inline', 'end'],
      title: 'Read *this*',
      collapsible: null,
      syntax: 'mkdocs'
    })
    expect(a!.children[0]).toMatchObject({
      type: 'admonitionTitle',
      children: [{type: 'text', value: 'Read '}, {type: 'emphasis'}]
    })
    expect(b).toMatchObject({kind: 'tip', title: '', collapsible: 'open'})
    expect(b!.children.map((child) => child.type)).toEqual(['paragraph'])
    expect(c).toMatchObject({kind: '', title: 'No kind', collapsible: 'closed'})
  })

  it('should give `title: null` and no title child when there is no title', async () => {
    const node = firstAdmonition(await parse('!!! danger\n    Do not.\n'))
    expect(node.title).toBe(null)
    expect(node.children.map((child) => child.type)).toEqual(['paragraph'])
  })

  it('should keep positions of the admonition, its title and its body', async () => {
    const markdown =
      'Intro.\n\n- item\n\n  !!! note "The title"\n      Body line one\n      and two.\n\nAfter.\n'
    const node = firstAdmonition(await parse(markdown))
    expect(node.position).toEqual({start: at(markdown, 5, 3), end: at(markdown, 7, 15)})
    expect(node.children[0]!.position).toEqual({
      start: at(markdown, 5, 13),
      end: at(markdown, 5, 22)
    })
    expect(node.children[1]!.position).toEqual({
      start: at(markdown, 6, 7),
      end: at(markdown, 7, 15)
    })
  })

  it('should end a title-only admonition at the end of its opening line', async () => {
    const markdown = '!!! note "Title"  \n\nAfter.\n'
    const node = firstAdmonition(await parse(markdown))
    expect(node.position).toEqual({start: at(markdown, 1, 1), end: at(markdown, 1, 19)})
  })

  it('should end an admonition at its last content, not at the line that closed it', async () => {
    const markdown = '> !!! note\n>     Body.\n> Not body.\n'
    const node = firstAdmonition(await parse(markdown))
    expect(node.position).toEqual({start: at(markdown, 1, 3), end: at(markdown, 2, 12)})
  })

  it('should take no lazy lines, even inside a block quote', async () => {
    const tree = await parse('!!! note\n    Body\nnot body\n')
    expect(tree.children.map((child) => child.type)).toEqual(['admonition', 'paragraph'])
  })

  it('should end a `:::` directive at an empty line before a lazy one, inside a block quote too', async () => {
    // A line ending alone before a line without the quote's `>` once made an empty token (a parser crash).
    for (const text of ['> :::note\n> \r model\n> :::', '> :::note\n> body\n> \n lazy\n> :::', '> [!NOTE]\n> :::note\n> \r model\n> :::']) {
      const tree = await parse(text)
      expect(tree.type).toBe('root')
      // The lazy line's text stays in the document.
      expect(JSON.stringify(tree)).toContain(text.includes('model') ? 'model' : 'lazy')
    }
  })

  it('should accept a marker indented by up to 3 spaces, indenting the body from it', async () => {
    // Python-Markdown takes `!!!` only at the start of a line; in list items
    // the indentation before the marker is what makes 4-space indented
    // MkDocs lists work, so it is accepted everywhere.
    const tree = await parse('  !!! note\n      Body.\n')
    expect(firstAdmonition(tree).children.map((child) => child.type)).toEqual(['paragraph'])
  })

  it('should leave an indented `!!!` as code', async () => {
    const tree = await parse('    !!! note\n        code\n')
    expect(tree.children.map((child) => child.type)).toEqual(['code'])
  })

  it('should keep a tight list tight around an admonition with blank lines inside', async () => {
    const html = await renderFragment(
      '- !!! note\n\n      Body after a blank line.\n\n      Second paragraph.\n- Next item\n'
    )
    expect(html).toContain('<li>Next item</li>')
  })

  it('should make a list loose when blank lines separate an item’s children', async () => {
    const html = await renderFragment('- First\n\n  !!! note\n      Body.\n- Next item\n')
    expect(html).toContain('<li>\n<p>Next item</p>\n</li>')
  })

  it('should parse a long document in linear time', async () => {
    const block = '!!! note "A *title*"\n    Body with `code`.\n\n    - a\n    - b\n\n'
    /** Best of three runs: the machine may be busy. */
    async function time(markdown: string): Promise<number> {
      let best = Number.POSITIVE_INFINITY
      for (let run = 0; run < 3; run++) {
        const start = performance.now()
        await parse(markdown)
        best = Math.min(best, performance.now() - start)
      }

      return best
    }

    const small = await time(block.repeat(50))
    const large = await time(block.repeat(500))
    // Ten times the input: anything under 30 times the time is linear
    // enough (quadratic would be 100 times).
    expect(large).toBeLessThan(Math.max(small, 5) * 30)
  })

  it('should not backtrack on a title line full of quotes', async () => {
    const line = '!!! note "' + '" '.repeat(20_000) + 'x\n'
    const start = performance.now()
    const tree = await parse(line)
    expect(performance.now() - start).toBeLessThan(2000)
    expect(tree.children[0]?.type).toBe('paragraph')
  })
})

describe('GitHub alerts', () => {
  it.each([
    ['> [!NOTE]\n> Retrain weekly.\n', '!!! note\n    Retrain weekly.\n'],
    ['> [!tip]\n> Retrain weekly.\n', '!!! tip\n    Retrain weekly.\n'],
    ['> [!Important]\n>\n> - one\n> - two\n', '!!! important\n    - one\n    - two\n'],
    ['> [!WARNING]\n> Retrain weekly.\n', '!!! warning\n    Retrain weekly.\n'],
    ['> [!CAUTION]\n> Retrain weekly.\n', '!!! caution\n    Retrain weekly.\n'],
    ['> [!note] Custom *title*\n> Body.\n', '!!! note "Custom *title*"\n    Body.\n'],
    ['> [!tip]- Closed\n> Body.\n', '??? tip "Closed"\n    Body.\n'],
    ['> [!tip]+ Open\n> Body.\n', '???+ tip "Open"\n    Body.\n'],
    ['> [!example]\n', '!!! example\n']
  ])('should render %j like %j', async (alert, mkdocs) => {
    expect(await renderFragment(alert)).toBe(await renderFragment(mkdocs))
  })

  it('should keep the block quote position and give the title and body theirs', async () => {
    const markdown = 'Intro.\n\n> [!tip] Use *caching*\n> Line two\n> line three.\n'
    const node = firstAdmonition(await parse(markdown))
    expect(node).toMatchObject({kind: 'tip', title: 'Use *caching*', syntax: 'alert'})
    expect(node.position).toEqual({start: at(markdown, 3, 1), end: at(markdown, 5, 14)})
    expect(node.children[0]!.position).toEqual({
      start: at(markdown, 3, 10),
      end: at(markdown, 3, 23)
    })
    expect(node.children[1]).toMatchObject({
      type: 'paragraph',
      children: [
        {
          type: 'text',
          value: 'Line two\nline three.',
          position: {start: at(markdown, 4, 3), end: at(markdown, 5, 14)}
        }
      ],
      position: {start: at(markdown, 4, 3), end: at(markdown, 5, 14)}
    })
  })

  it('should leave an escaped marker and other block quotes alone', async () => {
    const tree = await parse('> \\[!NOTE]\n> Text.\n\n> [!NOTE]text\n\n> Plain [!NOTE]\n')
    expect(tree.children.map((child) => child.type)).toEqual([
      'blockquote',
      'blockquote',
      'blockquote'
    ])
  })

  it('should round-trip alerts', async () => {
    expect(await roundTrip('> [!NOTE]\n> Retrain weekly.\n')).toBe('> [!NOTE]\n> Retrain weekly.\n')
    expect(await roundTrip('> [!tip]- Use *caching*\n>\n>     code\n')).toBe(
      '> [!tip]- Use *caching*\n>\n> ```\n> code\n> ```\n'
    )
    await roundTrip('> [!quote]\n')
  })
})

describe('directive admonitions', () => {
  it.each([
    [':::note\nRetrain weekly.\n:::\n', '!!! note\n    Retrain weekly.\n'],
    [':::Tip[Use *caching*]\nRetrain weekly.\n:::\n', '!!! tip "Use *caching*"\n    Retrain weekly.\n'],
    [':::note[]{.inline .end}\nBody.\n:::\n', '!!! note inline end ""\n    Body.\n'],
    [
      '::::warning[Outer]\nOuter body.\n\n:::danger\nInner body.\n:::\n::::\n',
      '!!! warning "Outer"\n    Outer body.\n\n    !!! danger\n        Inner body.\n'
    ],
    ['> :::note\n> Quoted.\n> :::\n', '> !!! note\n>     Quoted.\n']
  ])('should render %j like %j', async (directive, mkdocs) => {
    expect(await renderFragment(directive)).toBe(await renderFragment(mkdocs))
  })

  it('should run an unclosed directive to the end of its container', async () => {
    const tree = await parse('> :::note\n> Body.\n\nAfter.\n')
    expect(tree.children.map((child) => child.type)).toEqual(['blockquote', 'paragraph'])
    expect(firstAdmonition(tree).children).toHaveLength(1)
  })

  it('should keep positions from the opening to the closing fence', async () => {
    const node = firstAdmonition(await parse('Intro.\n\n:::note[Title]\nBody.\n:::\n'))
    expect(node.position).toEqual({
      start: {line: 3, column: 1, offset: 8},
      end: {line: 5, column: 4, offset: 32}
    })
    expect(node.children[0]!.position).toEqual({
      start: {line: 3, column: 9, offset: 16},
      end: {line: 3, column: 14, offset: 21}
    })
  })

  it('should leave emoji shortcodes, colons and non-directives alone', async () => {
    const tree = await parse(':rocket: shipped\n\n:::\n\n::: note\n\n:::note{#id}\n\nTime: 10:30\n')
    expect(tree.children.every((child) => child.type === 'paragraph')).toBe(true)
  })

  it('should round-trip directives, lengthening outer fences', async () => {
    expect(await roundTrip(':::note[Title]{.wide}\nBody.\n:::\n')).toBe(
      ':::note[Title]{.wide}\nBody.\n:::\n'
    )
    expect(await roundTrip('::::note\n:::tip\nInner.\n:::\n::::\n')).toBe(
      '::::note\n:::tip\nInner.\n:::\n::::\n'
    )
  })
})

describe('admonition to-markdown', () => {
  it('should write `!!!` and `???` with 4-space bodies', async () => {
    expect(
      await roundTrip('???+ note inline "A *title*"\n    Body.\n\n        code\n')
    ).toBe('???+ note inline "A *title*"\n    Body.\n\n    ```\n    code\n    ```\n')
  })

  it('should escape text that would start an admonition', async () => {
    const output = await roundTrip('\\!!! note\n\n\\??? tip\n\n\\:::note\n')
    expect(output).toBe('\\!!! note\n\n\\??? tip\n\n\\:::note\n')
  })

  it('should keep admonitions inside lists and block quotes', async () => {
    await roundTrip('- !!! note\n      Body.\n- Next.\n\n> !!! tip "Quoted"\n>     Body.\n')
  })
})

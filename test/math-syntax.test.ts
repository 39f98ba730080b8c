/**
 * Single-dollar inline math (`src/syntax/math/`): the pymdownx.arithmatex /
 * pandoc rule, the mdast it makes (remark-math's own `inlineMath`), its
 * positions, and the way back through to-markdown.
 */
import type {InlineMath} from 'mdast-util-math'
import type {Paragraph, PhrasingContent, Root, RootContent} from 'mdast'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {
  parseDialect as parse,
  stringifyDialect as stringify,
  withoutPositions
} from './helpers/fixtures.js'

// What remark-math makes of single dollars when it owns them: the node to match.
const upstream = unified().use(remarkParse).use(remarkMath)

/** The first paragraph's children as `text` strings and `{math}` objects. */
async function inline(markdown: string): Promise<Array<string | {math: string} | {other: string}>> {
  const tree = await parse(markdown)
  const paragraph = tree.children.find((node): node is Paragraph => node.type === 'paragraph')
  if (!paragraph) throw new Error('no paragraph in ' + JSON.stringify(markdown))
  return paragraph.children.map(describeNode)
}

function describeNode(node: PhrasingContent): string | {math: string} | {other: string} {
  if (node.type === 'text') return node.value
  if (node.type === 'inlineMath') return {math: node.value}
  return {other: node.type}
}

/** Every `inlineMath` in a tree. */
function maths(tree: Root): InlineMath[] {
  const found: InlineMath[] = []
  visit(tree, 'inlineMath', (node) => {
    found.push(node)
  })
  return found
}

/** remark-math turns line endings inside inline math into spaces on the way out. */
function withoutMathLineEndings(tree: Root): Root {
  visit(tree, 'inlineMath', (node) => {
    node.value = node.value.replace(/\r?\n|\r/g, ' ')
    const child = node.data?.hChildren?.[0]
    if (child?.type === 'text') child.value = node.value
  })
  return tree
}

async function roundTrip(markdown: string): Promise<{markdown: string; before: Root; after: Root}> {
  const before = await parse(markdown)
  const output = stringify(before)
  return {markdown: output, before, after: await parse(output)}
}

describe('single-dollar inline math: what is math', () => {
  it('should keep prices as text', async () => {
    expect(await inline('the GPU costs $5 and the CPU $10 an hour')).toEqual([
      'the GPU costs $5 and the CPU $10 an hour'
    ])
    expect(await inline('The sweep came to $5.')).toEqual(['The sweep came to $5.'])
    expect(await inline('costs $ 5 a month')).toEqual(['costs $ 5 a month'])
    expect(await inline('US$5, $20 or $30')).toEqual(['US$5, $20 or $30'])
  })

  it('should not close before a digit, and then not look further', async () => {
    // pandoc's rule; pymdownx.arithmatex would make `5 and` math here.
    expect(await inline('from $5 and$10 on')).toEqual(['from $5 and$10 on'])
    expect(await inline('$x$5')).toEqual(['$x$5'])
  })

  it('should parse `$x$` and formulas with spaces inside', async () => {
    expect(await inline('$x$')).toEqual([{math: 'x'}])
    expect(await inline('Energy: $E = mc^2$!')).toEqual(['Energy: ', {math: 'E = mc^2'}, '!'])
  })

  it('should parse formulas touching punctuation', async () => {
    expect(await inline('from $a$-$b$ on')).toEqual(['from ', {math: 'a'}, '-', {math: 'b'}, ' on'])
    expect(await inline('below $\\epsilon$.')).toEqual(['below ', {math: '\\epsilon'}, '.'])
    expect(await inline('($k$)')).toEqual(['(', {math: 'k'}, ')'])
  })

  it('should let formulas touch letters, as pymdownx does', async () => {
    expect(await inline('a$b$c')).toEqual(['a', {math: 'b'}, 'c'])
  })

  it('should reject whitespace right inside the dollars', async () => {
    expect(await inline('a $ x$ b')).toEqual(['a $ x$ b'])
    expect(await inline('a $x $ b')).toEqual(['a $x $ b'])
    expect(await inline('a $x\n$ b')).toEqual(['a $x\n$ b'])
    expect(await inline('a $\u00a0x$ b')).toEqual(['a $\u00a0x$ b'])
  })

  it('should give up at the first `$` when it cannot close', async () => {
    // pymdownx and pandoc alike: `$a $` fails, and `$ b$` cannot open.
    expect(await inline('$a $ b$')).toEqual(['$a $ b$'])
  })

  it('should read `\\$` outside math as a literal dollar', async () => {
    expect(await inline('pay \\$5 now')).toEqual(['pay $5 now'])
    expect(await inline('\\$x$ is text')).toEqual(['$x$ is text'])
    expect(await inline('\\\\$y$')).toEqual(['\\', {math: 'y'}])
  })

  it('should keep `\\$` inside math as TeX, not as the closer', async () => {
    // As pymdownx and pandoc; remark-math alone would close at that `$`.
    expect(await inline('$a\\$b$')).toEqual([{math: 'a\\$b'}])
    expect(await inline('$a\\\\$b')).toEqual([{math: 'a\\\\'}, 'b'])
  })

  it('should allow line endings inside, as in a paragraph', async () => {
    expect(await inline('$\\min_\\theta\n\\mathcal{L}$ ok')).toEqual([
      {math: '\\min_\\theta\n\\mathcal{L}'},
      ' ok'
    ])
  })

  it('should leave dollars in code spans alone', async () => {
    expect(await inline('`$x$` and `echo $HOME` and $y$')).toEqual([
      {other: 'inlineCode'},
      ' and ',
      {other: 'inlineCode'},
      ' and ',
      {math: 'y'}
    ])
  })

  it('should bind tighter than emphasis, as code spans do', async () => {
    expect(await inline('*a $b*$')).toEqual(['*a ', {math: 'b*'}])
  })

  it('should work inside emphasis, strong, links, headings, lists, quotes and tables', async () => {
    const tree = await parse(
      [
        '# Loss $L$',
        '',
        '*metric $F_1$* and **recall $r$** and [the $\\alpha$ schedule](https://example.com/a)',
        '',
        '- item with $k$ folds',
        '',
        '> quote with $\\lambda$',
        '',
        '| a | b |',
        '| - | - |',
        '| $x$ | costs $5 |',
        ''
      ].join('\n')
    )
    const parents: string[] = []
    visit(tree, 'inlineMath', (node, _, parent) => {
      parents.push(`${parent?.type}:${node.value}`)
    })
    expect(parents).toEqual([
      'heading:L',
      'emphasis:F_1',
      'strong:r',
      'link:\\alpha',
      'paragraph:k',
      'paragraph:\\lambda',
      'tableCell:x'
    ])
  })

  it('should leave `$$x$$` to remark-math, in text and as a block', async () => {
    expect(await inline('a $$x$$ b')).toEqual(['a ', {math: 'x'}, ' b'])
    const tree = await parse('$$\nx^2\n$$\n')
    expect(tree.children.map((node: RootContent) => node.type)).toEqual(['math'])
  })

  it('should not start inside a run of dollars', async () => {
    expect(await inline('$$x$')).toEqual(['$$x$'])
    expect(await inline('\\$$x$')).toEqual(['$', {math: 'x'}])
  })
})

describe('single-dollar inline math: the node', () => {
  it.each([
    'a $x$ b',
    '$E = mc^2$',
    'from $a$-$b$.',
    '*see $x$* and [$y$](u)',
    '$\\min_\\theta\n  \\mathcal{L}$ spans lines'
  ])('should make the node remark-math makes for %j', async (markdown) => {
    const ours = await parse(markdown)
    expect(ours).toEqual(upstream.parse(markdown))
  })

  it('should place the node from its opening to its closing dollar', async () => {
    const [node] = maths(await parse('Rate $\\eta$ here'))
    expect(node?.position).toEqual({
      start: {line: 1, column: 6, offset: 5},
      end: {line: 1, column: 12, offset: 11}
    })
  })

  it('should place a node that spans lines', async () => {
    const [node] = maths(await parse('intro\nthe $a +\n  b$ end'))
    expect(node?.position).toEqual({
      start: {line: 2, column: 5, offset: 10},
      end: {line: 3, column: 5, offset: 19}
    })
  })

  it('should render as KaTeX on the web, and prices as plain text', async () => {
    const math = await renderFragment('Rate $\\eta$ here.')
    expect(math).toContain('<span class="katex">')
    expect(math).toContain('<annotation encoding="application/x-tex">\\eta</annotation>')
    expect(await renderFragment('It costs $5 and $10.')).toBe('<p>It costs $5 and $10.</p>')
  })
})

describe('single-dollar inline math: to-markdown', () => {
  it('should write a formula with single dollars', async () => {
    expect((await roundTrip('a $x$ b, $E = mc^2$.')).markdown).toBe('a $x$ b, $E = mc^2$.\n')
    expect((await roundTrip('$a\\$b$')).markdown).toBe('$a\\$b$\n')
  })

  it('should escape every dollar in text', async () => {
    const result = await roundTrip('costs $5 and $10, or $ 5, or \\$x$')
    expect(result.markdown).toBe('costs \\$5 and \\$10, or \\$ 5, or \\$x\\$\n')
    expect(withoutPositions(result.after)).toEqual(withoutPositions(result.before))
  })

  it('should not escape dollars where escapes do not work', async () => {
    expect((await roundTrip('[a](https://example.com/$x$)')).markdown).toBe('[a](https://example.com/$x$)\n')
    expect((await roundTrip('`$x$`')).markdown).toBe('`$x$`\n')
  })

  it('should fall back to double dollars where single ones would not read back', async () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [
            {type: 'inlineMath', value: ' padded '},
            {type: 'text', value: ' '},
            {type: 'inlineMath', value: 'a $ b'},
            {type: 'text', value: ' '},
            {type: 'inlineMath', value: 'x'},
            {type: 'text', value: '5 '},
            {type: 'inlineMath', value: 'ends\\'}
          ]
        }
      ]
    }
    const markdown = stringify(tree)
    expect(markdown).toBe('$$  padded  $$ $$a $ b$$ $$x$$5 $$ends\\$$\n')
    const values = maths(await parse(markdown)).map((node) => node.value)
    expect(values).toEqual([' padded ', 'a $ b', 'x', 'ends\\'])
  })

  it('should round-trip trees with dollars anywhere (generated cases)', async () => {
    const alphabet = ['$', '$', '$', '\\', ' ', '5', 'a', '*', '`', '\n', '_', '[', ']', '(', ')', '#', '-']
    let seed = 42
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    const failures: string[] = []

    for (let index = 0; index < 1000; index++) {
      let markdown = ''
      const length = 1 + Math.floor(random() * 12)
      for (let char = 0; char < length; char++) {
        markdown += alphabet[Math.floor(random() * alphabet.length)]
      }

      const result = await roundTrip(markdown)
      const before = withoutPositions(withoutMathLineEndings(result.before))
      const after = withoutPositions(withoutMathLineEndings(result.after))
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        failures.push(`${JSON.stringify(markdown)} -> ${JSON.stringify(result.markdown)}`)
      }
    }

    expect(failures).toEqual([])
  })
})

/**
 * Math syntax fixtures: each `test/fixtures/math-syntax/<case>/input.md` is
 * parsed with the whole dialect and compared with `arithmatex.html`, the
 * output of Python-Markdown with pymdownx.arithmatex in generic mode
 * (committed, so the test needs no Python; set
 * UPDATE_MATH_SYNTAX_FIXTURES=1 to regenerate with /usr/bin/python3, then
 * review the diff).
 *
 * The comparison is about which text is math, so both sides are reduced to
 * the same shape: pymdownx's `<span class="arithmatex">\(x\)</span>` and our
 * `<code class="math-inline">x</code>` become the text `⟦x⟧`; its
 * `<div class="arithmatex">\[x\]</div>` and our
 * `<pre><code class="math-display">x</code></pre>` become `<div>⟦⟦x⟧⟧</div>`.
 * The web renderer (KaTeX) is not involved: it has its own tests. Text is
 * merged and whitespace-only text dropped (Python puts newlines between
 * blocks).
 *
 * Each fixture also goes through to-markdown and back: the tree must come
 * back the same, positions aside.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Element, ElementContent, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import remarkStringify from 'remark-stringify'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createParser} from '../src/index.js'

const fixtures = new URL('fixtures/math-syntax/', import.meta.url)
const cases = readdirSync(fixtures, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

const processor = createParser().use(remarkStringify)
const python = '/usr/bin/python3'
const reference = [
  'import sys, markdown',
  'src = open(sys.argv[1], encoding="utf-8").read()',
  'print(markdown.markdown(src, extensions=["pymdownx.arithmatex"],',
  '  extension_configs={"pymdownx.arithmatex": {"generic": True}}))'
].join('\n')

describe('math syntax fixtures (pymdownx.arithmatex reference output)', () => {
  it.each(cases)('should find the math in %s where pymdownx does', async (name) => {
    const inputUrl = new URL(name + '/input.md', fixtures)
    const expectedUrl = new URL(name + '/arithmatex.html', fixtures)

    if (process.env.UPDATE_MATH_SYNTAX_FIXTURES && existsSync(python)) {
      writeFileSync(expectedUrl, execFileSync(python, ['-c', reference, fileURLToPath(inputUrl)]))
    }

    const tree = await parse(readFileSync(inputUrl, 'utf8'))
    const actual = toHtml(toHast(tree))
    expect(normalise(actual)).toBe(normalise(readFileSync(expectedUrl, 'utf8')))
  })

  it.each(cases)('should round-trip %s through to-markdown', async (name) => {
    const tree = await parse(readFileSync(new URL(name + '/input.md', fixtures), 'utf8'))
    const markdown = processor.stringify(tree)
    expect(withoutPositions(await parse(markdown))).toEqual(withoutPositions(tree))
  })
})

async function parse(markdown: string): Promise<Root> {
  const file = new VFile({value: markdown})
  return (await processor.run(processor.parse(file), file)) as Root
}

/** A deep copy without `position` fields. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions)
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {}
    for (const [key, field] of Object.entries(value)) {
      if (key !== 'position') result[key] = withoutPositions(field)
    }

    return result
  }

  return value
}

/** Reduce HTML to what the comparison is about (see the top of this file). */
function normalise(html: string): string {
  return clean(fromHtml(html, {fragment: true}).children)
    .map((node) => toHtml(node))
    .join('\n')
}

function clean(nodes: Array<RootContent | ElementContent>): ElementContent[] {
  const result: ElementContent[] = []

  for (const node of nodes) {
    if (node.type === 'text') {
      pushText(result, node.value)
      continue
    }

    if (node.type !== 'element') continue

    if (hasClass(node, 'arithmatex')) {
      const tex = textOf(node)
      if (node.tagName === 'div') {
        result.push(display(tex.replace(/^\\\[|\\\]$/g, '')))
      } else {
        pushText(result, '⟦' + tex.replace(/^\\\(|\\\)$/g, '') + '⟧')
      }

      continue
    }

    if (node.tagName === 'code' && hasClass(node, 'math-inline')) {
      pushText(result, '⟦' + textOf(node) + '⟧')
      continue
    }

    if (node.tagName === 'pre' && node.children.some((child) => child.type === 'element' && hasClass(child, 'math-display'))) {
      result.push(display(textOf(node)))
      continue
    }

    result.push({...node, children: clean(node.children)})
  }

  return result.filter((node) => node.type !== 'text' || node.value.trim() !== '')
}

/** Add text, merged with text before it (math markers split text nodes). */
function pushText(nodes: ElementContent[], value: string): undefined {
  const tail = nodes[nodes.length - 1]
  if (tail?.type === 'text') tail.value += value
  else nodes.push({type: 'text', value})
}

function display(tex: string): Element {
  return {type: 'element', tagName: 'div', properties: {}, children: [{type: 'text', value: '⟦⟦' + tex.trim() + '⟧⟧'}]}
}

function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}

function textOf(node: Element | ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type !== 'element') return ''
  return node.children.map((child) => textOf(child)).join('')
}

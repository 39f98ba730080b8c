/**
 * Admonition fixtures: each `test/fixtures/admonition/<case>/input.md` is
 * rendered with the whole dialect (`renderFragment`) and compared with
 * `expected.html`, the output of MkDocs' Python-Markdown stack
 * (`../shared/tools/mkdocs-reference.py input.md`, committed so the test
 * needs no Python; set UPDATE_ADMONITION_FIXTURES=1 to regenerate, then
 * review the diff).
 *
 * Both sides are parsed with hast-util-from-html and normalised before the
 * comparison. The normalisation, and the only differences it forgives:
 *
 * - whitespace-only text nodes are dropped (Python puts a newline between
 *   every block, we do not always);
 * - code blocks compare by their text only: Python's highlighting wrapper
 *   (`<div class="highlight"><pre><span></span><code>` with Pygments
 *   spans) and our `class="language-*"` (or highlighting) are not
 *   admonition behaviour;
 * - heading `id`s and `a.headerlink` permalinks are dropped (Python's toc
 *   extension and our heading handler slug differently).
 *
 * Each fixture also goes through to-markdown and back: the tree must come
 * back the same, positions aside.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Element, ElementContent, Root as HastRoot, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Root} from 'mdast'
import remarkStringify from 'remark-stringify'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createParser, renderFragment} from '../src/index.js'

const fixtures = new URL('fixtures/admonition/', import.meta.url)
const reference = new URL('../../shared/tools/mkdocs-reference.py', import.meta.url)
const cases = readdirSync(fixtures, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

const processor = createParser().use(remarkStringify)

describe('admonition fixtures (MkDocs reference output)', () => {
  it.each(cases)('should render %s as MkDocs does', async (name) => {
    const input = readFileSync(new URL(name + '/input.md', fixtures), 'utf8')
    const expectedUrl = new URL(name + '/expected.html', fixtures)

    if (process.env.UPDATE_ADMONITION_FIXTURES && existsSync(reference)) {
      const html = execFileSync('/usr/bin/python3', [
        fileURLToPath(reference),
        fileURLToPath(new URL(name + '/input.md', fixtures))
      ])
      writeFileSync(expectedUrl, html)
    }

    const expected = readFileSync(expectedUrl, 'utf8')
    const actual = await renderFragment(input)
    expect(normalise(actual)).toBe(normalise(expected))
  })

  it.each(cases)('should round-trip %s through to-markdown', async (name) => {
    const input = readFileSync(new URL(name + '/input.md', fixtures), 'utf8')
    const tree = await parse(input)
    const markdown = processor.stringify(tree)
    expect(withoutPositions(await parse(markdown))).toEqual(withoutPositions(tree))
  })
})

/** Parse as the pipeline does: the file goes along (alerts read the source). */
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

/** Normalise HTML (see the top of this file) and print it one node a line. */
function normalise(html: string): string {
  const tree = fromHtml(html, {fragment: true})
  return clean(tree.children)
    .map((node) => print(node, ''))
    .join('\n')
}

function clean(nodes: Array<RootContent | ElementContent>): ElementContent[] {
  const result: ElementContent[] = []

  for (const node of nodes) {
    if (node.type === 'text') {
      if (node.value.trim()) result.push({type: 'text', value: node.value})
      continue
    }

    if (node.type !== 'element') continue
    if (isClass(node, 'highlight') && node.tagName === 'div') {
      result.push(...clean(node.children))
      continue
    }

    if (node.tagName === 'a' && isClass(node, 'headerlink')) continue

    if (node.tagName === 'pre') {
      result.push({
        type: 'element',
        tagName: 'pre',
        properties: {},
        children: [
          {type: 'element', tagName: 'code', properties: {}, children: [{type: 'text', value: textOf(node)}]}
        ]
      })
      continue
    }

    const properties = {...node.properties}
    if (/^h[1-6]$/.test(node.tagName)) delete properties.id
    result.push({...node, properties, children: clean(node.children)})
  }

  return result
}

function isClass(node: Element, name: string): boolean {
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}

function textOf(node: ElementContent | HastRoot): string {
  if (node.type === 'text') return node.value
  if ('children' in node) return node.children.map((child) => textOf(child as ElementContent)).join('')
  return ''
}

function print(node: ElementContent, indent: string): string {
  if (node.type === 'text') return indent + JSON.stringify(node.value)
  if (node.type !== 'element') return ''
  const attributes = Object.entries(node.properties)
    .filter(([, value]) => value !== undefined && value !== null && value !== false)
    .map(([key, value]) => ' ' + key + '=' + JSON.stringify(value))
    .sort()
    .join('')
  return [
    indent + '<' + node.tagName + attributes + '>',
    ...node.children.map((child) => print(child, indent + '  '))
  ].join('\n')
}

/**
 * Every Markdown fixture of the project, and every sample post, round-trips:
 * the tree serialised back to Markdown (with the whole dialect's
 * to-markdown handlers) parses to the same tree, positions aside.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Root} from 'mdast'
import remarkStringify from 'remark-stringify'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {createParser} from '../src/source/parse.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Markdown files under `dir`, relative to the project. */
function markdownFiles(dir: string): string[] {
  const found: string[] = []
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, {withFileTypes: true})) {
      const full = path.join(current, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.md')) found.push(path.relative(project, full))
    }
  }
  walk(path.join(project, dir))
  return found.sort()
}

// Encoding and frontmatter fixtures are about bytes and YAML, not Markdown
// syntax: several are deliberately not text at all.
const files = [...markdownFiles('test/fixtures'), ...markdownFiles('posts')].filter(
  (file) => !file.startsWith('test/fixtures/load/') && !file.startsWith('test/fixtures/frontmatter/')
)

const processor = createParser().use(remarkStringify)

async function parse(markdown: string): Promise<Root> {
  const file = new VFile({value: markdown})
  return (await processor.run(processor.parse(file), file)) as Root
}

/** The tree without positions (and without data that only positions feed). */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip)
  if (node && typeof node === 'object') {
    const copy: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === 'position') continue
      copy[key] = strip(value)
    }
    return copy
  }
  return node
}

describe('round-trip of every fixture and sample post', () => {
  it('should have files to check', () => {
    expect(files.length).toBeGreaterThan(80)
  })

  it.each(files)('should parse %s back to the same tree from its own Markdown', async (file) => {
    const source = fs.readFileSync(path.join(project, file), 'utf8')
    const tree = await parse(source)
    const markdown = processor.stringify(tree)
    const again = await parse(markdown)
    expect(strip(again)).toEqual(strip(tree))
  })
})

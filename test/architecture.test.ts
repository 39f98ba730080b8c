/**
 * The shape of src/, as docs/architecture.md describes it: every module sits
 * in a room (a folder, or the two entry files at the top), a room imports
 * only from rooms below it (web and email, side by side, never from each
 * other), and no module imports itself through any chain. Type-only imports
 * count: a lower stage that names a higher one's type depends on it.
 */
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import {describe, expect, it} from 'vitest'
import {projectRoot} from './helpers/site.js'

const srcDir = path.join(projectRoot, 'src')

/** Each room and the rooms it may import from (besides itself). */
const allowed: Record<string, string[]> = {
  syntax: [],
  source: ['syntax'],
  render: ['syntax', 'source'],
  web: ['syntax', 'source', 'render'],
  email: ['syntax', 'source', 'render'],
  pipeline: ['syntax', 'source', 'render', 'web', 'email'],
  dev: ['syntax', 'source', 'render', 'web', 'email', 'pipeline'],
  cli: ['syntax', 'source', 'render', 'web', 'email', 'pipeline', 'dev'],
  entry: ['syntax', 'source', 'render', 'web', 'email', 'pipeline', 'dev', 'cli'],
}

function roomOf(relative: string): string {
  const first = relative.split('/')[0]!
  return relative.includes('/') ? first : 'entry'
}

function modules(): string[] {
  return (fs.readdirSync(srcDir, {recursive: true, encoding: 'utf8'}) as string[])
    .map((relative) => relative.split(path.sep).join('/'))
    .filter((relative) => relative.endsWith('.ts') && !relative.endsWith('.d.ts'))
    .sort()
}

/** The src/ modules a module imports (statically, by `import()` or `export … from`), relative to src/. */
function importsOf(relative: string): string[] {
  const text = fs.readFileSync(path.join(srcDir, relative), 'utf8')
  const found = ts.preProcessFile(text, true, true).importedFiles.map((entry) => entry.fileName)
  return found
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(relative), specifier)).replace(/\.js$/, '.ts'))
    .filter((target) => fs.existsSync(path.join(srcDir, target)))
}

const graph = new Map(modules().map((relative) => [relative, importsOf(relative)]))

/** Every cycle of the graph, once each, as a chain of modules (Tarjan's strongly connected components). */
function cycles(): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    index.set(node, next)
    low.set(node, next++)
    stack.push(node)
    onStack.add(node)
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(node, Math.min(low.get(node)!, low.get(target)!))
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!))
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort())
    }
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

describe('architecture', () => {
  it('should put every module of src/ in a known room', () => {
    const unknown = [...graph.keys()].filter((relative) => !(roomOf(relative) in allowed))
    expect(unknown).toEqual([])
  })

  it('should never import a higher room, or web and email each other', () => {
    const wrong: string[] = []
    for (const [relative, targets] of graph) {
      const room = roomOf(relative)
      for (const target of targets) {
        const other = roomOf(target)
        if (other !== room && !allowed[room]?.includes(other)) wrong.push(`${relative} (${room}) imports ${target} (${other})`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('should have no import cycle in src/', () => {
    expect(cycles().map((component) => component.join(' <-> '))).toEqual([])
  })

  it('should find a cycle and a wrong-way import when there is one', () => {
    // The checks above read the real graph; this one proves they can fail.
    const saved = new Map(graph)
    graph.clear()
    graph.set('source/a.ts', ['pipeline/b.ts'])
    graph.set('pipeline/b.ts', ['source/a.ts'])
    expect(cycles()).toEqual([['pipeline/b.ts', 'source/a.ts']])
    graph.clear()
    for (const [key, value] of saved) graph.set(key, value)
  })
})

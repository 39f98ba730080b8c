import {visit as unistVisit, SKIP, EXIT} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {visit} from '../src/syntax/walk.js'

interface Node {
  type: string
  value?: string
  children?: Node[]
}

const tree = (): Node => ({
  type: 'root',
  children: [
    {type: 'paragraph', children: [{type: 'text', value: 'a'}, {type: 'emphasis', children: [{type: 'text', value: 'b'}]}]},
    {type: 'code', value: 'c'},
    {type: 'list', children: [{type: 'listItem', children: [{type: 'text', value: 'd'}]}, {type: 'listItem', children: []}]},
    {type: 'text', value: 'e'}
  ]
})

/** The nodes a visitor saw (type, index, parent type), and the tree it left, for both walks. */
function both(test: string | undefined, visitor: (node: Node, index: number | undefined, parent: Node | undefined) => unknown, reverse?: boolean) {
  const run = (walk: typeof visit) => {
    const seen: string[] = []
    const root = tree()
    const step = (node: Node, index: number | undefined, parent: Node | undefined) => {
      seen.push(`${node.type}${node.value ?? ''}@${index}<${parent?.type}`)
      return visitor(node, index, parent)
    }
    if (test === undefined) (walk as (...parts: unknown[]) => void)(root, step, reverse)
    else (walk as (...parts: unknown[]) => void)(root, test, step, reverse)
    return {seen, root}
  }
  return {ours: run(visit), theirs: run(unistVisit)}
}

describe('visit (syntax/walk)', () => {
  const cases: Array<[string, string | undefined, (node: Node, index: number | undefined, parent: Node | undefined) => unknown, boolean?]> = [
    ['every node', undefined, () => undefined],
    ['every node, reversed', undefined, () => undefined, true],
    ['one type', 'text', () => undefined],
    ['one type, reversed', 'text', () => undefined, true],
    ['SKIP', undefined, (node) => (node.type === 'paragraph' || node.type === 'list' ? SKIP : undefined)],
    ['EXIT', 'text', (node) => (node.value === 'b' ? EXIT : undefined)],
    ['[SKIP, index]', undefined, (node, index) => (node.type === 'paragraph' ? [SKIP, index! + 2] : undefined)],
    ['an index to go on at', 'code', (_node, index) => index! + 2],
    [
      'a visitor that removes its node',
      'text',
      (_node, index, parent) => {
        parent!.children!.splice(index!, 1)
        return index
      }
    ],
    [
      'a visitor that adds children',
      'listItem',
      (node) => {
        if (node.children!.length === 0) node.children!.push({type: 'text', value: 'new'})
      }
    ]
  ]
  for (const [name, test, visitor, reverse] of cases) {
    it(`walks as unist-util-visit does: ${name}`, () => {
      const {ours, theirs} = both(test, visitor, reverse)
      expect(ours.seen).toEqual(theirs.seen)
      expect(ours.root).toEqual(theirs.root)
    })
  }
})

/**
 * `visit` with unist-util-visit's signature and behaviour (preorder or
 * reverse, `CONTINUE`/`SKIP`/`EXIT`, an index to go on at, the parent
 * passed on, children read again after each visitor so it may edit them),
 * for the tests this code base passes: none, or a node type.
 *
 * unist-util-visit (through unist-util-visit-parents) makes a closure and
 * a copy of the ancestor list for every node it passes, and renames each
 * closure with `Object.defineProperty` for its stack traces. A post's tree
 * is walked a dozen times in a build (links, headings, media, safety,
 * highlighting, email), and that bookkeeping cost more than the walks'
 * own work: about a tenth of a cold build's worker time went to it and to
 * the garbage it leaves. This walk allocates nothing per node. Any other
 * test (an object, a function, a list) is left to unist-util-visit itself.
 */
import {visit as unistVisit, CONTINUE, EXIT, SKIP} from 'unist-util-visit'

export {CONTINUE, EXIT, SKIP}

interface Walked {
  type: string
  children?: Walked[]
}
type Step = (node: Walked, index: number | undefined, parent: Walked | undefined) => unknown

/** What going through one node tells its parent's loop: stop everything, go on at an index, or go on. */
const stop: unique symbol = Symbol('exit')
type Outcome = typeof stop | number | undefined

function fastVisit(tree: unknown, testOrVisitor: unknown, visitorOrReverse?: unknown, maybeReverse?: unknown): void {
  let test: unknown
  let visitor: unknown
  let reverse: unknown
  if (typeof visitorOrReverse === 'function' || (visitorOrReverse && typeof visitorOrReverse === 'object')) {
    test = testOrVisitor
    visitor = visitorOrReverse
    reverse = maybeReverse
  } else {
    visitor = testOrVisitor
    reverse = visitorOrReverse
  }
  if (
    !tree || typeof tree !== 'object' || typeof visitor !== 'function' ||
    (test !== undefined && test !== null && typeof test !== 'string')
  ) {
    ;(unistVisit as (...parts: unknown[]) => void)(tree, testOrVisitor, visitorOrReverse, maybeReverse)
    return
  }
  const type = typeof test === 'string' ? test : undefined
  const enter = visitor as Step
  const step = reverse ? -1 : 1

  const walk = (node: Walked, index: number | undefined, parent: Walked | undefined): Outcome => {
    const matches = type === undefined || (node !== null && typeof node === 'object' && node.type === type)
    let action: unknown
    let next: unknown
    if (matches) {
      const result = enter(node, index, parent)
      if (Array.isArray(result)) {
        action = result[0]
        next = result[1]
      } else if (typeof result === 'number') {
        action = CONTINUE
        next = result
      } else action = result
      if (action === EXIT) return stop
    }
    if ('children' in node && node.children && action !== SKIP) {
      let offset = (step === 1 ? -1 : node.children.length) + step
      while (offset > -1 && offset < node.children.length) {
        const outcome = walk(node.children[offset]!, offset, node)
        if (outcome === stop) return stop
        offset = typeof outcome === 'number' ? outcome : offset + step
      }
    }
    return typeof next === 'number' ? next : undefined
  }
  walk(tree as Walked, undefined, undefined)
}

/** unist-util-visit's `visit`, without its per-node allocations (see above). */
export const visit = fastVisit as typeof unistVisit

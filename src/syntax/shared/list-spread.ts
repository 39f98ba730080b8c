/**
 * List looseness next to indented-body containers.
 */
import type {ListItem, Nodes} from 'mdast'

/**
 * Recompute `spread` of list items that directly hold a node of one of
 * `types`: an item is spread when blank lines separate two of its children.
 *
 * from-markdown counts every blank line inside an item except those in
 * nested lists and block quotes, so a tab or description with a blank line
 * in its body (or the empty rest of its opening line) would otherwise make
 * a tight list loose. (The list's own `spread`, blank lines between items,
 * is right already.)
 */
export function fixListItemSpread(tree: Nodes, types: ReadonlySet<string>): void {
  if (!('children' in tree)) return

  for (const child of tree.children) {
    fixListItemSpread(child, types)
  }

  if (tree.type === 'listItem' && tree.children.some((child) => types.has(child.type))) {
    tree.spread = separated(tree)
  }
}

function separated(item: ListItem): boolean {
  return item.children.some((child, index) => {
    const next = item.children[index + 1]
    return Boolean(next && gapBetween(child, next))
  })
}

function gapBetween(left: Nodes, right: Nodes): boolean {
  return Boolean(
    left.position && right.position && right.position.start.line > left.position.end.line + 1
  )
}

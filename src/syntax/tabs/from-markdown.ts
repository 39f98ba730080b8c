/**
 * Turn content tab tokens into `tab` and `tabTitle` mdast nodes, and group
 * consecutive tabs into `tabSet` nodes.
 */
import type {Tab, TabSet, TabTitle} from '../mdast.js'
import type {Nodes, Parents, RootContent} from 'mdast'
import type {
  CompileContext,
  Extension as FromMarkdownExtension,
  Token
} from 'mdast-util-from-markdown'
import type {Point} from 'unist'
import {fixListItemSpread} from '../shared/list-spread.js'

/** Nodes whose blank lines must not make a list item loose. */
const tabTypes: ReadonlySet<string> = new Set(['tabSet'])

/** Where each tab's opening line ends (its end when it has no body). */
const openingEnds = new WeakMap<Tab, Point>()

/**
 * Create the mdast-util-from-markdown extension for content tabs.
 *
 * Every tab's first child is a `tabTitle` holding the title parsed as
 * inline Markdown (empty for `""`); `title` keeps the source between the
 * quotes. A transform then wraps each run of adjacent `tab` siblings in a
 * `tabSet`, starting a new set at a tab written `===!`, as pymdownx.tabbed
 * does: blank lines between tabs do not matter, anything else between them
 * does.
 */
export function tabsFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      tab: enterTab,
      tabTitleString: enterTitleString
    },
    exit: {
      tab: exitTab,
      tabOpening: exitOpening,
      tabMarker: exitMarker,
      tabTitle: exitTitle,
      tabTitleString: exitTitleString
    },
    transforms: [groupTabs]
  }
}

function enterTab(this: CompileContext, token: Token): undefined {
  const node: Tab = {type: 'tab', title: '', selected: false, newSet: false, children: []}
  this.enter(node, token)
}

/** The tab being built: the top of the stack outside titles. */
function current(context: CompileContext): Tab {
  const node = context.stack[context.stack.length - 1]
  if (!node || node.type !== 'tab') {
    throw new Error('Expected an open tab, not `' + node?.type + '`')
  }

  return node
}

function exitMarker(this: CompileContext, token: Token): undefined {
  const marker = this.sliceSerialize(token)
  const node = current(this)
  node.selected = marker.includes('+')
  node.newSet = marker.includes('!')
}

function enterTitleString(this: CompileContext, token: Token): undefined {
  current(this).title = this.sliceSerialize(token)
  const title: TabTitle = {type: 'tabTitle', children: []}
  this.enter(title, token)
}

function exitTitleString(this: CompileContext, token: Token): undefined {
  this.exit(token)
}

/** `""` has no title string token: give the tab its empty title anyway. */
function exitTitle(this: CompileContext, token: Token): undefined {
  const node = current(this)
  if (node.children.length > 0) return
  const between: Point = {
    line: token.start.line,
    column: token.start.column + 1,
    offset: token.start.offset + 1
  }
  node.children.push({
    type: 'tabTitle',
    children: [],
    position: {start: between, end: {...between}}
  })
}

function exitOpening(this: CompileContext, token: Token): undefined {
  openingEnds.set(current(this), {...token.end})
}

/**
 * Close the node. micromark closes a container where the next line starts
 * (after the prefixes of outer containers), so the end is set to the end of
 * the last child instead: blank lines and prefixes after it are not ours.
 */
function exitTab(this: CompileContext, token: Token): undefined {
  const node = current(this)
  this.exit(token)
  if (!node.position) return
  const last = node.children[node.children.length - 1]
  const end = last?.position && last.type !== 'tabTitle' ? last.position.end : openingEnds.get(node)
  if (end) node.position.end = {...end}
}

/**
 * Wrap runs of adjacent tabs in `tabSet` nodes, everywhere in the tree.
 */
function groupTabs(tree: Nodes): undefined {
  groupIn(tree)
  fixListItemSpread(tree, tabTypes)
}

function groupIn(node: Nodes): void {
  if (!('children' in node)) return
  const parent: Parents = node
  let hasTab = false

  for (const child of parent.children) {
    if (child.type === 'tab') hasTab = true
    groupIn(child)
  }

  if (!hasTab) return
  const children: RootContent[] = []
  let set: TabSet | undefined

  for (const child of parent.children) {
    if (child.type !== 'tab') {
      set = undefined
      children.push(child)
      continue
    }

    if (!set || child.newSet) {
      set = {type: 'tabSet', children: []}
      if (child.position) {
        set.position = {start: {...child.position.start}, end: {...child.position.end}}
      }

      children.push(set)
    } else if (set.position && child.position) {
      set.position.end = {...child.position.end}
    }

    set.children.push(child)
  }

  // Every parent that can hold a tab holds flow content; `tabSet` is flow.
  ;(parent as {children: RootContent[]}).children = children
}

/**
 * Serialise `tabSet`, `tab` and `tabTitle` nodes back to pymdownx.tabbed
 * Markdown, so a parsed tree round-trips.
 */
import type {Tab, TabSet, TabTitle} from '../mdast.js'
import type {Parents} from 'mdast'
import type {Info, Options as ToMarkdownExtension, State} from 'mdast-util-to-markdown'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /**
     * Whole tab.
     *
     * ```markdown
     * > | === "Title"
     *     ^^^^^^^^^^^
     * > |     Body.
     *     ^^^^^^^^^
     * ```
     */
    tab: 'tab'

    /**
     * Tab title.
     *
     * ```markdown
     * > | === "Title"
     *          ^^^^^
     * ```
     */
    tabTitle: 'tabTitle'
  }
}

/**
 * Create the mdast-util-to-markdown extension for content tabs.
 *
 * Tabs of a set are separated by a blank line; the first tab of a set that
 * directly follows another set is written `===!` (whatever its `newSet`),
 * or the two would parse back as one set. The title is written from
 * `title` (the source as written) so the round trip keeps it exactly; the
 * `tabTitle` child is used only when `title` is empty. Text at a line start
 * that would open a tab (`=== "`) is escaped by to-markdown's own rule for
 * `=` at a line start (setext underlines).
 */
export function tabsToMarkdown(): ToMarkdownExtension {
  return {
    handlers: {tabSet: handleTabSet, tab: handleTab, tabTitle: handleTabTitle}
  }
}

function handleTabSet(
  node: TabSet,
  parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const tracker = state.createTracker(info)
  const siblings = parent ? parent.children : []
  const previous = siblings[siblings.indexOf(node) - 1]
  const afterSet = previous?.type === 'tabSet'
  const values: string[] = []

  node.children.forEach((child, index) => {
    if (index > 0) values.push(tracker.move('\n\n'))
    const value = tab(child, index === 0 && (child.newSet || afterSet), state, {
      ...info,
      ...tracker.current()
    })
    values.push(tracker.move(value))
  })

  return values.join('')
}

/** A tab outside a set (only in hand-made trees): written as its own set. */
function handleTab(node: Tab, _parent: Parents | undefined, state: State, info: Info): string {
  return tab(node, node.newSet, state, info)
}

function handleTabTitle(
  node: TabTitle,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const exit = state.enter('tabTitle')
  const value = state.containerPhrasing(node, info)
  exit()
  return value
}

/** `=== "title"` and a body indented by 4 spaces. */
function tab(node: Tab, newSet: boolean, state: State, info: Info): string {
  const exit = state.enter('tab')
  const tracker = state.createTracker(info)
  const marker = '===' + (node.selected ? '+' : '') + (newSet ? '!' : '')
  let value = tracker.move(marker + ' "')
  const titleNode = node.children[0]?.type === 'tabTitle' ? node.children[0] : undefined
  value += tracker.move(
    node.title === '' && titleNode
      ? oneLine(handleTabTitle(titleNode, node, state, {...tracker.current(), before: '"', after: '"'}))
      : oneLine(node.title)
  )
  value += tracker.move('"')
  const body: Tab = {...node, children: node.children.filter((child) => child.type !== 'tabTitle')}

  if (body.children.length > 0) {
    tracker.shift(4)
    value += tracker.move(
      '\n' + state.indentLines(state.containerFlow(body, tracker.current()), indent)
    )
  }

  exit()
  return value
}

/** Titles live on one line. */
function oneLine(value: string): string {
  return value.replace(/[\t ]*\r?\n[\t ]*/g, ' ')
}

function indent(line: string, _index: number, blank: boolean): string {
  return blank ? '' : '    ' + line
}

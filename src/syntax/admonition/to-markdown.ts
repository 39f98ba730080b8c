/**
 * Serialise `admonition` nodes back to Markdown in the syntax they were
 * written in (`syntax`), so a parsed tree round-trips.
 */
import type {Admonition, AdmonitionTitle} from '../mdast.js'
import type {Nodes, Parents} from 'mdast'
import type {Info, Options as ToMarkdownExtension, State} from 'mdast-util-to-markdown'

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    /**
     * Whole admonition.
     *
     * ```markdown
     * > | !!! note "Title"
     *     ^^^^^^^^^^^^^^^^
     * > |     Body.
     *     ^^^^^^^^^
     * ```
     */
    admonition: 'admonition'

    /**
     * Admonition title.
     *
     * ```markdown
     * > | !!! note "Title"
     *               ^^^^^
     * ```
     */
    admonitionTitle: 'admonitionTitle'
  }
}

/** The five GitHub alert types, written upper-case as GitHub documents them. */
const githubAlertKinds = new Set(['note', 'tip', 'important', 'warning', 'caution'])

/**
 * Create the mdast-util-to-markdown extension for admonitions.
 *
 * The node's `syntax` picks the form. A node that its syntax cannot express
 * is written as `!!!`/`???`: a collapsible directive, an alert with an empty
 * title or with classes. The title is written from `title` (the source as written), not
 * from the `admonitionTitle` child, so the round trip keeps it exactly.
 * Line starts in text that would open an admonition (`!!!`, `???`, `:::`)
 * are escaped.
 */
export function admonitionToMarkdown(): ToMarkdownExtension {
  return {
    handlers: {admonition: handleAdmonition, admonitionTitle: handleAdmonitionTitle},
    unsafe: [
      {character: '!', atBreak: true, after: '!!'},
      {character: '?', atBreak: true, after: '\\?\\?'},
      {character: ':', atBreak: true, after: '::'}
    ]
  }
}

function handleAdmonition(
  node: Admonition,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const exit = state.enter('admonition')
  let value: string

  if (node.syntax === 'directive' && node.collapsible === null) {
    value = directive(node, state, info)
  } else if (node.syntax === 'alert' && node.title !== '' && node.classes.length === 0) {
    value = alert(node, state, info)
  } else {
    value = mkdocs(node, state, info)
  }

  exit()
  return value
}

function handleAdmonitionTitle(
  node: AdmonitionTitle,
  _parent: Parents | undefined,
  state: State,
  info: Info
): string {
  const exit = state.enter('admonitionTitle')
  const value = state.containerPhrasing(node, info)
  exit()
  return value
}

/** `!!! kind classes "title"` and a body indented by 4 spaces. */
function mkdocs(node: Admonition, state: State, info: Info): string {
  const tracker = state.createTracker(info)
  const marker =
    node.collapsible === 'open' ? '???+' : node.collapsible === 'closed' ? '???' : '!!!'
  const words = [word(node.kind), ...node.classes.map(word)].filter(Boolean)
  // Only details may go without a kind, and then only with a title.
  if (words.length === 0 && (marker === '!!!' || node.title === null)) {
    words.push('note')
  }

  let value = tracker.move(marker + (words.length > 0 ? ' ' + words.join(' ') : ''))
  if (node.title !== null) value += tracker.move(' "' + oneLine(node.title) + '"')
  const body = bodyOf(node)

  if (body.children.length > 0) {
    tracker.shift(4)
    value += tracker.move(
      '\n' + state.indentLines(state.containerFlow(body, tracker.current()), indent)
    )
  }

  return value
}

/** `:::kind[title]{.class}`, the body, then a closing fence. */
function directive(node: Admonition, state: State, info: Info): string {
  const tracker = state.createTracker(info)
  // An outer fence is longer than every directive fence inside it.
  const fence = ':'.repeat(3 + directiveDepth(node))
  let value = tracker.move(fence + (word(node.kind) || 'note'))
  if (node.title !== null) value += tracker.move('[' + oneLine(node.title) + ']')
  const classes = node.classes.map(word).filter(Boolean)
  if (classes.length > 0) {
    value += tracker.move('{' + classes.map((name) => '.' + name).join(' ') + '}')
  }

  const body = bodyOf(node)
  if (body.children.length > 0) {
    value += tracker.move('\n')
    value += tracker.move(state.containerFlow(body, tracker.current()))
  }

  value += tracker.move('\n' + fence)
  return value
}

/** `> [!KIND]` (Obsidian: `-`/`+` and a title), then the body, quoted. */
function alert(node: Admonition, state: State, info: Info): string {
  const tracker = state.createTracker(info)
  const kind = word(node.kind) || 'note'
  const plain = node.title === null && node.collapsible === null
  let head = '[!' + (plain && githubAlertKinds.has(kind) ? kind.toUpperCase() : kind) + ']'
  if (node.collapsible) head += node.collapsible === 'open' ? '+' : '-'
  if (node.title) head += ' ' + oneLine(node.title)
  const body = bodyOf(node)
  let value = head

  if (body.children.length > 0) {
    tracker.move('> ' + head)
    tracker.shift(2)
    // A paragraph continues the marker's line; anything else might not
    // interrupt it (indented code cannot), so it gets a blank line first.
    value += body.children[0]?.type === 'paragraph' ? '\n' : '\n\n'
    value += state.containerFlow(body, tracker.current())
  }

  return state.indentLines(value, quote)
}

/** The node without its title child: what the body serialises from. */
function bodyOf(node: Admonition): Admonition {
  return {
    ...node,
    children: node.children.filter((child) => child.type !== 'admonitionTitle')
  }
}

/** How many levels of directive admonitions `parent` holds. */
function directiveDepth(parent: Parents): number {
  let depth = 0

  for (const child of parent.children as Nodes[]) {
    if (!('children' in child)) continue
    const inner =
      directiveDepth(child) +
      (child.type === 'admonition' && child.syntax === 'directive' ? 1 : 0)
    if (inner > depth) depth = inner
  }

  return depth
}

/** A kind or class as the syntax allows it (Python's `[\w-]+`). */
function word(value: string): string {
  return value.replace(/[^\p{L}\p{N}\p{M}_-]+/gu, '-')
}

/** Titles live on one line. */
function oneLine(value: string): string {
  return value.replace(/[\t ]*\r?\n[\t ]*/g, ' ')
}

function indent(line: string, _index: number, blank: boolean): string {
  return blank ? '' : '    ' + line
}

function quote(line: string, _index: number, blank: boolean): string {
  return '>' + (blank ? '' : ' ') + line
}

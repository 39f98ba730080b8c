/**
 * Turn admonition tokens (MkDocs `!!!`/`???` and `:::` directives) into
 * `admonition` and `admonitionTitle` mdast nodes.
 */
import type {Admonition, AdmonitionTitle} from '../mdast.js'
import type {ListItem, Root} from 'mdast'
import type {
  CompileContext,
  Extension as FromMarkdownExtension,
  Token
} from 'mdast-util-from-markdown'
import type {Point} from 'unist'
import {visit} from '../walk.js'

/** Where each admonition's opening line ends (its end when it has no body). */
const openingEnds = new WeakMap<Admonition, Point>()

/**
 * Create the mdast-util-from-markdown extension for admonitions.
 *
 * Titles become an `admonitionTitle` first child holding the inline content;
 * `title` keeps the source between the quotes (or brackets). A list item
 * whose direct child is an admonition gets its `spread` recomputed from
 * blank lines between its children, as for block quotes: blank lines inside
 * the admonition do not make the list loose.
 */
export function admonitionFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      admonition: enterMkdocs,
      admonitionTitle: enterTitle,
      admonitionTitleString: enterTitleString,
      admonitionDirective: enterDirective,
      admonitionDirectiveLabel: enterTitle,
      admonitionDirectiveLabelString: enterTitleString
    },
    exit: {
      admonition: exitAdmonition,
      admonitionOpening: exitOpening,
      admonitionMarker: exitMarker,
      admonitionKind: exitKind,
      admonitionClass: exitClass,
      admonitionTitleString: exitTitleString,
      admonitionDirective: exitAdmonition,
      admonitionDirectiveFence: exitOpening,
      admonitionDirectiveKind: exitKind,
      admonitionDirectiveClass: exitClass,
      admonitionDirectiveLabelString: exitTitleString
    },
    transforms: [fixListItemSpread]
  }
}

function enterMkdocs(this: CompileContext, token: Token): undefined {
  this.enter(createAdmonition('mkdocs'), token)
}

function enterDirective(this: CompileContext, token: Token): undefined {
  this.enter(createAdmonition('directive'), token)
}

function createAdmonition(syntax: Admonition['syntax']): Admonition {
  return {
    type: 'admonition',
    kind: '',
    classes: [],
    title: null,
    collapsible: null,
    syntax,
    children: []
  }
}

/** The admonition being built: the top of the stack outside titles. */
function current(context: CompileContext): Admonition {
  const node = context.stack[context.stack.length - 1]
  if (!node || node.type !== 'admonition') {
    throw new Error('Expected an open admonition, not `' + node?.type + '`')
  }

  return node
}

function exitOpening(this: CompileContext, token: Token): undefined {
  const {line, column, offset} = token.end
  openingEnds.set(current(this), {line, column, offset})
}

function exitMarker(this: CompileContext, token: Token): undefined {
  const marker = this.sliceSerialize(token)
  current(this).collapsible =
    marker === '???+' ? 'open' : marker === '???' ? 'closed' : null
}

function exitKind(this: CompileContext, token: Token): undefined {
  current(this).kind = this.sliceSerialize(token).toLowerCase()
}

function exitClass(this: CompileContext, token: Token): undefined {
  current(this).classes.push(this.sliceSerialize(token).toLowerCase())
}

/** The quotes (or brackets) are there: the title is at least `''`. */
function enterTitle(this: CompileContext): undefined {
  current(this).title = ''
}

function enterTitleString(this: CompileContext, token: Token): undefined {
  current(this).title = this.sliceSerialize(token)
  const title: AdmonitionTitle = {type: 'admonitionTitle', children: []}
  this.enter(title, token)
}

function exitTitleString(this: CompileContext, token: Token): undefined {
  this.exit(token)
}

/**
 * Close the node. micromark closes a container where the next line starts
 * (after the prefixes of outer containers), so the end is set to the end of
 * the last child instead: blank lines and prefixes after it are not ours.
 */
function exitAdmonition(this: CompileContext, token: Token): undefined {
  const node = current(this)
  this.exit(token)
  if (node.syntax !== 'mkdocs' || !node.position) return
  const opening = openingEnds.get(node)
  const last = node.children[node.children.length - 1]
  const end = last?.position && last.type !== 'admonitionTitle' ? last.position.end : opening
  if (end) node.position.end = {line: end.line, column: end.column, offset: end.offset}
}

/**
 * Recompute `spread` of list items that directly hold an admonition: a list
 * item is spread when blank lines separate two of its children.
 *
 * from-markdown counts every blank line inside the item except those in
 * nested lists and block quotes, so without this an admonition with a blank
 * line in its body (or the empty rest of its opening line) would make a
 * tight list loose.
 */
function fixListItemSpread(tree: Root): undefined {
  visit(tree, 'listItem', (item: ListItem) => {
    if (!item.children.some((child) => child.type === 'admonition')) return
    item.spread = item.children.some((child, index) => {
      const next = item.children[index + 1]
      return Boolean(
        next && child.position && next.position && next.position.start.line > child.position.end.line + 1
      )
    })
  })
}

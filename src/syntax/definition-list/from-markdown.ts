/**
 * Turn definition list tokens into `definitionList`, `definitionTerm` and
 * `definitionDescription` mdast nodes.
 */
import type {DefinitionDescription, DefinitionList, DefinitionTerm} from '../mdast.js'
import type {Nodes} from 'mdast'
import type {
  CompileContext,
  Extension as FromMarkdownExtension,
  Token
} from 'mdast-util-from-markdown'
import type {Point} from 'unist'
import {fixListItemSpread} from '../shared/list-spread.js'

/** Nodes whose blank lines must not make a list item loose. */
const listTypes: ReadonlySet<string> = new Set(['definitionList'])

/** Where each description's `: ` ends (its end when it has no content). */
const prefixEnds = new WeakMap<DefinitionDescription, Point>()

/** How each description was reached (see `Token._definitionBefore`). */
const reached = new WeakMap<DefinitionDescription, Token['_definitionBefore']>()

/**
 * Create the mdast-util-from-markdown extension for definition lists.
 *
 * `spread` follows Python-Markdown, where it decides whether paragraphs in
 * the `<dd>` get `<p>`: a description is spread when a blank line separates
 * it from its terms, when blank lines separate two of its children, or when
 * it follows another description (no terms of its own) that holds more
 * than a single paragraph's text (`len(dl[-1])` in Python).
 */
export function definitionListFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      definitionList: enterList,
      definitionTerm: enterTerm,
      definitionDescription: enterDescription
    },
    exit: {
      definitionList: exitList,
      definitionTerm: exitTerm,
      definitionDescription: exitDescription,
      definitionDescriptionPrefix: exitPrefix
    },
    transforms: [(tree) => fixListItemSpread(tree, listTypes)]
  }
}

function enterList(this: CompileContext, token: Token): undefined {
  const node: DefinitionList = {type: 'definitionList', children: []}
  this.enter(node, token)
}

function exitList(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as DefinitionList
  this.exit(token)
  const first = node.children[0]
  const last = node.children[node.children.length - 1]
  if (node.position && first?.position && last?.position) {
    node.position.start = {...first.position.start}
    node.position.end = {...last.position.end}
  }
}

function enterTerm(this: CompileContext, token: Token): undefined {
  const node: DefinitionTerm = {type: 'definitionTerm', children: []}
  this.enter(node, token)
}

/**
 * Close a term. A term line after the first keeps its indentation in the
 * token (a paragraph strips it at the line ending, which terms no longer
 * have), so it is trimmed here, as Python strips terms.
 */
function exitTerm(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as DefinitionTerm
  this.exit(token)
  const head = node.children[0]

  if (head?.type === 'text') {
    const trimmed = head.value.replace(/^[\t ]+/, '')
    const size = head.value.length - trimmed.length

    if (size > 0) {
      head.value = trimmed
      if (head.position) {
        head.position.start = {
          line: head.position.start.line,
          column: head.position.start.column + size,
          offset: (head.position.start.offset ?? 0) + size
        }
      }

      if (trimmed === '') node.children.shift()
    }
  }

  const first = node.children[0]
  const last = node.children[node.children.length - 1]
  if (node.position && first?.position && last?.position) {
    node.position.start = {...first.position.start}
    node.position.end = {...last.position.end}
  }
}

function enterDescription(this: CompileContext, token: Token): undefined {
  const node: DefinitionDescription = {type: 'definitionDescription', spread: false, children: []}
  reached.set(node, token._definitionBefore)
  this.enter(node, token)
}

function exitPrefix(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1]
  if (node?.type === 'definitionDescription') prefixEnds.set(node, {...token.end})
}

/**
 * Close a description: settle `spread`, and end it at its last child
 * (micromark closes a container where the next line starts).
 */
function exitDescription(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as DefinitionDescription
  this.exit(token)
  const list = this.stack[this.stack.length - 1]
  const siblings: Nodes[] = list && 'children' in list ? list.children : []
  const previous = siblings[siblings.length - 2]
  const before = reached.get(node)

  node.spread =
    before === 'loose' ||
    (before === 'description' &&
      previous?.type === 'definitionDescription' &&
      holdsMoreThanText(previous)) ||
    node.children.some((child, index) => {
      const next = node.children[index + 1]
      return Boolean(
        next && child.position && next.position && next.position.start.line > child.position.end.line + 1
      )
    })

  const last = node.children[node.children.length - 1]
  const end = last?.position ? last.position.end : prefixEnds.get(node)
  if (node.position && end) node.position.end = {...end}
}

/** Whether Python would see element children in this `<dd>`. */
function holdsMoreThanText(node: DefinitionDescription): boolean {
  return (
    node.spread ||
    node.children.length > 1 ||
    node.children.some((child) => child.type !== 'paragraph')
  )
}

/**
 * Turn abbreviation definition tokens into `abbreviationDefinition` nodes.
 */
import type {AbbreviationDefinition} from '../mdast.js'
import type {
  CompileContext,
  Extension as FromMarkdownExtension,
  Token
} from 'mdast-util-from-markdown'

/**
 * Create the mdast-util-from-markdown extension for abbreviation
 * definitions. Label and expansion are trimmed, as Python-Markdown does.
 * The definitions stay in the tree (renderers skip them); the transform in
 * `transform.ts` uses them.
 */
export function abbreviationFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {abbreviationDefinition: enterDefinition},
    exit: {
      abbreviationDefinition: exitDefinition,
      abbreviationDefinitionLabel: exitLabel,
      abbreviationDefinitionValue: exitValue
    }
  }
}

function enterDefinition(this: CompileContext, token: Token): undefined {
  const node: AbbreviationDefinition = {type: 'abbreviationDefinition', label: '', value: ''}
  this.enter(node, token)
}

/** The definition being built. */
function current(context: CompileContext): AbbreviationDefinition {
  const node = context.stack[context.stack.length - 1]
  if (!node || node.type !== 'abbreviationDefinition') {
    throw new Error('Expected an open abbreviation definition, not `' + node?.type + '`')
  }

  return node
}

function exitLabel(this: CompileContext, token: Token): undefined {
  current(this).label = this.sliceSerialize(token).trim()
}

function exitValue(this: CompileContext, token: Token): undefined {
  current(this).value = this.sliceSerialize(token).trim()
}

function exitDefinition(this: CompileContext, token: Token): undefined {
  this.exit(token)
}

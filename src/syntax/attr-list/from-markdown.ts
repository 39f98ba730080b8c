/**
 * Attr list tokens to `data.attributes` (an `AttributeList`) on the node
 * they belong to, mirrored into `data.hProperties` (`id`, `className`, other
 * keys as written) so plain mdast-util-to-hast renders them.
 *
 * An inline list belongs to the node before it (a link, image or their
 * reference forms: the tokenizer guarantees one is there); a heading list
 * to the heading. Items apply in source order, as in Python-Markdown:
 * `id=x` sets the id like `#x`, `class="a b"` replaces the classes so far,
 * a bare `key` means `key="key"`.
 */
import type {Nodes, Parent} from 'mdast'
import type {CompileContext, Extension} from 'mdast-util-from-markdown'
// `data.hProperties` is declared by mdast-util-to-hast.
import type {} from 'mdast-util-to-hast'
import type {Token} from 'micromark-util-types'
import type {AttributeList} from '../mdast.js'

/** One item as written: `#x`, `.x`, `key=value`. */
type Item = ['id' | 'class' | 'pair', string, string]

declare module 'mdast-util-from-markdown' {
  interface CompileData {
    /** Items of the attr list being read. */
    attributeListItems?: Item[] | undefined
  }
}

/** Create the from-markdown extension for attr lists. */
export function attributeListFromMarkdown(): Extension {
  return {
    enter: {
      attributeList: enterList,
      atxHeadingAttributeList: enterList
    },
    exit: {
      attributeList: exitInlineList,
      atxHeadingAttributeList: exitHeadingList,
      attributeListId: exitId,
      attributeListClass: exitClass,
      attributeListName: exitName,
      attributeListInitializer: exitInitializer,
      attributeListValue: exitValue
    }
  }
}

function enterList(this: CompileContext): undefined {
  this.data.attributeListItems = []
}

function exitId(this: CompileContext, token: Token): undefined {
  this.data.attributeListItems?.push(['id', 'id', this.sliceSerialize(token).slice(1)])
}

function exitClass(this: CompileContext, token: Token): undefined {
  this.data.attributeListItems?.push([
    'class',
    'class',
    this.sliceSerialize(token).slice(1)
  ])
}

function exitName(this: CompileContext, token: Token): undefined {
  const name = this.sliceSerialize(token)
  // A bare key means `key="key"`; a value, if any, replaces it below.
  this.data.attributeListItems?.push(['pair', name, name])
}

function exitInitializer(this: CompileContext): undefined {
  const last = this.data.attributeListItems?.at(-1)
  // `key=""` has no value token.
  if (last) last[2] = ''
}

function exitValue(this: CompileContext, token: Token): undefined {
  const last = this.data.attributeListItems?.at(-1)
  if (last) last[2] = this.sliceSerialize(token)
}

function exitInlineList(this: CompileContext): undefined {
  const parent = this.stack[this.stack.length - 1] as Parent
  const target = parent.children[parent.children.length - 1]
  if (target) attach(target, this.data.attributeListItems ?? [])
  this.data.attributeListItems = undefined
}

function exitHeadingList(this: CompileContext): undefined {
  const heading = this.stack[this.stack.length - 1] as Nodes
  attach(heading, this.data.attributeListItems ?? [])
  this.data.attributeListItems = undefined
}

/** Apply the items to a node's `data.attributes` and `data.hProperties`. */
function attach(node: Nodes, items: Item[]): undefined {
  const attributes: AttributeList = {...node.data?.attributes}

  for (const [kind, key, value] of items) {
    if (kind === 'id' || (kind === 'pair' && key === 'id')) {
      attributes.id = value
    } else if (kind === 'class') {
      attributes.classes = [...(attributes.classes ?? []), value]
    } else if (key === 'class') {
      attributes.classes = value.split(/[ \t]+/).filter(Boolean)
    } else {
      attributes.pairs = [...(attributes.pairs ?? []), [key, value]]
    }
  }

  const data = (node.data ??= {})
  data.attributes = attributes
  data.hProperties = {...data.hProperties, ...toProperties(attributes)}
}

/**
 * The hast properties of an attr list: `id`, `className`, and every other
 * key as written (hast-util-to-html and hastscript accept attribute names).
 */
export function toProperties(
  attributes: AttributeList
): Record<string, string | string[]> {
  const properties: Record<string, string | string[]> = {}
  if (attributes.id !== undefined) properties.id = attributes.id
  if (attributes.classes?.length) properties.className = attributes.classes
  for (const [key, value] of attributes.pairs ?? []) properties[key] = value
  return properties
}

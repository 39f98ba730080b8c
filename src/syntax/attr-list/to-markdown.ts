/**
 * Attr lists back to Markdown: links, images (and their reference forms)
 * and headings with `data.attributes` get `{ #id .class key=value }` after
 * them. The default handlers do the rest.
 *
 * A `{` in text right after a link or image, or ending a heading, is
 * escaped so it does not become a list. Values are quoted when needed;
 * a value holding both quote kinds or a `}` cannot be written (nor can
 * Python-Markdown read it) and is written double-quoted anyway.
 */
import type {Heading, Nodes} from 'mdast'
import {
  defaultHandlers,
  type Handle,
  type Options
} from 'mdast-util-to-markdown'
import type {AttributeList} from '../mdast.js'
import {noEscapeConstructs} from '../shared/no-escape-constructs.js'

/** Serialize an attr list (`undefined` when it holds nothing). */
export function serializeAttributeList(
  attributes: AttributeList | undefined
): string | undefined {
  if (!attributes) return undefined
  const items: string[] = []
  if (attributes.id) items.push('#' + attributes.id)
  for (const name of attributes.classes ?? []) items.push('.' + name)
  for (const [key, value] of attributes.pairs ?? []) {
    items.push(key + '=' + quote(value))
  }

  return items.length > 0 ? '{ ' + items.join(' ') + ' }' : undefined
}

/** A value as written: bare when it can be, else quoted. */
function quote(value: string): string {
  if (/^[^\s"'=}]+$/.test(value)) return value
  return value.includes('"') && !value.includes("'")
    ? "'" + value + "'"
    : '"' + value + '"'
}

type InlineType = 'link' | 'linkReference' | 'image' | 'imageReference'

/** Wrap a default inline handler so it appends the node's attr list. */
function withAttributes(type: InlineType): Handle {
  const base = defaultHandlers[type] as Handle & {peek?: Handle}
  const handle: Handle = function (node, parent, state, info) {
    const value = base(node, parent, state, info)
    const list = serializeAttributeList((node as Nodes).data?.attributes)
    return list ? value + list : value
  }

  return base.peek ? Object.assign(handle, {peek: base.peek}) : handle
}

/**
 * Headings with an attr list are always written as ATX (a setext heading
 * cannot carry one), the list after the text.
 */
const handleHeading: Handle = function (node, parent, state, info) {
  const list = serializeAttributeList((node as Heading).data?.attributes)
  if (!list) return defaultHandlers.heading(node as Heading, parent, state, info)
  const setext = state.options.setext
  state.options.setext = false
  try {
    return defaultHandlers.heading(node as Heading, parent, state, info) + ' ' + list
  } finally {
    state.options.setext = setext
  }
}

/** Create the to-markdown extension for attr lists. */
export function attributeListToMarkdown(): Options {
  return {
    handlers: {
      link: withAttributes('link'),
      linkReference: withAttributes('linkReference'),
      image: withAttributes('image'),
      imageReference: withAttributes('imageReference'),
      heading: handleHeading
    },
    unsafe: [
      {
        character: '{',
        beforeNode: ['link', 'linkReference', 'image', 'imageReference'],
        inConstruct: 'phrasing',
        notInConstruct: noEscapeConstructs
      },
      {
        character: '{',
        before: '[ \\t]',
        after: '[^}\\r\\n]*\\}[ \\t]*(?:#+[ \\t]*)?(?:[\\r\\n]|$)',
        inConstruct: 'headingAtx'
      }
    ]
  }
}

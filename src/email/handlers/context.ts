/**
 * What every email handler shares: the options one render is given, the
 * warnings it raises, and the small hast builders the handlers use.
 */
import type {Element, ElementContent, Properties} from 'hast'
import type {Nodes, Parents} from 'mdast'
import type {State} from 'mdast-util-to-hast'
import type {Highlight} from '../../render/highlight.js'
import type {Strings} from '../../source/strings/index.js'

/** A warning raised while rendering one node. */
export interface EmailRenderMessage {
  /** What was found and what was expected. */
  reason: string
  /** The mdast node, for its position. */
  node: Nodes
  /** Kebab-case rule id. */
  ruleId: string
}

/** Options for `createEmailHandlers`. */
export interface EmailHandlerOptions {
  /** A prepared highlighter; without one, code is plain monospace text. */
  highlight?: Highlight | undefined
  /** Receives warnings (dropped raw HTML). */
  report?: ((message: EmailRenderMessage) => void) | undefined
  /** Absolute URL of the post's web page: a diagram links there. */
  pageUrl?: string | undefined
  /** The site's strings, for the few words handlers add (without: English). */
  strings?: Strings | undefined
}

/** Element shorthand. */
export function h(tagName: string, properties: Properties, children: ElementContent[] = []): Element {
  return {type: 'element', tagName, properties, children}
}

export function text(value: string): ElementContent {
  return {type: 'text', value}
}

export function addClass(element: Element, name: string): void {
  const current = element.properties['className']
  const list = Array.isArray(current) ? current.map(String) : typeof current === 'string' ? [current] : []
  if (!list.includes(name)) element.properties['className'] = [...list, name]
}

/** Render some of a parent's children (a callout's body without its title). */
export function some(state: State, parent: Parents, children: readonly Nodes[]): ElementContent[] {
  return children.flatMap((child) => {
    const result = state.one(child, parent)
    if (result === undefined) return []
    return Array.isArray(result) ? result : [result]
  })
}

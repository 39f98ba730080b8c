/**
 * Web rendering of headings with a permalink anchor, as MkDocs' toc
 * extension writes it (`permalink: true`):
 *
 * `<h2 id="x">Title<a class="headerlink" href="#x" aria-label="Permalink to this heading">¶</a></h2>`
 *
 * The id comes from the transform stage (`data.hProperties.id`, unique per
 * post); a heading without one gets no anchor.
 */
import type {Element} from 'hast'
import type {Heading} from 'mdast'
import {defaultHandlers, type Handlers, type State} from 'mdast-util-to-hast'
import {en} from '../../source/strings/index.js'

/** Options for `createHeadingHandlers`. */
export interface HeadingHandlerOptions {
  /** Add the permalink anchor (default `true`; excerpts and feeds may not want it). */
  permalink?: boolean
  /** The anchor's accessible name, in the site's language (default English). */
  label?: string
}

/** The web handler for `heading` nodes. */
export function createHeadingHandlers(options: HeadingHandlerOptions = {}): Handlers {
  const permalink = options.permalink ?? true
  const label = options.label ?? en['post.headingPermalink']
  return {
    heading(state: State, node: Heading) {
      const result = defaultHandlers.heading(state, node)
      const id = result.properties['id']
      if (!permalink || typeof id !== 'string' || id === '') return result
      const anchor: Element = {
        type: 'element',
        tagName: 'a',
        properties: {
          className: ['headerlink'],
          href: '#' + id,
          ariaLabel: label
        },
        children: [{type: 'text', value: '¶'}]
      }
      result.children.push(anchor)
      return result
    }
  }
}

/** The heading handler with permalinks on. */
export const headingHandlers: Handlers = createHeadingHandlers()

/**
 * The mdast-to-hast handlers of the web target, one module per construct.
 */
import type {Handlers} from 'mdast-util-to-hast'

/** Every web handler, keyed by mdast node type. */
export const webHandlers: Handlers = {
  // Each construct spreads its handlers here, one line each.
  // Frontmatter is read separately; it never reaches the page body.
  yaml: () => undefined
}

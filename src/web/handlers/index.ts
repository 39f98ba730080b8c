/**
 * The mdast-to-hast handlers of the web target, one module per construct.
 */
import type {Handlers} from 'mdast-util-to-hast'
import {admonitionHandlers} from './admonition.js'
import {tabsHandlers} from './tabs.js'
import {definitionListHandlers} from './definition-list.js'
import {abbreviationHandlers} from './abbreviation.js'
import {contextFreeHandlers} from './render-context.js'
import {htmlHandlers} from './html.js'
import {emojiHandlers} from './emoji.js'
import {markHandlers} from './mark.js'
import {caretHandlers} from './caret.js'
import {tildeHandlers} from './tilde.js'
import {keysHandlers} from './keys.js'
import {taskListHandlers} from './task-list.js'

/** Every web handler, keyed by mdast node type. */
export const webHandlers: Handlers = {
  // Each construct spreads its handlers here, one line each.
  ...admonitionHandlers,
  ...tabsHandlers,
  ...definitionListHandlers,
  ...abbreviationHandlers,
  ...contextFreeHandlers,
  ...htmlHandlers,
  ...emojiHandlers,
  ...markHandlers,
  ...caretHandlers,
  ...tildeHandlers,
  ...keysHandlers,
  ...taskListHandlers,
  // Frontmatter is read separately; it never reaches the page body.
  yaml: () => undefined
}

/**
 * The mdast-to-hast handlers of the email target, one module per construct,
 * covering every node type of the dialect (and every CommonMark, GFM,
 * footnote and math node). They decide the email's structure; the colours
 * and sizes come later, from the style table, through the `lp-*` role
 * classes they set.
 *
 * What differs from the web, in short (each module says why): admonitions
 * are tables, tabs are stacked sections, code carries inline colours and a
 * diagram is a link plus its source, math is Unicode text, footnotes are
 * numbers with a list at the end, task checkboxes are characters, long
 * inline code has break points, and raw HTML is only inspected here.
 */
import type {Handlers} from 'mdast-util-to-hast'
import {abbreviationHandlers} from './abbreviation.js'
import {admonitionHandlers} from './admonition.js'
import {caretHandlers} from './caret.js'
import {createCodeHandlers} from './code.js'
import type {EmailHandlerOptions} from './context.js'
import {definitionListHandlers} from './definition-list.js'
import {emojiHandlers} from './emoji.js'
import {createFootnoteHandlers} from './footnotes.js'
import {createHtmlHandlers} from './html.js'
import {imageHandlers} from './images.js'
import {inlineCodeHandlers} from './inline-code.js'
import {keysHandlers} from './keys.js'
import {markHandlers} from './mark.js'
import {mathHandlers} from './math.js'
import {tableHandlers} from './tables.js'
import {tabsHandlers} from './tabs.js'
import {taskListHandlers} from './task-list.js'
import {tildeHandlers} from './tilde.js'

export {defaultCalloutTitle} from './admonition.js'
export type {EmailHandlerOptions, EmailRenderMessage} from './context.js'
export {keyLabel} from './keys.js'

/**
 * Create the email handlers for one render. Create them again for every
 * render: they number footnotes as they meet them.
 */
export function createEmailHandlers(options: EmailHandlerOptions = {}): Handlers {
  return {
    // Each construct spreads its handlers here, one line each.
    ...createFootnoteHandlers(options),
    ...imageHandlers,
    ...taskListHandlers,
    ...createCodeHandlers(options),
    ...inlineCodeHandlers,
    ...createHtmlHandlers(options),
    ...mathHandlers,
    ...admonitionHandlers,
    ...tabsHandlers,
    ...emojiHandlers,
    ...markHandlers,
    ...caretHandlers,
    ...tildeHandlers,
    ...keysHandlers,
    ...abbreviationHandlers,
    ...tableHandlers,
    ...definitionListHandlers,
    // Link reference definitions and frontmatter never reach the body.
    definition: () => undefined,
    yaml: () => undefined
  }
}

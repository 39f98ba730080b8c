/**
 * `~subscript~` (pymdownx.tilde): the remark plugin and its parts.
 */
export {remarkTilde} from './remark-tilde.js'
export {tildeSyntax} from './syntax.js'
export {tildeFromMarkdown} from './from-markdown.js'
export {tildeToMarkdown} from './to-markdown.js'

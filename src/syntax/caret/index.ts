/**
 * `^^insert^^` and `^superscript^` (pymdownx.caret): the remark plugin and
 * its parts.
 */
export {remarkCaret} from './remark-caret.js'
export {caretSyntax} from './syntax.js'
export {caretFromMarkdown} from './from-markdown.js'
export {caretToMarkdown} from './to-markdown.js'

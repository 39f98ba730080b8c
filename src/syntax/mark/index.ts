/**
 * `==mark==` (pymdownx.mark): the remark plugin and its parts.
 */
export {remarkMark} from './remark-mark.js'
export {markSyntax} from './syntax.js'
export {markFromMarkdown} from './from-markdown.js'
export {markToMarkdown} from './to-markdown.js'

/**
 * Attr lists `{ #id .class key=value }` after links, images and ATX
 * headings (Python-Markdown attr_list): the remark plugin and its parts.
 */
export {remarkAttrList} from './remark-attr-list.js'
export {attributeListSyntax} from './syntax.js'
export {attributeListFromMarkdown, toProperties} from './from-markdown.js'
export {attributeListToMarkdown, serializeAttributeList} from './to-markdown.js'

/**
 * Keyboard keys `++ctrl+alt+del++` (pymdownx.keys): the remark plugin, its
 * parts and the key table.
 */
export {remarkKeys} from './remark-keys.js'
export {keysSyntax} from './syntax.js'
export {keysFromMarkdown} from './from-markdown.js'
export {keysToMarkdown} from './to-markdown.js'
export {lookupKey, quotedKeyLabel, type KeyInfo} from './key-map.js'

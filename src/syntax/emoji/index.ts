/**
 * Emoji shortcodes `:name:` (pymdownx.emoji with gemoji names): the remark
 * plugin, its parts and the name index.
 */
export {remarkEmoji} from './remark-emoji.js'
export {emojiSyntax} from './syntax.js'
export {emojiFromMarkdown} from './from-markdown.js'
export {emojiToMarkdown} from './to-markdown.js'
export {emojiByName} from './emoji-index.js'

/**
 * Admonitions: MkDocs `!!!`, pymdownx details `???`/`???+`, `:::`
 * directives and GitHub alerts, all as `admonition` nodes.
 *
 * `remarkAdmonition` is the plugin to register; the parts are exported for
 * tools that drive micromark or mdast utilities directly.
 */
export {transformAlerts} from './alert.js'
export {admonitionDirectiveSyntax} from './directive-syntax.js'
export {admonitionFromMarkdown} from './from-markdown.js'
export {remarkAdmonition} from './remark-admonition.js'
export {admonitionSyntax, kindCharacter} from './syntax.js'
export {admonitionToMarkdown} from './to-markdown.js'

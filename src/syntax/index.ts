/**
 * The letterpress dialect as one unified preset: every syntax extension
 * (micromark tokenizer, mdast from/to-markdown, tree transform) in the order
 * it must be registered.
 */
import type {Root} from 'mdast'
import type {PluggableList, Preset, Processor} from 'unified'
import {remarkAdmonition} from './admonition/index.js'
import {remarkTabs} from './tabs/index.js'
import {remarkDefinitionList} from './definition-list/index.js'
import {remarkAbbreviation} from './abbreviation/index.js'
import {remarkDollarMath} from './math/index.js'
import {remarkEmoji} from './emoji/index.js'
import {remarkMark} from './mark/index.js'
import {remarkCaret} from './caret/index.js'
import {remarkTilde} from './tilde/index.js'
import {remarkKeys} from './keys/index.js'
import {remarkAttrList} from './attr-list/index.js'
import {remarkCodeFence} from './code-fence/index.js'

/** A remark plugin of the dialect: it adds syntax to, or transforms, mdast. */
type DialectPlugin = (this: Processor<Root>) => unknown

// Each construct registers one plugin here, one line each.
const plugins: DialectPlugin[] = [
  remarkAdmonition,
  remarkTabs,
  remarkDefinitionList,
  remarkAbbreviation,
  remarkDollarMath,
  remarkEmoji,
  remarkMark,
  remarkCaret,
  remarkTilde,
  remarkKeys,
  remarkAttrList,
  remarkCodeFence,
]

/** The letterpress dialect, as one remark preset. */
export const remarkDialect: Preset = {
  // Each plugin is attached to a remark processor, whose tree is mdast.
  plugins: plugins as PluggableList
}

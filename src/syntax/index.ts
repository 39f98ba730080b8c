/**
 * The letterpress dialect as one unified preset: every syntax extension
 * (micromark tokenizer, mdast from/to-markdown, tree transform) in the order
 * it must be registered.
 */
import type {PluggableList, Preset} from 'unified'

// Each construct registers one plugin here, one line each.
const plugins: PluggableList = [
]

/** The letterpress dialect, as one remark preset. */
export const remarkDialect: Preset = {plugins}

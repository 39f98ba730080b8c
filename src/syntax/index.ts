/**
 * Registers every syntax extension of the letterpress dialect (micromark
 * tokenizers, mdast from/to-markdown and tree transforms) on a processor.
 */
import type {Processor} from 'unified'

/** The letterpress dialect, as one remark plugin. */
export function remarkDialect(this: Processor): void {
  // Extensions are added here as they land.
  void this
}

/**
 * How the web handlers report what they find while rendering (an unknown
 * code language, invalid TeX): one message per node, which the render
 * context turns into a message on the post's file.
 */
import type {Nodes} from 'mdast'

/** A warning raised while rendering one node. */
export interface WebRenderMessage {
  /** What was found and what was expected. */
  reason: string
  /** The mdast node, for its position. */
  node: Nodes
  /** Kebab-case rule id (`math-invalid`, `code-language-unknown`). */
  ruleId: string
}

/** Where handlers send their warnings. */
export type ReportMessage = (message: WebRenderMessage) => void

/**
 * Where mdast-util-to-markdown must not escape the dialect's markers.
 */
import type {ConstructName} from 'mdast-util-to-markdown'

/**
 * Constructs where character escapes do not work (autolinks, destinations,
 * reference labels, titles), so a marker there must stay as it is: pass as
 * `notInConstruct` of every `unsafe` pattern (as GFM strikethrough does).
 */
export const noEscapeConstructs: ConstructName[] = [
  'autolink',
  'destinationLiteral',
  'destinationRaw',
  'reference',
  'titleQuote',
  'titleApostrophe'
]

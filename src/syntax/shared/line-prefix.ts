/**
 * Where a line really starts, for constructs that open after micromark has
 * already eaten the line's indentation into a `linePrefix` token (up to 3
 * spaces before a container or flow construct).
 */
import {types} from 'micromark-util-symbol'
import type {TokenizeContext} from 'micromark-util-types'

/**
 * Columns of indentation right before the current point: the size of the
 * `linePrefix` token that ends the events so far (a tab counts to the next
 * multiple of 4), or 0 when there is none.
 *
 * Constructs whose later lines are indented relative to their marker (or
 * lose as much indentation as it had) measure it here, at their start.
 */
export function linePrefixSize(self: TokenizeContext): number {
  const tail = self.events[self.events.length - 1]
  return tail && tail[1].type === types.linePrefix
    ? tail[2].sliceSerialize(tail[1], true).length
    : 0
}

/**
 * Offset where the current line starts: the start of a `linePrefix` that
 * ends exactly here, or here.
 *
 * A construct tried after up to 3 spaces of prefix compares this with an
 * offset recorded at the start of the line (see `IndentedContainer`).
 */
export function lineStartOffset(self: TokenizeContext): number {
  const here = self.now().offset
  const tail = self.events[self.events.length - 1]
  return tail && tail[1].type === types.linePrefix && tail[1].end.offset === here
    ? tail[1].start.offset
    : here
}

/**
 * remark plugin that warns about a fenced code block whose closing fence
 * never comes (`code-fence-unclosed`): CommonMark then runs the block to the
 * end of its container, or of the post, and the rest of the text silently
 * becomes code.
 *
 * micromark knows: a closed block has a second `codeFencedFence` token (the
 * closing fence), an unclosed one has only the opening fence. The
 * from-markdown extension below notes each code node whose closing fence it
 * enters; the transformer warns at the opening fence of every other fenced
 * code node. Blocks in lists, quotes, admonitions and tabs are ended by
 * their container in the same way, so the same test holds there.
 */
import type {Code, Root} from 'mdast'
import type {CompileContext, Extension} from 'mdast-util-from-markdown'
import type {} from 'remark-parse'
import type {Processor} from 'unified'
import {visit} from '../walk.js'
import type {VFile} from 'vfile'

/** Add the unclosed-fence warning to remark (parse only). */
export function remarkCodeFence(this: Processor<Root>): (tree: Root, file: VFile) => undefined {
  // Per processor and per parse: code nodes are new objects each time.
  const closed = new WeakSet<Code>()
  ;(this.data().fromMarkdownExtensions ??= []).push(codeFenceFromMarkdown(closed))

  return function (tree, file) {
    visit(tree, 'code', (node, _index, parent) => {
      if (closed.has(node) || !node.position) return
      const {start} = node.position
      const opening = fenceAt(String(file), start.offset)
      // Indented code has no fence to close.
      if (!opening) return
      const container = (parent && containers[parent.type]) ?? 'the post'
      // In words: a run of backticks cannot be quoted in backticks.
      const fence = `${opening.length} ${opening[0] === '`' ? 'backticks' : 'tildes'}`
      file.message(
        `Code block fence of ${fence} is never closed, so the rest of ${container} is code; add a line of ${fence} to close it`,
        {place: start, ruleId: 'code-fence-unclosed', source: 'letterpress'}
      )
    })
  }
}

/**
 * The from-markdown extension: the closing fence of a fenced code block is
 * the `codeFencedFence` entered while the block's content is open (the
 * opening fence's exit has set `flowCodeInside`).
 */
function codeFenceFromMarkdown(closed: WeakSet<Code>): Extension {
  return {
    enter: {
      codeFencedFence(this: CompileContext) {
        if (!this.data.flowCodeInside) return
        // The code node sits under the buffer that collects its value.
        for (let index = this.stack.length - 1; index >= 0; index--) {
          const node = this.stack[index]
          if (node?.type === 'code') {
            closed.add(node)
            return
          }
        }
      }
    }
  }
}

/** The fence (a run of three or more backticks or tildes) at `offset` in `text`. */
function fenceAt(text: string, offset: number | undefined): string | undefined {
  if (offset === undefined) return undefined
  return /^(?:`{3,}|~{3,})/.exec(text.slice(offset, offset + 1000))?.[0]
}

/** What ends an unclosed block, by the type of its parent, for the message. */
const containers: Record<string, string> = {
  root: 'the post',
  listItem: 'its list item',
  blockquote: 'its quote',
  admonition: 'its admonition',
  tab: 'its tab',
  definitionDescription: 'its definition',
  footnoteDefinition: 'its footnote'
}

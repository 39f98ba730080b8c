/**
 * Math syntax fixtures: each `test/fixtures/math-syntax/<case>/input.md` is
 * parsed with the whole dialect and compared with `arithmatex.html`, the
 * output of Python-Markdown with pymdownx.arithmatex in generic mode
 * (committed, so the test needs no Python; set
 * UPDATE_MATH_SYNTAX_FIXTURES=1 to regenerate with /usr/bin/python3, then
 * review the diff).
 *
 * The comparison is about which text is math, so on top of the
 * normalisation of `helpers/fixtures.ts` both sides are reduced to the same
 * shape (`mathAsText`): pymdownx's `<span class="arithmatex">\(x\)</span>`
 * and our `<code class="math-inline">x</code>` become the text `⟦x⟧`; its
 * `<div class="arithmatex">\[x\]</div>` and our
 * `<pre><code class="math-display">x</code></pre>` become `<div>⟦⟦x⟧⟧</div>`.
 * The web renderer (KaTeX) is not involved: it has its own tests.
 *
 * Each fixture also goes through to-markdown and back: the tree must come
 * back the same, positions aside.
 */
import type {Element, ElementContent} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {toHast} from 'mdast-util-to-hast'
import {describeFixtures, hasClass, parseDialect, textOf} from './helpers/fixtures.js'

const reference = [
  'import sys, markdown',
  'src = open(sys.argv[1], encoding="utf-8").read()',
  'print(markdown.markdown(src, extensions=["pymdownx.arithmatex"],',
  '  extension_configs={"pymdownx.arithmatex": {"generic": True}}))'
].join('\n')

describeFixtures({
  feature: 'math-syntax',
  reference: 'pymdownx.arithmatex reference output',
  referenceFile: 'arithmatex.html',
  render: async (markdown) => toHtml(toHast(await parseDialect(markdown))),
  normalize: {rewrite: mathAsText},
  update: {variable: 'UPDATE_MATH_SYNTAX_FIXTURES', args: ['-c', reference]}
})

/** Math of either side as marked text (see the top of this file). */
function mathAsText(node: Element): ElementContent[] | undefined {
  if (hasClass(node, 'arithmatex')) {
    const tex = textOf(node)
    return node.tagName === 'div'
      ? [display(tex.replace(/^\\\[|\\\]$/g, ''))]
      : [{type: 'text', value: '⟦' + tex.replace(/^\\\(|\\\)$/g, '') + '⟧'}]
  }

  if (node.tagName === 'code' && hasClass(node, 'math-inline')) {
    return [{type: 'text', value: '⟦' + textOf(node) + '⟧'}]
  }

  if (
    node.tagName === 'pre' &&
    node.children.some((child) => child.type === 'element' && hasClass(child, 'math-display'))
  ) {
    return [display(textOf(node))]
  }

  return undefined
}

function display(tex: string): Element {
  return {
    type: 'element',
    tagName: 'div',
    properties: {},
    children: [{type: 'text', value: '⟦⟦' + tex.trim() + '⟧⟧'}]
  }
}

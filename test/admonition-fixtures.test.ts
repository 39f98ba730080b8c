/**
 * Admonition fixtures: each `test/fixtures/admonition/<case>/input.md` is
 * rendered with the whole dialect (`renderFragment`) and compared with
 * `expected.html`, the output of MkDocs' Python-Markdown stack
 * (`../shared/tools/mkdocs-reference.py input.md`, committed so the test
 * needs no Python; set UPDATE_ADMONITION_FIXTURES=1 to regenerate, then
 * review the diff).
 *
 * Both sides are compared after the normalisation of `helpers/fixtures.ts`,
 * forgiving only code highlighting (Python's `<div class="highlight"><pre>`
 * with Pygments spans, our `class="language-*"`: not admonition
 * behaviour). Each fixture also goes through to-markdown and back: the tree
 * must come back the same, positions aside.
 */
import {renderFragment} from '../src/index.js'
import {describeFixtures, mkdocsReference} from './helpers/fixtures.js'

describeFixtures({
  feature: 'admonition',
  reference: 'MkDocs reference output',
  render: renderFragment,
  normalize: {codeByText: true},
  update: {variable: 'UPDATE_ADMONITION_FIXTURES', args: [mkdocsReference]}
})

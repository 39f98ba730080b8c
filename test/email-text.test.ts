import type {Root, RootContent} from 'mdast'
import {describe, expect, it} from 'vitest'
import {createLinkReferences, renderEmailText, wrapText} from '../src/email/text.js'
import '../src/syntax/mdast.js'
import {parsePost} from './fixtures/email/site.js'

const options = {baseUrl: 'https://notes.example/', pageUrl: 'https://notes.example/posts/x/'}

async function text(markdown: string, extra: Parameters<typeof renderEmailText>[1] = options) {
  const {tree} = await parsePost(markdown)
  return renderEmailText(tree, extra)
}

const t = (value: string) => ({type: 'text' as const, value})

describe('plain-text part', () => {
  it('should underline headings at every level, never printing # marks', async () => {
    const value = await text('# Canaries\n\n## Before\n\n### Details\n\n#### Finer points\n\n###### Smallest\n\nBody.\n')
    expect(value).toBe('Canaries\n========\n\nBefore\n------\n\nDetails\n~~~~~~~\n\nFiner points\n............\n\nSmallest\n........\n\nBody.')
  })

  it('should print struck-through text plain, without tildes', async () => {
    expect(await text('The ~~old~~ new plan.\n')).toBe('The old new plan.')
  })

  it('should number links and list them at the end, URLs unbroken', async () => {
    const value = await text(
      'Read [the runbook](https://runbooks.example/a/very/long/path/that/does/not/fit/on/one/line/at/all) ' +
        'and [our post](/posts/y/), then <https://bare.example/>.\n\nAgain [the runbook](https://runbooks.example/a/very/long/path/that/does/not/fit/on/one/line/at/all).\n'
    )
    expect(value).toContain('the runbook [1]')
    expect(value).toContain('our post [2]')
    expect(value).toContain('https://bare.example/')
    expect(value).toContain('Again the runbook [1].')
    expect(value).toMatch(/\n\nLinks:\n\[1\] https:\/\/runbooks\.example\/a\/very\/long\/path\/that\/does\/not\/fit\/on\/one\/line\/at\/all\n\[2\] https:\/\/notes\.example\/posts\/y\/$/)
  })

  it('should share link numbers across the parts of one email', async () => {
    const links = createLinkReferences()
    const first = await text('[a](https://a.example/)\n', {...options, links})
    const second = await text('[b](https://b.example/) [a](https://a.example/)\n', {...options, links})
    expect(first).toBe('a [1]')
    expect(second).toBe('b [2] a [1]')
    expect(links.take()).toEqual(['[1] https://a.example/', '[2] https://b.example/'])
  })

  it('should add UTM parameters to the site\'s links only', async () => {
    const value = await text('[p](/posts/y/) [o](https://other.example/)\n', {...options, utm: {source: 'letter'}})
    expect(value).toContain('[1] https://notes.example/posts/y/?utm_source=letter')
    expect(value).toContain('[2] https://other.example/\n'.trim())
  })

  it('should wrap prose at 72 columns', async () => {
    const long = Array.from({length: 40}, (_, index) => `word${index}`).join(' ')
    const value = await text(long + '\n')
    for (const line of value.split('\n')) expect(line.length).toBeLessThanOrEqual(72)
    expect(value.split('\n').length).toBeGreaterThan(3)
  })

  it('should keep a word longer than the line on a line of its own', () => {
    expect(wrapText('see https://example.com/' + 'x'.repeat(80) + ' now', 20)).toEqual(['see', 'https://example.com/' + 'x'.repeat(80), 'now'])
  })

  it('should mark lists and indent their nesting', async () => {
    const value = await text('- one\n- two\n    - nested\n\n3. three\n4. four\n\n- [x] done\n- [ ] open\n')
    expect(value).toContain('- one\n- two\n  - nested')
    expect(value).toContain('3. three\n4. four')
    expect(value).toContain('- [x] done\n- [ ] open')
  })

  it('should indent code by four spaces and never wrap it', async () => {
    const line = 'x = ' + '1 + '.repeat(30) + '1'
    const value = await text('```python title="calc.py"\n' + line + '\n```\n')
    expect(value).toBe('calc.py:\n    ' + line)
  })

  it('should write images as [Image: alt] and footnotes under Notes', async () => {
    const value = await text('![Canary dashboard](/a.png) and ![](/b.png)\n\nText.[^n]\n\n[^n]: The note.\n')
    expect(value).toContain('[Image: Canary dashboard] and [Image]')
    expect(value).toContain('Text.[^1]')
    expect(value).toMatch(/Notes:\n\[\^1\] The note\.$/)
  })

  it('should align table columns, wrapping cells when the table is too wide, records only when wrapping cannot fit', async () => {
    const narrow = await text('| metric | value |\n| --- | ---: |\n| p95 | 41 |\n| nulls | 0.2% |\n')
    expect(narrow).toBe('metric  value\n------  -----\np95        41\nnulls    0.2%')

    const cell = 'a rather long cell value that goes on'
    const wide = await text(`| first | second |\n| --- | --- |\n| ${cell} | ${cell} |\n| short | also short |\n`)
    // Two columns of 35, each cell wrapped inside its own column; wrapped rows set apart by a blank line.
    const row = (left: string, right: string) => (left.padEnd(35) + '  ' + right).trimEnd()
    expect(wide).toBe(
      [
        row('first', 'second'),
        row('-'.repeat(35), '-'.repeat(35)),
        row('a rather long cell value that goes', 'a rather long cell value that goes'),
        row('on', 'on'),
        '',
        row('short', 'also short')
      ].join('\n')
    )
    for (const line of wide.split('\n')) expect(line.length).toBeLessThanOrEqual(72)

    // A word no column can narrow past (a URL) in too many columns: one record per row.
    const url = 'https://dashboards.example/a/very/long/path/to/one/panel'
    const unbreakable = await text(`| panel | link | owner |\n| --- | --- | --- |\n| p95 | ${url} | ${url} |\n`)
    expect(unbreakable).toBe(`panel: p95\nlink: ${url}\nowner: ${url}`)
  })

  it('should write callouts and tabs as labelled, indented blocks', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {type: 'admonition', kind: 'warning', classes: [], title: 'Freeze', collapsible: null, syntax: 'mkdocs', children: [{type: 'admonitionTitle', children: [t('Freeze')]}, {type: 'paragraph', children: [t('No edits.')]}]},
        {type: 'admonition', kind: 'note', classes: [], title: null, collapsible: 'closed', syntax: 'mkdocs', children: [{type: 'paragraph', children: [t('Plain.')]}]},
        {
          type: 'tabSet',
          children: [{type: 'tab', title: 'Python', selected: false, newSet: false, children: [{type: 'tabTitle', children: [t('Python')]}, {type: 'code', lang: 'python', meta: null, value: 'print(1)'}]}]
        }
      ] as RootContent[]
    }
    expect(renderEmailText(tree, options)).toBe('[Warning] Freeze\n    No edits.\n\n[Note]\n    Plain.\n\n[Tab: Python]\n        print(1)')
  })

  it('should write the inline dialect as readable text', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [
            {type: 'emoji', name: 'tada', value: '🎉'},
            t(' '),
            {type: 'keys', value: 'ctrl+c', keys: ['ctrl', 'c']},
            t(' H'),
            {type: 'subscript', children: [t('2')]},
            t('O E=mc'),
            {type: 'superscript', children: [t('2')]},
            t(' '),
            {type: 'abbreviation', title: 'Service Level Objective', children: [t('SLO')]},
            t(' then '),
            {type: 'abbreviation', title: 'Service Level Objective', children: [t('SLO')]},
            t(' '),
            {type: 'inlineMath', value: '\\alpha \\le 0.05'},
            t(' '),
            {type: 'mark', children: [t('marked')]}
          ]
        },
        {type: 'definitionList', children: [{type: 'definitionTerm', children: [t('Canary')]}, {type: 'definitionDescription', spread: false, children: [{type: 'paragraph', children: [t('A small slice.')]}]}]},
        {type: 'math', value: '\\begin{aligned} x \\end{aligned}'}
      ] as RootContent[]
    }
    expect(renderEmailText(tree, options)).toBe(
      '🎉 Ctrl+C H₂O E=mc² SLO (Service Level Objective) then SLO α ≤ 0.05\nmarked\n\nCanary\n    A small slice.\n\n    \\begin{aligned} x \\end{aligned}'
    )
  })

  it('should turn raw HTML into its text and drop comments', async () => {
    const value = await text('Before.\n\n<!-- more -->\n\n<p align="center">Centred<br>text <img src="/i.png" alt="logo"></p>\n\n<script>alert(1)</script>\n')
    expect(value).toBe('Before.\n\nCentred\ntext [Image: logo]')
  })
})

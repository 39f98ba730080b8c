import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Element, Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root, RootContent} from 'mdast'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {beforeAll, describe, expect, it} from 'vitest'
import {absoluteUrl, mergeStyles, renderEmailHast, withUtm} from '../src/email/render.js'
import {texToText} from '../src/email/math.js'
import {filterStyle} from '../src/email/sanitize.js'
import {isAllowedUrl} from '../src/source/url-policy.js'
import {headCss} from '../src/email/styles.js'
import {renderEmailText} from '../src/email/text.js'
import {createHighlight, type Highlight} from '../src/render/highlight.js'
import {loadPost} from '../src/source/load.js'
import {createParser, parseFile} from '../src/source/parse.js'
import '../src/syntax/mdast.js'
import {parsePost} from './fixtures/email/site.js'

const baseUrl = 'https://notes.example/'
const pageUrl = 'https://notes.example/posts/x/'
let highlight: Highlight

beforeAll(async () => {
  highlight = await createHighlight()
})

/** Every rule an email's HTML keeps so that clients show it as meant, checked on a rendered tree. */
function expectEmailContract(hast: HastRoot): void {
  const forbidden = new Set(['details', 'summary', 'script', 'svg', 'math', 'iframe', 'form', 'input', 'style', 'object', 'embed', 'video', 'audio'])
  visit(hast, (node) => {
    expect(node.type, 'no raw HTML left').not.toBe('raw')
    if (node.type !== 'element') return
    expect(forbidden.has(node.tagName), `<${node.tagName}> in email`).toBe(false)
    const style = node.properties['style']
    if (typeof style === 'string') expect(style).not.toMatch(/display\s*:\s*(inline-)?(flex|grid)/i)
    for (const key of ['href', 'src']) {
      const value = node.properties[key]
      if (value !== undefined) expect(String(value), `${key} of <${node.tagName}>`).toMatch(/^(https?:\/\/|mailto:)/)
    }
    for (const key of Object.keys(node.properties)) expect(key, 'event handler').not.toMatch(/^on/i)
    if (node.tagName === 'img') {
      expect(String(node.properties['width'])).toMatch(/^\d+$/)
      expect(Number(node.properties['width'])).toBeLessThanOrEqual(552)
      expect(typeof node.properties['alt']).toBe('string')
    }
  })
}

async function renderMarkdown(markdown: string, options: {utm?: {source?: string; medium?: string; campaign?: string}} = {}) {
  const {tree, file} = await parsePost(markdown)
  await highlight.prepare([tree])
  const hast = renderEmailHast(tree, {baseUrl, pageUrl, highlight, file, ...options})
  return {hast, html: toHtml(hast), file, tree}
}

function renderTree(children: RootContent[]) {
  const tree: Root = {type: 'root', children}
  const file = new VFile({path: 'posts/x.md'})
  const hast = renderEmailHast(tree, {baseUrl, pageUrl, highlight, file})
  return {hast, html: toHtml(hast), file}
}

function elements(hast: HastRoot, tagName: string): Element[] {
  const found: Element[] = []
  visit(hast, 'element', (node) => {
    if (node.tagName === tagName) found.push(node)
  })
  return found
}

/** The first data table (`table.lp-table`, inside the box that scrolls it). */
function dataTable(hast: HastRoot): Element {
  return elements(hast, 'table').find((table) => String(table.properties['className']) === 'lp-table')!
}

/** The text content of a hast node. */
function toString(node: HastRoot | Element): string {
  let value = ''
  visit(node, 'text', (child) => {
    value += child.value
  })
  return value
}

const text = (value: string) => ({type: 'text' as const, value})
const paragraph = (value: string) => ({type: 'paragraph' as const, children: [text(value)]})

/** One node of every dialect type, built by hand (the parsers are tested elsewhere). */
function dialectTree(): RootContent[] {
  return [
    {
      type: 'admonition',
      kind: 'warning',
      classes: [],
      title: 'Mind the *gap*',
      collapsible: null,
      syntax: 'mkdocs',
      children: [
        {type: 'admonitionTitle', children: [text('Mind the '), {type: 'emphasis', children: [text('gap')]}]},
        paragraph('Body of the warning.')
      ]
    },
    {type: 'admonition', kind: 'tip', classes: ['inline', 'end'], title: null, collapsible: 'closed', syntax: 'mkdocs', children: [paragraph('Collapsed tip body.')]},
    {type: 'admonition', kind: 'note', classes: [], title: '', collapsible: null, syntax: 'mkdocs', children: [paragraph('Untitled note.')]},
    {type: 'admonition', kind: 'frobnicate', classes: [], title: null, collapsible: 'open', syntax: 'directive', children: [paragraph('Unknown kind.')]},
    {
      type: 'tabSet',
      children: [
        {type: 'tab', title: 'Python', selected: false, newSet: false, children: [{type: 'tabTitle', children: [text('Python')]}, {type: 'code', lang: 'python', meta: null, value: 'print("hi")'}]},
        {type: 'tab', title: 'Shell', selected: true, newSet: false, children: [{type: 'tabTitle', children: [text('Shell')]}, {type: 'code', lang: 'bash', meta: null, value: 'echo hi'}]}
      ]
    },
    {
      type: 'paragraph',
      children: [
        {type: 'emoji', name: 'rocket', value: '🚀'},
        text(' '),
        {type: 'mark', children: [text('marked')]},
        text(' '),
        {type: 'insert', children: [text('inserted')]},
        text(' H'),
        {type: 'subscript', children: [text('2')]},
        text('O x'),
        {type: 'superscript', children: [text('2')]},
        text(' '),
        {type: 'keys', value: 'ctrl+alt+del', keys: ['ctrl', 'alt', 'del']},
        text(' '),
        {type: 'abbreviation', title: 'Mean Time To Recovery', children: [text('MTTR')]},
        text(' '),
        {type: 'inlineMath', value: '\\alpha_i^2'}
      ]
    },
    {type: 'abbreviationDefinition', label: 'MTTR', value: 'Mean Time To Recovery'},
    {
      type: 'definitionList',
      children: [
        {type: 'definitionTerm', children: [text('Canary')]},
        {type: 'definitionDescription', spread: false, children: [paragraph('A small slice of traffic.')]}
      ]
    },
    {type: 'math', value: '\\kappa = \\frac{p_o - p_e}{1 - p_e}'},
    {type: 'math', value: '\\begin{pmatrix} a & b \\end{pmatrix}'}
  ]
}

describe('email renderer', () => {
  it('should keep every construct of the dialect inside the email contract', () => {
    const {hast} = renderTree(dialectTree())
    expectEmailContract(hast)
  })

  it('should render admonitions as titled, bordered tables in the kind colour', () => {
    const {hast, html} = renderTree(dialectTree())
    const callouts = elements(hast, 'table').filter((table) => String(table.properties['className']).includes('lp-callout'))
    expect(callouts).toHaveLength(4)
    expect(html).toContain('Mind the <em>gap</em>')
    // A collapsible one is open, titled by its kind; an unknown kind gets the note colour and its own name.
    expect(html).toContain('Collapsed tip body.')
    expect(html).toMatch(/>Tip<\/td>/)
    expect(html).toMatch(/>Frobnicate<\/td>/)
    expect(String(callouts[0]!.properties['style'])).toContain('border-left:4px solid #ff9100')
    expect(String(callouts[3]!.properties['style'])).toContain('#448aff')
    // `""` asks for no title row at all.
    const untitled = callouts[2]!
    expect(elements({type: 'root', children: [untitled]}, 'tr')).toHaveLength(1)
  })

  it('should stack tabs as titled sections, every tab visible', () => {
    const {html} = renderTree(dialectTree())
    expect(html).toMatch(/class="lp-tab-title"[^>]*>Python<\/p>/)
    expect(html).toMatch(/class="lp-tab-title"[^>]*>Shell<\/p>/)
    expect(html).toContain('echo')
  })

  it('should render inline constructs as elements every client shows', () => {
    const {html} = renderTree(dialectTree())
    expect(html).toContain('🚀')
    expect(html).toMatch(/<mark[^>]*>marked<\/mark>/)
    expect(html).toMatch(/<ins[^>]*>inserted<\/ins>/)
    expect(html).toMatch(/H<sub[^>]*>2<\/sub>O/)
    expect(html).toMatch(/<kbd[^>]*>Ctrl<\/kbd>\+<kbd[^>]*>Alt<\/kbd>\+<kbd[^>]*>Del<\/kbd>/)
    expect(html).toMatch(/<abbr title="Mean Time To Recovery"[^>]*>MTTR<\/abbr>/)
    expect(html).toMatch(/<dt[^>]*>Canary<\/dt>/)
    expect(html).toMatch(/<dd[^>]*>A small slice of traffic.<\/dd>/)
  })

  it('should write math as Unicode with sup and sub, and TeX source when it cannot', () => {
    const {html} = renderTree(dialectTree())
    expect(html).toMatch(/class="lp-math"[^>]*>α<sup[^>]*>2<\/sup><sub[^>]*>i<\/sub><\/span>|class="lp-math"[^>]*>α<sub[^>]*>i<\/sub><sup[^>]*>2<\/sup><\/span>/)
    expect(html).toContain('κ = (p<sub')
    expect(html).toContain('\\begin{pmatrix}')
    expect(html).not.toContain('katex')
  })

  it('should convert everyday TeX to readable Unicode', () => {
    expect(texToText(String.raw`\kappa = \frac{p_o - p_e}{1 - p_e}`)).toBe('κ = (pₒ − pₑ)/(1 − pₑ)')
    expect(texToText(String.raw`\mathrm{PSI} = \sum_{i=1}^{k} \left(a_i - e_i\right) \ln \frac{a_i}{e_i}`)).toBe('PSI = ∑ᵢ₌₁ᵏ (aᵢ − eᵢ) ln aᵢ/eᵢ')
    expect(texToText(String.raw`\sqrt{p(1-p)/n}`)).toBe('√(p(1 − p)/n)')
    expect(texToText(String.raw`P(Y \mid X)`)).toBe('P(Y | X)')
    expect(texToText(String.raw`\hat{y} \in \mathbb{R}^n`)).toBe('ŷ ∈ ℝⁿ')
    expect(texToText(String.raw`x_{q}`)).toBe('x_q')
    expect(texToText(String.raw`\binom{n}{k}`)).toBeUndefined()
  })

  it('should number footnotes and list them at the end, without in-page anchors', async () => {
    const {hast, html} = await renderMarkdown('One[^a] and two[^b].\n\n[^b]: Second.\n[^a]: First.\n')
    expectEmailContract(hast)
    expect(html).toMatch(/One<sup class="lp-footnote-ref"[^>]*>1<\/sup> and two<sup class="lp-footnote-ref"[^>]*>2<\/sup>/)
    expect(html.indexOf('First.')).toBeLessThan(html.indexOf('Second.'))
    expect(html.lastIndexOf('lp-footnotes')).toBeGreaterThan(html.indexOf('two'))
    expect(html).not.toContain('href="#')
  })

  it('should highlight code with inline colours and wrap long lines instead of overflowing', async () => {
    const {hast, html} = await renderMarkdown('```python title="job.py" hl_lines="2"\nimport os\nprint(os.environ)\n```\n')
    expectEmailContract(hast)
    const pre = elements(hast, 'pre')[0]!
    expect(String(pre.properties['style'])).toContain('white-space:pre-wrap')
    expect(String(pre.properties['style'])).toContain('word-break:break-word')
    expect(html).toMatch(/<span style="color:#[0-9a-f]{6}">import<\/span>/)
    expect(html).toMatch(/class="lp-hl"[^>]*>.*print/)
    expect(html).toMatch(/class="lp-code-title"[^>]*>job.py<\/p>/)
    expect(html).not.toMatch(/--shiki/)
  })

  it('should turn a mermaid diagram into a link to the web page and its source', async () => {
    const {hast, html} = await renderMarkdown('```mermaid\ngraph LR\n  A --> B\n```\n')
    expect(html).toContain(`href="${pageUrl}"`)
    expect(toString(elements(hast, 'pre')[0]!)).toBe('graph LR\n  A --> B')
  })

  it('should give tables inline borders and keep column alignment', async () => {
    const {hast} = await renderMarkdown('| a | b |\n| :-: | --: |\n| 1 | 2 |\n')
    const data: HastRoot = {type: 'root', children: [dataTable(hast)]}
    const cells = [...elements(data, 'th'), ...elements(data, 'td')]
    expect(cells).toHaveLength(4)
    for (const cell of cells) expect(String(cell.properties['style'])).toMatch(/border:1px solid #/)
    expect(String(cells[0]!.properties['style'])).toContain('text-align:center')
    expect(String(cells[3]!.properties['style'])).toContain('text-align:right')
  })

  it('should keep every table\'s words and numbers whole, in a box that scrolls when the table is wider than the screen', async () => {
    const narrow = await renderMarkdown('| slice | requests | share | since |\n| --- | ---: | ---: | --- |\n| returning | 1,204,331 | 0.2% | from 2026-03-10 on |\n')
    const table = dataTable(narrow.hast)
    expect(table.properties['className']).toEqual(['lp-table'])
    // MJML sets `word-break:break-word` on its text blocks, which cuts words anywhere: the table undoes it.
    expect(String(table.properties['style'])).toContain('word-break:normal')
    const box = elements(narrow.hast, 'div').find((element) => String(element.properties['className']).includes('lp-table-scroll'))!
    expect(String(box.properties['style'])).toContain('overflow-x:auto')
    expect(elements({type: 'root', children: [box]}, 'table')).toHaveLength(1)
    const [name, count, share, since] = elements({type: 'root', children: [table]}, 'td')
    expect(name!.properties['className']).toBeUndefined()
    for (const cell of [count!, share!]) {
      expect(cell.properties['className']).toEqual(['lp-cell-number'])
      expect(String(cell.properties['style'])).toContain('white-space:nowrap')
    }
    // A date inside text stays on one line: `2026-03-10`, never `2026-`/`03-10`.
    const date = elements({type: 'root', children: [since!]}, 'span')[0]!
    expect(String(date.properties['style'])).toContain('white-space:nowrap')
    expect(toString(date)).toBe('2026-03-10')
    const wideRow = Array.from({length: 12}, (_, index) => `column_number_${index}`)
    const wide = await renderMarkdown(`| ${wideRow.join(' | ')} |\n|${' --- |'.repeat(12)}\n|${' x |'.repeat(12)}\n`)
    expect(String(dataTable(wide.hast).properties['style'])).toContain('word-break:normal')
  })

  it('should give long inline code break points between its parts', async () => {
    const {html} = await renderMarkdown('Use `customer_orders,shop_stats` and `s3://reports/v41.html`, not `x_y`.\n')
    expect(html).toMatch(/>customer_<wbr>orders,<wbr>shop_<wbr>stats<\/code>/)
    expect(html).toMatch(/>s3:\/\/<wbr>reports\/<wbr>v41.<wbr>html<\/code>/)
    expect(html).toMatch(/>x_y<\/code>/)
  })

  it('should colour aliases and unknown kinds by their family, so the dark stylesheet covers them', async () => {
    const {html} = await renderMarkdown('!!! important\n    A.\n\n!!! caution\n    B.\n\n!!! frobnicate\n    C.\n')
    expect(html.match(/class="lp-callout lp-kind-[a-z]+"/g)).toEqual([
      'class="lp-callout lp-kind-tip"',
      'class="lp-callout lp-kind-warning"',
      'class="lp-callout lp-kind-note"'
    ])
    for (const family of ['tip', 'warning', 'note']) expect(headCss()).toContain(`.lp-kind-${family}.lp-callout-title{background-color:`)
  })

  it('should make images absolute, capped to the column, with width and alt', async () => {
    const {hast} = await renderMarkdown('![](/assets/wide.png)\n\nInline ![icon](/assets/i.png) here.\n')
    expectEmailContract(hast)
    const [block, inline] = elements(hast, 'img')
    expect(block!.properties['src']).toBe('https://notes.example/assets/wide.png')
    expect(block!.properties['alt']).toBe('')
    expect(String(block!.properties['style'])).toContain('display:block')
    expect(inline!.properties['alt']).toBe('icon')
    expect(String(inline!.properties['style'])).not.toContain('display:block')
  })

  it('should size images from their files and scale the height with the width', () => {
    const tree: Root = {type: 'root', children: [{type: 'paragraph', children: [{type: 'image', url: '/assets/p.png', alt: 'P'}]}]}
    const hast = renderEmailHast(tree, {baseUrl, imageSizes: new Map([['/assets/p.png', {width: 1200, height: 600}]])})
    const image = elements(hast, 'img')[0]!
    expect(image.properties['width']).toBe('552')
    expect(image.properties['height']).toBe('276')
  })

  it('should filter raw HTML through the allow-list and warn at its line', async () => {
    const markdown = [
      'Intro.',
      '',
      '<div onclick="steal()" style="display:flex;color:#333"><script>alert(1)</script><b>kept</b></div>',
      '',
      '<iframe src="https://video.example/x"></iframe>',
      '',
      '<a href="javascript:alert(1)">bad link</a> <a href="vbscript:x">vb</a> <img src="data:image/png;base64,AAAA" alt="x">',
      '',
      '<form action="https://x.example"><input name="q"><p>in form</p></form>',
      '',
      '<svg><circle r="4"/></svg><math><mi>x</mi></math>',
      ''
    ].join('\n')
    const {hast, html, file} = await renderMarkdown(markdown)
    expectEmailContract(hast)
    expect(html).toContain('<b>kept</b>')
    expect(html).toContain('color:#333')
    expect(html).not.toContain('alert(1)')
    expect(html).toContain('bad link')
    expect(html).not.toContain('in form')
    expect(html).not.toContain('data:')
    const rules = file.messages.map((message) => `${message.line}:${message.ruleId}`)
    expect(rules).toContain('3:email-html-removed')
    expect(rules).toContain('5:email-html-removed')
    expect(file.messages.some((message) => message.reason.includes('<iframe>'))).toBe(true)
  })

  it('should open details and keep the summary as a bold line, across Markdown blocks', async () => {
    const {hast, html} = await renderMarkdown('<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>\n')
    expectEmailContract(hast)
    expect(html).toMatch(/<strong>More<\/strong>/)
    expect(html).toMatch(/Hidden <em>text<\/em>\./)
  })

  it('should render task lists with characters instead of form controls', async () => {
    const {hast, html} = await renderMarkdown('- [x] done\n- [ ] todo\n')
    expectEmailContract(hast)
    expect(html).toContain('☑')
    expect(html).toContain('☐')
  })

  it('should make every link absolute and tag only the site\'s own links with UTM parameters', async () => {
    const {hast, html} = await renderMarkdown(
      '[post](/posts/y/) [anchor](#part) [other](https://other.example/a?b=1) [mail](mailto:me@notes.example) [ftp](ftp://x.example/f)\n',
      {utm: {source: 'letter', medium: 'email', campaign: '2026-05'}}
    )
    expectEmailContract(hast)
    expect(html).toContain('href="https://notes.example/posts/y/?utm_source=letter&#x26;utm_medium=email&#x26;utm_campaign=2026-05"')
    expect(html).toContain('href="https://notes.example/posts/x/?utm_source=letter&#x26;utm_medium=email&#x26;utm_campaign=2026-05#part"')
    expect(html).toContain('href="https://other.example/a?b=1"')
    expect(html).toContain('href="mailto:me@notes.example"')
    expect(html).toMatch(/ ftp( |<|$)/)
  })

  it('should never change the tree it renders', async () => {
    const {tree} = await parsePost('# T\n\n!!! note\n    body\n\n![x](/a.png)\n')
    const before = structuredClone(tree)
    renderEmailHast(tree, {baseUrl, highlight, dropFirstHeading: true})
    expect(tree).toEqual(before)
  })

  it('should use no flex, grid or unsafe style anywhere in its own styles', async () => {
    const {html} = await renderMarkdown('# T\n\n> quote\n\n---\n\n1. a\n2. b\n\n`x`\n')
    expect(html).not.toMatch(/display:\s*(flex|grid)/)
  })
})

describe('email URL and style helpers', () => {
  it('should resolve site paths, anchors and protocol-relative URLs', () => {
    expect(absoluteUrl('/blog/a.png', 'https://x.example/blog/')).toBe('https://x.example/blog/a.png')
    expect(absoluteUrl('#h', 'https://x.example/', 'https://x.example/p/')).toBe('https://x.example/p/#h')
    expect(absoluteUrl('//cdn.example/x', 'https://x.example/')).toBe('https://cdn.example/x')
    expect(absoluteUrl('javascript:alert(1)', 'https://x.example/')).toBeUndefined()
  })

  it('should keep existing UTM parameters and leave other sites alone', () => {
    const utm = {source: 's', campaign: 'c'}
    expect(withUtm('https://x.example/p/?utm_source=mine', 'https://x.example/', utm)).toBe('https://x.example/p/?utm_source=mine&utm_campaign=c')
    expect(withUtm('https://y.example/p/', 'https://x.example/', utm)).toBe('https://y.example/p/')
    expect(withUtm('https://x.example/other/', 'https://x.example/blog/', utm)).toBe('https://x.example/other/')
  })

  it('should refuse script URLs hidden behind whitespace and case', () => {
    expect(isAllowedUrl(' JaVa\nScript:alert(1)')).toBe(false)
    expect(isAllowedUrl('data:text/html,x')).toBe(false)
    expect(isAllowedUrl('/relative')).toBe(true)
    expect(isAllowedUrl('https://ok.example')).toBe(true)
  })

  it('should keep presentational styles and drop url(), flex, grid and positioning', () => {
    const {kept, dropped} = filterStyle('color: red; background: url(https://t.example/p.gif); display: grid; position: fixed; font-weight: 700')
    expect(kept).toBe('color:red;font-weight:700')
    expect(dropped).toHaveLength(3)
  })

  it('should merge styles with later declarations winning and order kept', () => {
    expect(mergeStyles('margin:0;color:red', 'color:blue;padding:1px')).toBe('margin:0;color:blue;padding:1px')
  })
})

const sharedDir = fileURLToPath(new URL('../../shared/', import.meta.url))
const sharedPosts = ['seed', 'corpus'].flatMap((folder) => {
  const dir = path.join(sharedDir, folder)
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.md')).map((name) => `${folder}/${name}`) : []
})

describe.skipIf(sharedPosts.length === 0)('email renderer on the shared real posts', () => {
  for (const relative of sharedPosts) {
    it(`should render ${relative} inside the email contract, HTML and text`, async () => {
      const file = await loadPost(sharedDir, relative)
      const tree = await parseFile(createParser(), file)
      await highlight.prepare([tree])
      const hast = renderEmailHast(tree, {baseUrl, pageUrl, highlight, file})
      expectEmailContract(hast)
      const plain = renderEmailText(tree, {baseUrl, pageUrl})
      expect(plain.length).toBeGreaterThan(0)
      for (const line of plain.split('\n')) {
        if ([...line].length > 72) expect(line.startsWith('    ') || /\S{40,}/.test(line), line).toBe(true)
      }
    })
  }
})

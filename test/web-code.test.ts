/**
 * Code blocks on the web: Shiki at build time, both themes as CSS
 * variables, MkDocs fence options. Fixtures: test/fixtures/web-code/<case>/
 * (`input.md`, expected `web.html` and `messages.json`); regenerate with
 * `UPDATE=1 npx vitest run test/web-code.test.ts` and review the diff.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {beforeAll, describe, expect, it} from 'vitest'
import {createHighlight, type Highlight} from '../src/render/highlight.js'
import {renderFragment} from '../src/index.js'
import {createParser, parseFile} from '../src/source/parse.js'
import {toWebHast, webHastToHtml} from '../src/web/render.js'
import {fenceInfo} from '../src/render/fence.js'
import {createWebRenderContext} from '../src/web/handlers/render-context.js'

const fixtures = path.join(import.meta.dirname, 'fixtures', 'web-code')
const parser = createParser()
let highlight: Highlight

beforeAll(async () => {
  highlight = await createHighlight()
})

async function render(markdown: string) {
  const file = new VFile({value: markdown, path: 'input.md'})
  const tree = await parseFile(parser, file)
  await highlight.prepare([tree])
  const context = createWebRenderContext({highlight})
  const html = webHastToHtml(toWebHast(tree, {handlers: context.handlers({file})}))
  const messages = file.messages.map((message) => ({
    line: message.line,
    column: message.column,
    ruleId: message.ruleId,
    reason: message.reason
  }))
  return {html, messages}
}

describe('code blocks on the web (fixtures)', () => {
  const cases = readdirSync(fixtures).sort()
  it.each(cases)('should render the %s fixture as expected', async (name) => {
    const folder = path.join(fixtures, name)
    const {html, messages} = await render(readFileSync(path.join(folder, 'input.md'), 'utf8'))
    const htmlPath = path.join(folder, 'web.html')
    const messagesPath = path.join(folder, 'messages.json')
    if (process.env['UPDATE'] || !existsSync(htmlPath)) {
      writeFileSync(htmlPath, html + '\n')
      writeFileSync(messagesPath, JSON.stringify(messages, null, 2) + '\n')
    }
    expect(html + '\n').toBe(readFileSync(htmlPath, 'utf8'))
    expect(messages).toEqual(JSON.parse(readFileSync(messagesPath, 'utf8')))
  })
})

describe('code blocks on the web', () => {
  it('should give highlighted python spans both theme variables', async () => {
    const {html} = await render('```python\ndef score(batch):\n    return model.predict(batch)\n```\n')
    expect(html).toMatch(/^<pre class="shiki shiki-themes github-light-default github-dark-default"/)
    expect(html).toContain('<code class="language-python">')
    const tokens = html.match(/<span style="[^"]*">/g) ?? []
    expect(tokens.length).toBeGreaterThan(3)
    for (const token of tokens) {
      expect(token).toMatch(/--shiki-light:#[\dA-F]+;--shiki-dark:#[\dA-F]+/i)
    }
    // `defaultColor: false`: colours come only from the theme CSS.
    expect(html).not.toMatch(/[";]color:/)
  })

  it('should put a title bar above the block and mark the hl_lines', async () => {
    const {html} = await render('```bash title="deploy.sh" hl_lines="2"\nset -e\nkubectl apply -f scorer.yaml\necho ok\n```\n')
    expect(html).toMatch(/^<div class="code-block"><div class="code-title">deploy\.sh<\/div><pre class="shiki /)
    const lines = html.match(/<span class="line[^"]*">/g)
    expect(lines).toEqual(['<span class="line">', '<span class="line highlighted">', '<span class="line">'])
  })

  it('should escape the title', async () => {
    const {html} = await render('```text title="a<b>.txt"\nx\n```\n')
    expect(html).toContain('<div class="code-title">a&#x3C;b>.txt</div>')
  })

  it('should render an unknown language as escaped text and warn at its line', async () => {
    const {html, messages} = await render('Intro.\n\n```notalanguage\n<script>alert(1)</script>\n```\n')
    expect(html).toContain('<code class="language-notalanguage">')
    expect(html).toContain('&#x3C;script>alert(1)&#x3C;/script>')
    expect(html).not.toContain('<script>')
    expect(messages).toEqual([
      expect.objectContaining({line: 3, column: 1, ruleId: 'code-language-unknown'})
    ])
  })

  it('should not warn for plain-text names or a missing language', async () => {
    const {messages} = await render('```text\na\n```\n\n```plaintext\nb\n```\n\n```\nc\n```\n\n    d\n')
    expect(messages).toEqual([])
  })

  it('should highlight aliases and any case of a language name', async () => {
    const {html} = await render('```PY\nimport os\n```\n\n```sh\nls -la\n```\n')
    expect(html).toContain('<code class="language-PY">')
    expect(html).toContain('<code class="language-sh">')
    expect(html.match(/--shiki-light:#CF222E/g)?.length).toBeGreaterThan(0)
  })

  it('should handle the common languages with the JavaScript engine', async () => {
    const languages = ['python', 'yaml', 'bash', 'sql', 'json', 'ts', 'js', 'toml', 'dockerfile', 'diff']
    const markdown = languages.map((name) => '```' + name + '\nvalue = "x" # 1\n```\n').join('\n')
    const {html, messages} = await render(markdown)
    expect(messages).toEqual([])
    expect(html.match(/<pre class="shiki /g)).toHaveLength(languages.length)
  })

  it('should render a block whose language was not prepared as plain text', async () => {
    const fresh = await createHighlight()
    const pre = fresh.highlight('fn main() {}', 'rust')
    expect(pre.tagName).toBe('pre')
    expect(fresh.language('rust')).toBe('rust')
  })

  it('should load only the grammars the trees use', async () => {
    const fresh = await createHighlight()
    const tree: Root = {
      type: 'root',
      children: [
        {type: 'code', lang: 'toml', meta: null, value: 'epochs = 3'},
        {type: 'code', lang: 'nosuchlang', meta: null, value: 'x'}
      ]
    }
    await fresh.prepare([tree])
    const toml = fresh.highlight('epochs = 3', 'toml')
    const text = fresh.highlight('epochs = 3', 'text')
    expect(JSON.stringify(toml)).not.toBe(JSON.stringify(text))
  })

  it('should give light colours inline when asked (email)', async () => {
    await highlight.prepare([{type: 'root', children: [{type: 'code', lang: 'python', value: ''}]}])
    const pre = highlight.highlight('import os', 'python', {colors: 'inline'})
    const html = JSON.stringify(pre)
    expect(html).toContain('color:#CF222E')
    expect(html).not.toContain('--shiki-dark')
  })

  it('should keep plain remark output without a highlighter', async () => {
    const html = await renderFragment('```python title="x.py"\nimport os\n```\n')
    expect(html).toBe('<pre><code class="language-python">import os\n</code></pre>')
  })
})

describe('fenceInfo', () => {
  it('should read title, hl_lines ranges and linenums', () => {
    expect(fenceInfo('python', 'title="train.py" hl_lines="1 3-4" linenums="5"')).toEqual({
      language: 'python',
      title: 'train.py',
      highlightLines: [
        [1, 1],
        [3, 4]
      ],
      lineNumbersStart: 5
    })
  })

  it('should accept single quotes, bare values and commas', () => {
    const info = fenceInfo('yaml', "title='a b.yml' hl_lines=2,4 linenums=1")
    expect(info.title).toBe('a b.yml')
    expect(info.highlightLines).toEqual([
      [2, 2],
      [4, 4]
    ])
    expect(info.lineNumbersStart).toBe(1)
  })

  it('should read the braced form', () => {
    expect(fenceInfo('{', '.sql title="q.sql" }')).toMatchObject({language: 'sql', title: 'q.sql'})
    expect(fenceInfo('{.sql', '.extra }')).toMatchObject({language: 'sql'})
  })

  it('should drop junk and empty values', () => {
    expect(fenceInfo('js', 'title="" hl_lines="x 3-1 0" linenums="no"')).toEqual({
      language: 'js',
      title: undefined,
      highlightLines: [],
      lineNumbersStart: undefined
    })
  })
})

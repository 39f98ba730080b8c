/**
 * Math on the web: KaTeX at build time (HTML plus MathML), invalid TeX shown
 * as source with a warning at its line, KaTeX's CSS and fonts listed for
 * publishing.
 */
import {existsSync, readFileSync} from 'node:fs'
import {VFile} from 'vfile'
import {describe, expect, it, vi} from 'vitest'
import {renderFragment} from '../src/index.js'
import {createParser, parseFile} from '../src/source/parse.js'
import {toWebHast, webHastToHtml} from '../src/web/render.js'
import {katexAssets, renderMath} from '../src/web/handlers/math.js'
import {createWebRenderContext, type WebRenderContextOptions} from '../src/web/handlers/render-context.js'

const parser = createParser()

async function render(markdown: string, options: WebRenderContextOptions = {}) {
  const file = new VFile({value: markdown, path: 'input.md'})
  const tree = await parseFile(parser, file)
  const context = createWebRenderContext(options)
  const html = webHastToHtml(toWebHast(tree, {handlers: context.handlers({file})}))
  return {html, messages: file.messages}
}

describe('math on the web', () => {
  it('should render inline math as KaTeX HTML with MathML', async () => {
    const {html, messages} = await render('The loss is $L = -\\log p$ per token.\n')
    expect(messages).toEqual([])
    expect(html).toMatch(/^<p>The loss is <span class="katex"><span class="katex-mathml"><math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML">/)
    expect(html).toContain('<annotation encoding="application/x-tex">L = -\\log p</annotation>')
    expect(html).toContain('<span class="katex-html" aria-hidden="true">')
    expect(html).toMatch(/<\/span> per token\.<\/p>$/)
  })

  it('should render display math in a block', async () => {
    const {html} = await render('Softmax:\n\n$$\n\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}\n$$\n')
    expect(html).toContain('<div class="math math-display"><span class="katex-display"><span class="katex">')
    expect(html).toContain('<mfrac>')
    expect(html).toContain('display="block"')
  })

  it('should show invalid TeX as its source and report its line', async () => {
    const markdown = 'Fine: $a+b$.\n\nBroken inline: $\\frac{1}{$ here.\n\n$$\n\\begin{matrix} a & b\n$$\n'
    const {html, messages} = await render(markdown)
    expect(html).toContain('<code class="math-error" title="')
    expect(html).toContain('>\\frac{1}{</code> here.')
    expect(html).toContain('<pre class="math math-display"><code class="math-error"')
    expect(html).toContain('>\\begin{matrix} a &#x26; b</code></pre>')
    expect(messages.map((message) => [message.line, message.column, message.ruleId])).toEqual([
      [3, 16, 'math-invalid'],
      [5, 1, 'math-invalid']
    ])
    expect(messages[0]?.reason).toMatch(/^Invalid TeX, shown as source: .+/)
  })

  it('should return the error of a formula for callers without a file', () => {
    const result = renderMath('x^', false)
    expect(result.error).toMatch(/Expected group/)
    expect(result.nodes).toHaveLength(1)
    expect(renderMath('x^2', false).error).toBeUndefined()
  })

  it('should keep quiet about KaTeX strict-mode notes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const {html, messages} = await render('Accuracy $é = 0.9$.\n')
      expect(html).toContain('class="katex"')
      expect(messages).toEqual([])
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it('should apply configured macros and not leak \\gdef between formulas', async () => {
    const {html, messages} = await render('$\\gdef\\W{w} \\W$ then $\\RR$ then $\\W$\n', {
      mathMacros: {'\\RR': '\\mathbb{R}'}
    })
    expect(html).toContain('<mi mathvariant="double-struck">R</mi>')
    // The third formula does not see the first one's `\gdef`.
    expect(messages.map((message) => message.ruleId)).toEqual(['math-invalid'])
    expect(html).toContain('<code class="math-error" title="Undefined control sequence: \\W">\\W</code>')
  })

  it('should render math in renderFragment without a build context', async () => {
    const html = await renderFragment('$$\nE = mc^2\n$$\n\nand $\\frac{1}{$\n')
    expect(html).toContain('<div class="math math-display">')
    expect(html).toContain('<code class="math-error"')
  })
})

describe('katexAssets', () => {
  it('should list the stylesheet and every font it refers to, under assets/katex/', () => {
    const assets = katexAssets()
    for (const asset of assets) {
      expect(existsSync(asset.from)).toBe(true)
      expect(asset.to).toMatch(/^assets\/katex\/(katex\.min\.css|fonts\/[\w-]+\.(woff2|woff|ttf))$/)
    }
    const css = assets.find((asset) => asset.to === 'assets/katex/katex.min.css')
    expect(css).toBeDefined()
    const published = new Set(assets.map((asset) => asset.to))
    const referenced = [...readFileSync(css?.from ?? '', 'utf8').matchAll(/url\((fonts\/[^)]+)\)/g)]
    expect(referenced.length).toBeGreaterThan(0)
    for (const [, url] of referenced) expect(published.has('assets/katex/' + url)).toBe(true)
  })
})

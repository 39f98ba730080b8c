/**
 * `rawHtml: sanitize` through the CLI: a post whose raw HTML tries to cover
 * the page, clobber globals, run script and load frames is built; the pages
 * and the email keep none of it, while everything letterpress renders
 * (tabs, heading anchors, code, admonitions, footnotes, math, keys) is byte
 * for byte what a build of the post without raw HTML gives.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import {SKIP, visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createParser, parseFile} from '../src/source/parse.js'
import {createHighlight, type Highlight} from '../src/render/highlight.js'
import {renderEmailHtml} from '../src/email/render.js'
import {toWebHast, webHastToHtml} from '../src/web/render.js'
import {secureHast} from '../src/web/safety.js'
import {postMarkdown} from './fixtures/raw-html-sanitize/post.js'
import {hasClass, textOf} from './helpers/fixtures.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const pagePath = ['site', 'posts', 'socks', 'index.html']
let work: string

/** Build a one-post site with the CLI; returns OUT. */
function buildSite(name: string, options: {hostile: boolean; rawHtml?: 'sanitize'}): string {
  const root = path.join(work, name)
  fs.mkdirSync(path.join(root, 'posts'), {recursive: true})
  fs.writeFileSync(path.join(root, 'posts', 'socks.md'), postMarkdown({hostile: options.hostile}))
  fs.writeFileSync(
    path.join(root, 'letterpress.yml'),
    `title: Socks\nbaseUrl: https://socks.example/\n${options.rawHtml ? `rawHtml: ${options.rawHtml}\n` : ''}`
  )
  const result = spawnSync(process.execPath, [bin, 'build', '--root', root], {encoding: 'utf8', timeout: 120_000})
  expect(result.status, result.stdout + result.stderr).toBe(0)
  return path.join(root, 'dist')
}

/** The post's body (`.post-content`) from a built page. */
function postContent(out: string): Element {
  const tree = fromHtml(fs.readFileSync(path.join(out, ...pagePath), 'utf8'))
  let found: Element | undefined
  visit(tree, 'element', (node: Element) => {
    if (!found && hasClass(node, 'post-content')) found = node
  })
  if (!found) throw new Error('no .post-content in the page')
  return found
}

/** Whether an element is one letterpress renders for a construct of the dialect. */
function isDialectConstruct(node: Element): boolean {
  return (
    ['h2', 'pre', 'sup', 'table', 'kbd', 'section', 'details'].includes(node.tagName) ||
    ['tabbed-set', 'admonition', 'katex', 'contains-task-list', 'keys'].some((name) => hasClass(node, name))
  )
}

/**
 * The HTML of every outermost dialect construct in `body`, in order. Inside
 * code, the tokens are left out (their text kept): Shiki stops splitting a
 * line into tokens after 500 ms, which a busy machine can reach in either
 * build and which says nothing about raw HTML; the `pre` and `code` with
 * their attributes are compared.
 */
function constructs(body: Element): string[] {
  const found: string[] = []
  visit(body, 'element', (node: Element) => {
    if (node === body || !isDialectConstruct(node)) return undefined
    const copy = structuredClone(node)
    visit(copy, 'element', (code: Element) => {
      if (code.tagName !== 'code' || copy.tagName !== 'pre') return undefined
      code.children = [{type: 'text', value: textOf(code)}]
      return SKIP
    })
    found.push(toHtml(copy))
    return SKIP
  })
  return found
}

/** Every element under `tree`, with the tag names and classes of its ancestors. */
function elements(tree: Element): Array<{node: Element; within: string[]}> {
  const list: Array<{node: Element; within: string[]}> = []
  const walk = (parent: Element, within: string[]) => {
    for (const child of parent.children) {
      if (child.type !== 'element') continue
      list.push({node: child, within})
      const classes = Array.isArray(child.properties['className']) ? child.properties['className'].map(String) : []
      walk(child, [...within, child.tagName, ...classes])
    }
  }
  walk(tree, [])
  return list
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-raw-html-'))
})

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

describe('rawHtml: sanitize', () => {
  let sanitized: string
  let clean: string

  beforeAll(() => {
    sanitized = buildSite('sanitized', {hostile: true, rawHtml: 'sanitize'})
    clean = buildSite('clean', {hostile: false})
  }, 240_000)

  it("should render letterpress's own constructs byte for byte as a build without raw HTML does", () => {
    const expected = constructs(postContent(clean))
    expect(expected.length).toBeGreaterThan(8)
    expect(constructs(postContent(sanitized))).toEqual(expected)
  })

  it('should keep the attributes the theme and readers rely on', () => {
    const html = toHtml(postContent(sanitized))
    expect(html).toMatch(/<input checked id="__tabbed_1_1" name="__tabbed_1" type="radio">/)
    expect(html).toMatch(/<input id="__tabbed_1_2" name="__tabbed_1" type="radio">/)
    expect(html).toMatch(/<a class="headerlink" href="#buckets-first"/)
    expect(html).toMatch(/<pre class="shiki[^"]*"[^>]*tabindex="0"><code class="language-js">/)
  })

  it("should leave no style, handler, script, frame, form or clobbering name of the author's in any page or feed", () => {
    const site = path.join(sanitized, 'site')
    const outputs = (fs.readdirSync(site, {recursive: true, encoding: 'utf8'}) as string[]).filter((file) =>
      /\.(html|xml|json)$/.test(file)
    )
    expect(outputs.length).toBeGreaterThan(4)
    for (const file of outputs) {
      const text = fs.readFileSync(path.join(site, file), 'utf8')
      const needles = ['position:fixed', 'border:9px', 'color:#c00', 'onclick', 'javascript:', 'window.ran', 'display: none', 'elsewhere.example/frame']
      for (const needle of needles) expect(text, `${needle} in ${file}`).not.toContain(needle)
      // Feeds carry the HTML escaped, as XML or JSON text.
      expect(text, file).not.toMatch(/(?:<|&lt;|\\u003c)(?:iframe|form|style)\b/i)
      expect(text, file).not.toMatch(/\b(?:name|id)=(?:\\?"|&quot;)(?:querySelectorAll|getElementById|x)(?:\\?"|&quot;)/)
    }
  })

  it('should give every id and name of the author the user-content- prefix, and keep styles only in code and math', () => {
    const cleanIds = new Set(elements(postContent(clean)).flatMap(({node}) => [node.properties['id'], node.properties['name']].map(String)))
    for (const {node, within} of elements(postContent(sanitized))) {
      for (const key of ['id', 'name']) {
        const value = node.properties[key]
        if (value === undefined) continue
        expect(cleanIds.has(String(value)) || String(value).startsWith('user-content-'), `${key}="${String(value)}" on <${node.tagName}>`).toBe(true)
      }
      if (node.properties['style'] !== undefined) {
        expect(within.includes('pre') || within.includes('katex') || node.tagName === 'pre', `style on <${node.tagName}>`).toBe(true)
      }
      expect(Object.keys(node.properties).filter((key) => /^on/i.test(key))).toEqual([])
    }
    const html = toHtml(postContent(sanitized))
    expect(html).toContain('name="user-content-querySelectorAll"')
    expect(html).toContain('<a href="https://elsewhere.example/">Covering link</a>')
  })

  it("should point the post's own links at the author's prefixed anchors", () => {
    const html = toHtml(postContent(sanitized))
    expect(html).toContain('<a href="#user-content-landing">the landing spot</a>')
    expect(html).toContain('<a id="user-content-landing">Landing spot</a>')
    expect(html).toContain('<a href="#user-content-old-landing">the old anchor</a>')
    expect(html).toContain('<a name="user-content-old-landing">an old-style anchor</a>')
  })

  it("should keep the author's styles out of the email and letterpress's own in it", () => {
    const issue = fs.readdirSync(path.join(sanitized, 'email'))[0]!
    const email = fs.readFileSync(path.join(sanitized, 'email', issue, 'issue.html'), 'utf8')
    const linkStyle = /<a href="https:\/\/socks\.example\/posts\/socks\/#landing[^"]*" style="([^"]+)"/.exec(email)?.[1]
    expect(linkStyle, 'the style letterpress gives links').toBeTruthy()
    expect(email).toContain(`<a href="https://elsewhere.example/" style="${linkStyle}">Covering link</a>`)
    expect(email).not.toContain('#c00')
    expect(email).not.toContain('9px solid')
    expect(email).toMatch(/<p style="[^"]+">A paragraph with a handler/)
  })
})

describe('sanitizing the author\'s HTML in one post', () => {
  const parser = createParser()

  async function render(markdown: string, sanitize: boolean): Promise<string> {
    const tree = await parseFile(parser, new VFile({path: 'post.md', value: markdown}))
    return webHastToHtml(secureHast(toWebHast(tree), {sanitize}))
  }

  it("should leave letterpress's markup inside an author's element as it is rendered without one", async () => {
    const tabs = '=== "A"\n\n    one\n\n=== "B"\n\n    two'
    const plain = await render(tabs, false)
    const wrapped = await render(`<details style="color:red"><summary>More</summary>\n\n${tabs}\n\n</details>`, true)
    expect(wrapped).toBe(`<details><summary>More</summary>\n${plain}\n</details>`)
  })

  it("should clean the author's inline HTML inside letterpress's constructs", async () => {
    const html = await render('!!! note\n    In <span style="position:fixed" id="k" onmouseover="x()">here</span>\n', true)
    expect(html).toBe('<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>In <span id="user-content-k">here</span></p>\n</div>')
  })

  it("should not let the author's HTML pass itself off as letterpress's", async () => {
    const html = await render('<b style="color:red" data-letterpress-own="1">bold</b>', true)
    expect(html).toBe('<p><b>bold</b></p>')
  })

  it('should keep the id of a heading and link to it rather than to an author id of the same name', async () => {
    const html = await render('## Title {#x}\n\n<a id="x">also x</a> [go](#x)', true)
    expect(html).toContain('<h2 id="x">')
    expect(html).toContain('<a id="user-content-x">also x</a> <a href="#x">go</a>')
  })
})

describe("sanitizing the author's HTML in the email", () => {
  const parser = createParser()
  let highlight: Highlight

  beforeAll(async () => {
    highlight = await createHighlight()
  })

  async function render(markdown: string, sanitizeRawHtml: boolean): Promise<string> {
    const tree = await parseFile(parser, new VFile({path: 'post.md', value: markdown}))
    await highlight.prepare([tree])
    return renderEmailHtml(tree, {baseUrl: 'https://socks.example/', highlight, sanitizeRawHtml})
  }

  it("should drop the author's styles and keep letterpress's, also inside the author's element", async () => {
    const content = '!!! warning "Odd one"\n    A sock is missing.\n\n```python\ndef pair(socks):\n    return sorted(socks)\n```'
    const admonition = (html: string) => /<table[^]*?Odd one[^]*?<\/table>/.exec(html)?.[0]
    const plain = await render(content, true)
    const wrapped = await render(`<div style="background:#c00;padding:40px">\n\n${content}\n\n</div>`, true)
    expect(admonition(plain), 'the admonition').toBeTruthy()
    expect(admonition(wrapped)).toBe(admonition(plain))
    // The highlighter's colours are set before raw HTML is parsed: they are letterpress's too.
    expect(wrapped).toMatch(/<pre class="lp-code" style="[^"]+"><code class="lp-code-body"><span style="color:#[0-9a-f]{6}">def/)
    expect(wrapped).toMatch(/^<div class="lp-content" style="[^"]+">\s*<div>/)
    expect(wrapped).not.toMatch(/#c00|40px/)
  })

  it("should keep the author's presentational styles in the default mode", async () => {
    const html = await render('<p style="background:#c00">Red</p>', false)
    expect(html).toContain('background:#c00')
    expect(await render('<p style="background:#c00">Red</p>', true)).not.toContain('#c00')
  })
})

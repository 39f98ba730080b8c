/**
 * Highlighting gives the same colours for the same block whatever the
 * clock does and whatever else the process highlighted: no per-line time
 * limit, one bound by length instead (a longer line is shown plain with a
 * `code-line-too-long` warning), and each language highlighted by grammars
 * of its own.
 */
import type {Element, ElementContent} from 'hast'
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest'
import v8 from 'node:v8'
import {EmulatedRegExp} from 'oniguruma-to-es'
import {defaultJavaScriptRegexConstructor} from 'shiki/engine/javascript'
import {createHighlight, maxHighlightedLineLength, regexesLearnt, type Highlight} from '../src/render/highlight.js'
import {createParser, parseFile} from '../src/source/parse.js'
import {toWebHast, webHastToHtml} from '../src/web/render.js'
import {createWebRenderContext} from '../src/web/handlers/render-context.js'
import {removeBuiltSites, tempSite} from './helpers/site.js'

const parser = createParser()

afterEach(() => {
  vi.restoreAllMocks()
})
afterAll(() => removeBuiltSites())

function codeTree(...blocks: Array<[lang: string, value: string]>): Root {
  return {type: 'root', children: blocks.map(([lang, value]) => ({type: 'code', lang, meta: null, value}))}
}

/** Every `span.line` of a highlighted `<pre>`. */
function lines(pre: Element): Element[] {
  const code = pre.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code')!
  return code.children.filter((child): child is Element => child.type === 'element')
}

/** The tokens of one line that carry a colour. */
function coloured(line: Element): ElementContent[] {
  return line.children.filter((token) => token.type === 'element' && typeof token.properties['style'] === 'string')
}

/** A clock that jumps a second each time it is read, as a machine too busy to run the tokenizer would look. */
function jumpingClock(): void {
  let now = Date.now()
  vi.spyOn(Date, 'now').mockImplementation(() => (now += 1000))
}

/** Minified-looking TypeScript, `length` characters on one line, ending in a string. */
function longTypeScriptLine(length: number): string {
  const unit = 'const v=new Map<string,number[]>([["k",[1,2,3]]]);let w=v.get("k")??[];'
  const end = 'export const last = "tail"'
  return (unit.repeat(Math.ceil(length / unit.length)).slice(0, length - end.length - 1) + ';' + end).slice(-length)
}

async function prepared(...blocks: Array<[lang: string, value: string]>): Promise<Highlight> {
  const highlight = await createHighlight()
  await highlight.prepare([codeTree(...blocks)])
  return highlight
}

describe('highlighting without a time limit', () => {
  it('should colour a block the same when the clock jumps a second at every reading', async () => {
    const code = 'interface Run {\n  id: string\n  loss: number[]\n}\nexport function best(runs: Run[]): Run | undefined {\n  return runs.toSorted((a, b) => Math.min(...a.loss) - Math.min(...b.loss))[0]\n}'
    const highlight = await prepared(['ts', code])
    const calm = JSON.stringify(highlight.highlight(code, 'ts'))
    jumpingClock()
    const busy = JSON.stringify(highlight.highlight(code, 'ts'))
    expect(vi.mocked(Date.now)).toHaveBeenCalled()
    expect(busy).toBe(calm)
  })

  it('should colour a line of the longest highlighted length to its end, the same twice, with a jumping clock', async () => {
    const line = longTypeScriptLine(maxHighlightedLineLength)
    expect(line).toHaveLength(maxHighlightedLineLength)
    const highlight = await prepared(['typescript', line])
    expect(highlight.plainLines(line, 'typescript')).toEqual([])
    jumpingClock()
    const first = highlight.highlight(line, 'typescript', {colors: 'inline'})
    const second = highlight.highlight(line, 'typescript', {colors: 'inline'})
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
    const tokens = coloured(lines(first)[0]!)
    // The closing string is tokenized as a string, in the theme's string colour.
    const last = tokens.at(-1) as Element
    expect(last.children).toEqual([{type: 'text', value: expect.stringMatching(/^ ?"tail"$/)}])
    expect(last.properties['style']).toBe('color:#0A3069')
  })
})

describe('lines too long to highlight', () => {
  async function renderWeb(markdown: string) {
    const file = new VFile({value: markdown, path: 'posts/long.md'})
    const tree = await parseFile(parser, file)
    const highlight = await createHighlight()
    await highlight.prepare([tree])
    const html = webHastToHtml(toWebHast(tree, {handlers: createWebRenderContext({highlight}).handlers({file})}))
    return {html, messages: file.messages, highlight}
  }

  it('should show a line over the limit plain, the lines around it coloured, with a warning at the block naming the line', async () => {
    const long = longTypeScriptLine(maxHighlightedLineLength + 1)
    const markdown = `# Long\n\nText.\n\n\`\`\`ts\nconst first = 1\n${long}\nconst after = "x"\n\`\`\`\n`
    const {html, messages, highlight} = await renderWeb(markdown)
    expect(messages.map((message) => [message.line, message.column, message.ruleId])).toEqual([[5, 1, 'code-line-too-long']])
    expect(messages[0]!.reason).toContain(`line 2 of this block is longer than ${maxHighlightedLineLength} characters`)

    // The same on the web (theme variables) and in email (inline colours).
    for (const colors of ['variables', 'inline'] as const) {
      const pre = highlight.highlight(`const first = 1\n${long}\nconst after = "x"`, 'ts', {colors})
      const [first, middle, last] = lines(pre)
      expect(coloured(first!).length).toBeGreaterThan(0)
      expect(middle!.children).toEqual([{type: 'element', tagName: 'span', properties: {}, children: [{type: 'text', value: long}]}])
      expect(coloured(last!).length).toBeGreaterThan(0)
    }
    expect(html).toContain(long.replaceAll('<', '&#x3C;'))
  })

  it('should name every long line of a block in one warning, and none for plain text', async () => {
    const long = 'x'.repeat(maxHighlightedLineLength + 1)
    const markdown = `\`\`\`python\n${long}\nok = 1\n${long}\n\`\`\`\n\n\`\`\`text\n${long}\n\`\`\`\n`
    const {messages} = await renderWeb(markdown)
    expect(messages.map((message) => [message.line, message.ruleId])).toEqual([[1, 'code-line-too-long']])
    expect(messages[0]!.reason).toContain('lines 1, 3 of this block are longer')
  })

  it('should warn once for a long line in a block the excerpt shows too', async () => {
    const long = 'total = ' + '1 + '.repeat(maxHighlightedLineLength / 4) + '1'
    const {result} = await tempSite({
      'long.md': `---\ntitle: Long\ndate: 2026-03-02\n---\n\nIntro.\n\n\`\`\`python\n${long}\n\`\`\`\n\n<!-- more -->\n\nRest.\n`
    })
    const found = result.diagnostics.filter((entry) => entry.rule === 'code-line-too-long')
    expect(found.map((entry) => [entry.file, entry.line, entry.column])).toEqual([['posts/long.md', 8, 1]])
  })
})

describe('highlighting one language apart from the others', () => {
  it('should colour a markdown block the same before and after python and vue blocks were prepared', async () => {
    const markdown = '# Setup\n\nRun {{ step }} first:\n\n```python\ndef train(epochs=3):\n    return "done"\n```\n\n<div v-if="ready">ok</div>\n'
    const highlight = await prepared(['markdown', markdown])
    const before = JSON.stringify(highlight.highlight(markdown, 'markdown'))
    await highlight.prepare([codeTree(['python', 'x = 1'], ['vue', '<template><p>{{ x }}</p></template>'])])
    expect(JSON.stringify(highlight.highlight(markdown, 'markdown'))).toBe(before)
    const fresh = await prepared(['markdown', markdown])
    expect(JSON.stringify(fresh.highlight(markdown, 'markdown'))).toBe(before)
  })

  it('should colour a language the same by its alias and by its name', async () => {
    const code = 'import os\nprint(os.getcwd())'
    const highlight = await prepared(['py', code], ['python', code])
    expect(JSON.stringify(highlight.highlight(code, 'py'))).toBe(JSON.stringify(highlight.highlight(code, 'python')))
  })
})

describe('patterns kept between builds', () => {
  it('should make from stored details the very regexes Shiki makes of each pattern', async () => {
    const highlight = await createHighlight()
    // Grammars between them with recursive patterns and patterns longer than the lazily compiled length.
    const blocks: Array<[string, string]> = [
      ['python', 'def f(x):\n    return {"a": [x, 1.5e3]}  # done\n'],
      ['ruby', 'def greet(name) = puts "hi #{name}"\n'],
      ['cpp', 'template <typename T> auto f(T x) -> decltype(x) { return x; }\n'],
      ['php', '<?php function f(array $a): ?int { return $a[0] ?? null; }\n'],
      ['typescript', 'const f = <T,>(x: T): T => x satisfies T\n'],
      ['shellscript', 'for f in *.md; do echo "${f%.md}"; done\n']
    ]
    await highlight.prepare([{type: 'root', children: blocks.map(([lang, value]) => ({type: 'code', lang, value}))} satisfies Root])
    for (const [lang, value] of blocks) highlight.highlight(value, lang)
    const {entries} = regexesLearnt()
    expect(entries.length).toBeGreaterThan(50)
    // As the memo keeps them: serialised and read back.
    const stored = v8.deserialize(v8.serialize(entries)) as typeof entries
    let emulated = 0
    for (const [pattern, details] of stored) {
      const taken = details.options ? new EmulatedRegExp(details.pattern, details.flags, details.options) : new RegExp(details.pattern, details.flags)
      const shikis = defaultJavaScriptRegexConstructor(pattern, {target: 'auto'})
      expect([taken.source, taken.flags, taken.constructor.name], pattern).toEqual([shikis.source, shikis.flags, shikis.constructor.name])
      if (shikis instanceof EmulatedRegExp) {
        emulated++
        expect((taken as EmulatedRegExp).rawOptions, pattern).toEqual(shikis.rawOptions)
      }
    }
    expect(emulated).toBeGreaterThan(0)
  })
})

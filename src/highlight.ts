/**
 * The Shiki highlighter of a build: themes loaded once, grammars loaded
 * lazily (only the languages the posts use), then highlighting is
 * synchronous, as mdast-to-hast handlers must be.
 *
 * Uses Shiki's JavaScript regex engine: it handles every grammar the posts
 * are likely to use (python, yaml, bash, sql, json, ts, js, toml,
 * dockerfile, diff, ...) without loading a wasm Oniguruma, so start-up is
 * a few milliseconds.
 */
import type {Element, ElementContent, Properties, Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import {createHighlighterCore} from 'shiki/core'
import {createJavaScriptRegexEngine} from 'shiki/engine/javascript'
import {bundledLanguages} from 'shiki/langs'
import {bundledThemes} from 'shiki/themes'
import {visit} from 'unist-util-visit'
import {fenceInfo} from './web/code.js'

/** Options for `createHighlight`. */
export interface HighlightOptions {
  /** Bundled Shiki theme for light mode (default `github-light-default`, AA contrast on the theme's code background). */
  light?: string
  /** Bundled Shiki theme for dark mode (default `github-dark-default`). */
  dark?: string
}

/** How one code block is highlighted. */
export interface HighlightCodeOptions {
  /** 1-based lines (counted from the block's first line) to mark `highlighted`. */
  highlightLines?: ReadonlySet<number> | undefined
  /** Number the lines starting at this number (no numbers when absent). */
  lineNumbersStart?: number | undefined
  /** Extra classes for the `<code>` element (`language-python`). */
  codeClassName?: string[] | undefined
  /**
   * `variables` (default): both themes as `--shiki-light` / `--shiki-dark`
   * CSS variables, no colour without the theme CSS. `inline`: the light
   * theme as plain `color:` styles, for targets without stylesheets (email).
   */
  colors?: 'variables' | 'inline'
}

/** A ready highlighter: `prepare` the trees, then highlight synchronously. */
export interface Highlight {
  /** The bundled theme names in use. */
  readonly themes: {readonly light: string; readonly dark: string}
  /**
   * Load the grammar of every language the code blocks of `trees` name.
   * Unknown names are skipped (they render as plain text). Safe to call
   * again with more trees (the dev server does): loaded grammars stay.
   */
  prepare(trees: Iterable<Root>): Promise<void>
  /**
   * The name Shiki knows `name` by (lower-cased; aliases such as `py` and
   * `sh` kept), `text` for plain-text names, `undefined` when unknown.
   */
  language(name: string): string | undefined
  /**
   * Highlight one block to a `<pre class="shiki">` element. A language that
   * is unknown or was not prepared renders as plain (escaped) text in the
   * same frame, so a block never fails to render.
   */
  highlight(code: string, language: string | undefined, options?: HighlightCodeOptions): Element
}

/** Names Shiki renders as plain text without a grammar. */
const plainLanguages = new Set(['text', 'txt', 'plain', 'plaintext'])

/**
 * Create the highlighter of a build. Call once per build (or per process)
 * and reuse it for every post.
 */
export async function createHighlight(options: HighlightOptions = {}): Promise<Highlight> {
  const themes = {light: options.light ?? 'github-light-default', dark: options.dark ?? 'github-dark-default'}
  const highlighter = await createHighlighterCore({
    themes: await Promise.all([loadTheme(themes.light), loadTheme(themes.dark)]),
    langs: [],
    engine: createJavaScriptRegexEngine()
  })
  const loaded = new Set<string>(['text'])
  const loading = new Map<string, Promise<void>>()

  function language(name: string): string | undefined {
    const lower = name.toLowerCase()
    if (plainLanguages.has(lower)) return 'text'
    return Object.hasOwn(bundledLanguages, lower) ? lower : undefined
  }

  async function load(name: string): Promise<void> {
    let pending = loading.get(name)
    if (!pending) {
      const loader = bundledLanguages[name as keyof typeof bundledLanguages]
      pending = highlighter.loadLanguage(loader).then(() => {
        loaded.add(name)
      })
      loading.set(name, pending)
    }
    return pending
  }

  return {
    themes,
    language,
    async prepare(trees) {
      const wanted = new Set<string>()
      for (const tree of trees) {
        visit(tree, 'code', (node) => {
          const info = fenceInfo(node.lang, node.meta)
          const name = info.language === undefined ? undefined : language(info.language)
          if (name !== undefined && !loaded.has(name)) wanted.add(name)
        })
      }
      await Promise.all([...wanted].map(load))
    },
    highlight(code, name, codeOptions = {}) {
      const lang = name !== undefined && loaded.has(name) ? name : 'text'
      const hast =
        codeOptions.colors === 'inline'
          ? highlighter.codeToHast(code, {lang, theme: themes.light})
          : highlighter.codeToHast(code, {
              lang,
              themes: {light: themes.light, dark: themes.dark},
              defaultColor: false
            })
      return decorate(hast, codeOptions)
    }
  }
}

async function loadTheme(name: string) {
  if (!Object.hasOwn(bundledThemes, name)) {
    throw new Error(`Unknown Shiki theme \`${name}\`: use one of Shiki's bundled theme names`)
  }
  const module = await bundledThemes[name as keyof typeof bundledThemes]()
  return module.default
}

/**
 * Normalise Shiki's hast (it writes `class` strings; hast tools expect
 * `className` lists) and add line classes, line numbers and code classes.
 */
function decorate(hast: HastRoot, options: HighlightCodeOptions): Element {
  visit(hast, 'element', (node) => {
    const value = node.properties['class']
    if (typeof value === 'string') {
      delete node.properties['class']
      node.properties = {className: value.split(/\s+/).filter(Boolean), ...node.properties}
    }
  })
  const pre = hast.children.find((node): node is Element => node.type === 'element')
  if (!pre) throw new Error('Shiki returned no <pre> element')
  const code = pre.children.find((node): node is Element => node.type === 'element')
  if (!code) return pre

  if (options.codeClassName?.length) {
    code.properties.className = [...classList(code.properties), ...options.codeClassName]
  }

  const start = options.lineNumbersStart
  if (start !== undefined) pre.properties.className = [...classList(pre.properties), 'linenums']

  let number = 0
  for (const line of code.children) {
    if (line.type !== 'element' || !classList(line.properties).includes('line')) continue
    number++
    if (options.highlightLines?.has(number)) {
      line.properties.className = [...classList(line.properties), 'highlighted']
    }
    if (start !== undefined) {
      // The number lives in an attribute shown by CSS (`content:
      // attr(data-linenos)`), as pymdownx's inline style does, so copying the
      // code never copies the numbers.
      const lineNumber: ElementContent = {
        type: 'element',
        tagName: 'span',
        properties: {className: ['linenos'], dataLinenos: String(start + number - 1)},
        children: []
      }
      line.children.unshift(lineNumber)
    }
  }
  return pre
}

function classList(properties: Properties): string[] {
  const value: unknown = properties['className']
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

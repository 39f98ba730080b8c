/**
 * The Shiki highlighter of a build: themes loaded once, grammars loaded
 * lazily (only the languages the posts use), then highlighting is
 * synchronous, as mdast-to-hast handlers must be.
 *
 * Uses Shiki's JavaScript regex engine: it handles every grammar the posts
 * are likely to use (python, yaml, bash, sql, json, ts, js, toml,
 * dockerfile, diff, ...) without loading a wasm Oniguruma, so start-up is
 * a few milliseconds.
 *
 * The colours of a block depend on its text and language only, never on
 * the clock or on what else the process has highlighted:
 * - no time limit per line (Shiki's default of 500 ms leaves the rest of a
 *   line uncoloured when the machine is busy); a line longer than
 *   `maxHighlightedLineLength` is shown plain instead, and `plainLines`
 *   names it so the handler can warn;
 * - each language has its own Shiki instance holding that language's
 *   grammars and no others. In one shared instance, loading a language
 *   changes others: markdown colours a fenced python block only once python
 *   is loaded, vue's grammars inject into markdown and HTML. Which languages
 *   a worker thread has loaded depends on which posts it happened to get.
 */
import type {Element, ElementContent, Properties, Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import {createHighlighterCore, type HighlighterCore} from 'shiki/core'
import {createJavaScriptRegexEngine} from 'shiki/engine/javascript'
import {EmulatedRegExp, toRegExpDetails} from 'oniguruma-to-es'
import {bundledLanguages, bundledLanguagesInfo} from 'shiki/langs'
import {bundledThemes} from 'shiki/themes'
import {visit} from '../syntax/walk.js'
import {fenceInfo} from './fence.js'

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
  /** The longest line that is highlighted (`maxHighlightedLineLength`). */
  readonly maxLineLength: number
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
  /**
   * The 1-based lines of `code` that `highlight` shows plain because they
   * are longer than `maxHighlightedLineLength` (none for plain text).
   */
  plainLines(code: string, language: string | undefined): number[]
}

/**
 * The longest line, in UTF-16 code units (JavaScript's string length, as
 * Shiki counts), that is highlighted; a longer line is shown plain. Long
 * enough for any hand-written code, short enough that the slowest bundled
 * grammars take a fraction of a second on it (minified JavaScript of this
 * length takes about 150 ms).
 */
export const maxHighlightedLineLength = 5000

/**
 * Shiki's options for every block: no time limit (0 turns it off in
 * vscode-textmate), and the length bound. Shiki leaves a line plain when its
 * length is at least `tokenizeMaxLineLength`, hence the one added.
 */
const tokenizeOptions = {tokenizeTimeLimit: 0, tokenizeMaxLineLength: maxHighlightedLineLength + 1}

/** Names Shiki renders as plain text without a grammar. */
const plainLanguages = new Set(['text', 'txt', 'plain', 'plaintext'])

/** Each bundled language's id, by its id and by each of its aliases (`py` -> `python`). */
const languageIds = new Map<string, string>(
  bundledLanguagesInfo.flatMap((info) => [info.id, ...(info.aliases ?? [])].map((name) => [name, info.id] as const))
)

/** How one Oniguruma pattern reads as a JavaScript regex (oniguruma-to-es's `toRegExpDetails`): plain data, kept between builds. */
export type RegexDetails = ReturnType<typeof toRegExpDetails>

/**
 * The grammars' patterns as JavaScript regexes, by pattern, for this
 * process. Turning a grammar's Oniguruma patterns into JavaScript is most
 * of what a process's first highlighted block costs (some 45 ms for a
 * language at the first edit of a build), and the result depends on the
 * pattern alone: a build takes back what earlier builds worked out
 * (`rememberRegexes`) and keeps what it added (`regexesLearnt`).
 */
const regexes = new Map<string, RegexDetails>()
let regexesAdded = 0

/** Take patterns worked out before (by an earlier build of the same letterpress). */
export function rememberRegexes(entries: Iterable<readonly [string, RegexDetails]>): void {
  for (const [pattern, details] of entries) if (!regexes.has(pattern)) regexes.set(pattern, details)
}

/** Every pattern this process knows, and how many it worked out itself so far. */
export function regexesLearnt(): {entries: Array<[string, RegexDetails]>; added: number} {
  return {entries: [...regexes], added: regexesAdded}
}

/**
 * Shiki's own conversion (`defaultJavaScriptRegexConstructor` with its
 * default target), through the store above: the same options, so the same
 * regex whether it was worked out now or taken back.
 */
function storedRegex(pattern: string): RegExp {
  let details = regexes.get(pattern)
  if (!details) {
    details = toRegExpDetails(pattern, {
      global: true,
      hasIndices: true,
      lazyCompileLength: 3000,
      rules: {allowOrphanBackrefs: true, asciiWordBoundaries: true, captureGroup: true, recursionLimit: 5, singleline: true},
      target: 'auto'
    })
    regexes.set(pattern, details)
    regexesAdded++
  }
  return details.options ? new EmulatedRegExp(details.pattern, details.flags, details.options) : new RegExp(details.pattern, details.flags)
}

/**
 * Create the highlighter of a build. Call once per build (or per process)
 * and reuse it for every post.
 */
export async function createHighlight(options: HighlightOptions = {}): Promise<Highlight> {
  const themes = {light: options.light ?? 'github-light-default', dark: options.dark ?? 'github-dark-default'}
  const themeModules = await Promise.all([loadTheme(themes.light), loadTheme(themes.dark)])
  // One engine for every instance: its cache of compiled patterns is keyed by the pattern alone.
  const engine = createJavaScriptRegexEngine({regexConstructor: storedRegex})
  const instance = (langs: Parameters<typeof createHighlighterCore>[0]['langs']) =>
    createHighlighterCore({themes: themeModules, langs, engine, warnings: false})
  const plain = await instance([])
  /** The ready instance of each loaded language, by language id. */
  const loaded = new Map<string, HighlighterCore>()
  const loading = new Map<string, Promise<void>>()

  function language(name: string): string | undefined {
    const lower = name.toLowerCase()
    if (plainLanguages.has(lower)) return 'text'
    return Object.hasOwn(bundledLanguages, lower) ? lower : undefined
  }

  async function load(id: string): Promise<void> {
    let pending = loading.get(id)
    if (!pending) {
      const loader = bundledLanguages[id as keyof typeof bundledLanguages]
      pending = instance([loader]).then((highlighter) => {
        loaded.set(id, highlighter)
      })
      loading.set(id, pending)
    }
    return pending
  }

  /** The instance that highlights `name`, or `undefined` for plain text. */
  function highlighterOf(name: string | undefined): HighlighterCore | undefined {
    const id = name === undefined || name === 'text' ? undefined : languageIds.get(name)
    return id === undefined ? undefined : loaded.get(id)
  }

  return {
    themes,
    maxLineLength: maxHighlightedLineLength,
    language,
    async prepare(trees) {
      const wanted = new Set<string>()
      for (const tree of trees) {
        visit(tree, 'code', (node) => {
          const info = fenceInfo(node.lang, node.meta)
          const name = info.language === undefined ? undefined : language(info.language)
          const id = name === undefined ? undefined : languageIds.get(name)
          if (id !== undefined && !loaded.has(id)) wanted.add(id)
        })
      }
      await Promise.all([...wanted].map(load))
    },
    highlight(code, name, codeOptions = {}) {
      const highlighter = highlighterOf(name)
      const lang = highlighter ? name! : 'text'
      const hast =
        codeOptions.colors === 'inline'
          ? (highlighter ?? plain).codeToHast(code, {...tokenizeOptions, lang, theme: themes.light})
          : (highlighter ?? plain).codeToHast(code, {
              ...tokenizeOptions,
              lang,
              themes: {light: themes.light, dark: themes.dark},
              defaultColor: false
            })
      return decorate(hast, codeOptions)
    },
    plainLines(code, name) {
      if (!highlighterOf(name)) return []
      const lines: number[] = []
      code.split(/\r?\n/).forEach((line, index) => {
        if (line.length > maxHighlightedLineLength) lines.push(index + 1)
      })
      return lines
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

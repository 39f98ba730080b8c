/**
 * The Liquid (liquidjs) engine of both channels' templates, over a list of
 * template folders where the first folder holding a file wins. That is how
 * a site's ROOT/templates/web or ROOT/templates/email overrides the
 * built-in templates file by file (a template, a partial, a layout, or an
 * asset).
 *
 * Templates are strict: an unknown variable or filter fails the render with
 * the template's path, line and column (a `TemplateError`), instead of
 * printing nothing. Optional fields are tested with `{% if %}`
 * (`lenientIf`); every other use of an unknown name still fails. Each file
 * is read and compiled once, then reused.
 *
 * Every template has the `t` filter: the site's words in its language
 * (`{{ 'post.next' | t }}`), from the tables of `source/strings`.
 */
import {isWithin} from '../source/paths.js'
import type {StringParams, Strings} from '../source/strings/index.js'
import nodeFs from 'node:fs'
import path from 'node:path'
import {createStrings} from '../source/strings/index.js'
import {Liquid, LiquidError, type FilterImplOptions, type Template} from 'liquidjs'

/** File extension of every template; names are given without it. */
export const templateExtension = '.liquid'

/** A template that failed to compile or render, located in its own file. */
export class TemplateError extends Error {
  /** Absolute path of the template file at fault ('' when unknown). */
  readonly file: string
  /** 1-based line in `file` (0 when unknown). */
  readonly line: number
  /** 1-based column in `file` (0 when unknown). */
  readonly column: number
  /** What went wrong, without the location. */
  readonly reason: string
  /** The template lines around the fault, with a marker (may be ''). */
  readonly frame: string
  /** What was being rendered: a page's site-relative URL, `issue YYYY-MM` ('' when compiling). */
  readonly page: string

  /** Build from the parts; `message` reads `file:line:column: reason (rendering page)`. */
  constructor(parts: {file: string; line: number; column: number; reason: string; frame?: string; page?: string; cause?: unknown}) {
    const place = parts.file ? `${parts.file}:${parts.line}:${parts.column}: ` : ''
    const page = parts.page ? ` (rendering ${parts.page})` : ''
    super(`${place}${parts.reason}${page}`, {cause: parts.cause})
    this.name = 'TemplateError'
    this.file = parts.file
    this.line = parts.line
    this.column = parts.column
    this.reason = parts.reason
    this.frame = parts.frame ?? ''
    this.page = parts.page ?? ''
  }
}

/** Options for `createLiquidFolders`. */
export interface LiquidFoldersOptions {
  /** Folders to look templates up in, highest priority first. Missing folders are fine. */
  dirs: string[]
  /** What the templates are called in the error for a missing one (default `template`; `email template`). */
  kind?: string | undefined
  /** The site's strings, read by the `t` filter (without: English). */
  strings?: Strings | undefined
}

/** Templates of a list of folders, compiled on first use. */
export interface LiquidFolders {
  /** The folders, as absolute paths, highest priority first. */
  readonly dirs: readonly string[]
  /** Every template file read so far (absolute paths). */
  readonly readFiles: ReadonlySet<string>
  /**
   * Render the template `name` (no extension; `issue.mjml` is read from
   * `issue.mjml.liquid`) with `context`. Output is HTML-escaped unless
   * `escape` is false (a plain-text template). `page` names what is being
   * rendered in errors. Throws a `TemplateError` on any template problem.
   */
  render(name: string, context: object, page: string, options?: {escape?: boolean}): Promise<string>
  /** The file `relativePath` is read from: the first folder that holds it, or `undefined`. */
  find(relativePath: string): string | undefined
}

/** Create the templates of `dirs` (first one wins, file by file). Nothing is read until a template is rendered. */
export function createLiquidFolders(options: LiquidFoldersOptions): LiquidFolders {
  const dirs = options.dirs.map((dir) => path.resolve(dir))
  const kind = options.kind ?? 'template'
  // liquidjs tokens of `{{ output }}` expressions carry the source text but not
  // the file name, so remember which file each source came from.
  const sources = new Map<string, string>()
  const readFiles = new Set<string>()
  const fs = createRecordingFs(sources, readFiles)
  const engines = new Map<boolean, Liquid>()
  const compiled = new Map<string, Promise<Template[]>>()

  function engine(escape: boolean): Liquid {
    let found = engines.get(escape)
    if (!found) {
      found = new Liquid({
        root: dirs,
        extname: templateExtension,
        fs,
        cache: true,
        strictVariables: true,
        strictFilters: true,
        lenientIf: true,
        ...(escape ? {outputEscape: 'escape' as const} : {})
      })
      found.registerFilter('t', stringFilter(options.strings ?? createStrings('en'), escape))
      engines.set(escape, found)
    }
    return found
  }

  function compile(name: string, escape: boolean): Promise<Template[]> {
    const key = (escape ? 'html:' : 'text:') + name
    let templates = compiled.get(key)
    if (!templates) {
      templates = engine(escape).parseFile(name)
      compiled.set(key, templates)
      // A failed compile is not cached: a dev server retries after an edit.
      templates.catch(() => compiled.delete(key))
    }
    return templates
  }

  return {
    dirs,
    readFiles,
    async render(name, context, page, renderOptions = {}) {
      const escape = renderOptions.escape ?? true
      if (!findTemplateFile(dirs, name + templateExtension)) {
        throw new TemplateError({
          file: '',
          line: 0,
          column: 0,
          reason: `No ${kind} \`${name}${templateExtension}\` in ${dirs.join(', ')}`,
          page
        })
      }
      try {
        // Rendered synchronously: no filter or tag here waits for anything, and liquidjs's async render wraps every
        // step of every page in a promise (its `toPromise` was the main thread's top function in a cold build).
        const output: unknown = engine(escape).renderSync(await compile(name, escape), context)
        return String(output)
      } catch (error) {
        throw toTemplateError(error, sources, page)
      }
    },
    find(relativePath) {
      return findTemplateFile(dirs, relativePath)
    }
  }
}

/**
 * The `t` filter: `{{ 'pagination.status' | t: page: 2, pages: 5 }}` is the
 * string of that key in the site's language, its placeholders filled from
 * the named arguments. In HTML templates the result is escaped here (so
 * the filter's output is not escaped again): the table's text and every
 * value, except values of placeholders ending in `Html`, which are markup
 * the template made (`{% capture %}` of a link).
 */
function stringFilter(strings: Strings, escape: boolean): FilterImplOptions {
  return {
    raw: escape,
    handler(key: unknown, ...args: unknown[]): string {
      if (typeof key !== 'string' || !strings.has(key)) {
        throw new Error(`Unknown string \`${String(key)}\` for the \`t\` filter: the keys are those of the English table (src/source/strings/en.ts)`)
      }
      const params: Record<string, string | number> = {}
      for (const arg of args) {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') throw new Error(`The \`t\` filter of \`${key}\` takes named values only (\`t: count: 3\`)`)
        const [name, value] = arg as [string, unknown]
        const plain = typeof value === 'number' ? value : name === 'count' && /^\d+$/.test(String(value)) ? Number(value) : String(value ?? '')
        params[name] = escape && !name.endsWith('Html') && typeof plain === 'string' ? escapeHtml(plain) : plain
      }
      return strings.text(key, params, escape ? escapeText : undefined)
    }
  }
}

/** What liquidjs' output escaping does to a value. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
}

/** A table's own text in HTML: what must be escaped in content and in a double-quoted attribute. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;')
}

/**
 * The first folder of `dirs` holding `relativePath`, as an absolute file
 * path: the lookup the templates use, also for files a site may override
 * that are not templates (the web theme's `assets/theme.css`). A path that
 * leaves its folder is found nowhere.
 */
export function findTemplateFile(dirs: readonly string[], relativePath: string): string | undefined {
  for (const dir of dirs) {
    const file = path.resolve(dir, relativePath)
    if (!isWithin(path.resolve(dir), file)) continue
    try {
      if (nodeFs.statSync(file).isFile()) return file
    } catch {
      // Not in this folder: try the next one.
    }
  }
  return undefined
}

/** Whether `file` is under `dir` (not `dir` itself). */
function containedFile(dir: string, file: string): boolean {
  const folder = path.resolve(dir)
  const target = path.resolve(file)
  return target !== folder && isWithin(folder, target)
}

/**
 * A liquidjs file system over node:fs that records each file's source (so
 * errors can name the file) and the files read. It has no
 * `require.resolve` fallback: a missing template is an error, never a file
 * found somewhere in node_modules. A name keeps its own extensions
 * (`issue.mjml` becomes `issue.mjml.liquid`).
 */
function createRecordingFs(sources: Map<string, string>, readFiles: Set<string>) {
  function remember(file: string, text: string): string {
    sources.set(text, file)
    readFiles.add(file)
    return text
  }
  return {
    exists: async (file: string) => nodeFs.promises.stat(file).then((stat) => stat.isFile(), () => false),
    existsSync: (file: string) => {
      try {
        return nodeFs.statSync(file).isFile()
      } catch {
        return false
      }
    },
    readFile: async (file: string) => remember(file, await nodeFs.promises.readFile(file, 'utf8')),
    readFileSync: (file: string) => remember(file, nodeFs.readFileSync(file, 'utf8')),
    resolve: (dir: string, file: string, extension: string) =>
      path.resolve(dir, file.endsWith(extension) ? file : file + extension),
    // A template file is inside a folder: the folder itself is no template.
    contains: async (dir: string, file: string) => containedFile(dir, file),
    containsSync: (dir: string, file: string) => containedFile(dir, file),
    dirname: (file: string) => path.dirname(file),
    sep: path.sep
  }
}

/** Turn whatever liquidjs threw into a `TemplateError` pointing into the template. */
function toTemplateError(error: unknown, sources: Map<string, string>, page: string): TemplateError {
  if (error instanceof TemplateError) return error
  if (!LiquidError.is(error)) {
    const reason = error instanceof Error ? error.message : String(error)
    return new TemplateError({file: '', line: 0, column: 0, reason, page, cause: error})
  }
  const token = error.token
  const [line = 0, column = 0] = token.getPosition()
  const file = token.file ?? sources.get(token.input) ?? ''
  // liquidjs appends `, file:..., line:..., col:...` to its messages; the
  // original error holds the bare reason.
  const bare = error.originalError?.message ?? error.message.replace(/(?:, file:.*)?, line:\d+, col:\d+$/, '')
  // An `include` or `layout` of a file no folder has: say so in words, not as liquidjs' ENOENT.
  const lookup = /^ENOENT: Failed to lookup "([^"]*)" in "([^"]*)"$/.exec(bare)
  const reason = lookup
    ? `No template \`${lookup[1]}${lookup[1]!.endsWith(templateExtension) ? '' : templateExtension}\` in ${lookup[2]!.split(',').join(', ')}`
    : bare
  return new TemplateError({file, line, column, reason, frame: error.context, page, cause: error})
}

/** A template written in a setting rather than a file (an email's subject), compiled once. */
export interface LiquidText {
  /** Render with `context`, unescaped (the result is text, not HTML). Throws a `TemplateError` located in the text. */
  render(context: object): string
}

/**
 * Compile a one-line template from a setting, as strict as the files: an
 * unknown variable or filter is an error. It may not include or render
 * files (a setting has no folder). Throws a `TemplateError` whose line and
 * column are in `source`.
 */
export function compileLiquidText(source: string): LiquidText {
  const engine = new Liquid({
    fs: noFiles,
    root: [],
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true
  })
  const sources = new Map<string, string>()
  let templates: Template[]
  try {
    templates = engine.parse(source)
  } catch (error) {
    throw toTemplateError(error, sources, '')
  }
  return {
    render(context) {
      try {
        return String(engine.renderSync(templates, context))
      } catch (error) {
        throw toTemplateError(error, sources, '')
      }
    }
  }
}

/** The file system of a template that has none: every include or render of a file fails. */
const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string) => Promise.reject(new Error(`No file \`${file}\` here: a template in a setting cannot include files`)),
  readFileSync: (file: string): string => {
    throw new Error(`No file \`${file}\` here: a template in a setting cannot include files`)
  },
  resolve: (dir: string, file: string) => path.join(dir, file),
  contains: async () => false,
  containsSync: () => false,
  dirname: (file: string) => path.dirname(file),
  sep: path.sep
}

/**
 * The template engine for the web theme: Liquid (liquidjs) over a list of
 * template folders, where the first folder holding a file wins. That is how a
 * site's ROOT/templates/web overrides the built-in theme file by file
 * (a page template, a partial, the layout, or an asset).
 *
 * Templates are strict: an unknown variable or filter fails the render with
 * the template's path, line and column, instead of printing nothing. Output is
 * HTML-escaped by default; only the view fields ending in `Html` are meant to
 * be printed with `| raw`.
 */
import nodeFs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Liquid, LiquidError, type Template} from 'liquidjs'
import {isWithin} from '../source/paths.js'
import type {PageContext} from './views.js'

/** Absolute path of the built-in web theme (`templates/web` in the package). */
export const builtInWebTemplatesDir: string = fileURLToPath(new URL('../../templates/web/', import.meta.url))

/** File extension of every template; names are given without it. */
export const templateExtension = '.liquid'

/** Options for `createTemplates`. */
export interface TemplatesOptions {
  /**
   * Folders to look templates up in, highest priority first; usually
   * `[ROOT/templates/web, builtInWebTemplatesDir]`. Missing folders are fine.
   */
  dirs: string[]
}

/** A compiled, cached set of templates. */
export interface Templates {
  /**
   * Render the template `name` (`post`, `home`, ...; no extension) with one
   * page's context. Asynchronous because liquidjs loads layouts and partials
   * lazily; each file is read and compiled once, then reused.
   * Throws a `TemplateError` on any template problem.
   */
  render(name: string, context: PageContext): Promise<string>
  /** Whether some folder holds `name` (e.g. an optional `newsletter` template). */
  has(name: string): boolean
}

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
  /** Site-relative URL of the page being rendered ('' when compiling). */
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

/**
 * Create the template set for a list of folders (first one wins, file by
 * file). Nothing is read until a template is first rendered.
 */
export function createTemplates(options: TemplatesOptions): Templates {
  const dirs = options.dirs.map((dir) => path.resolve(dir))
  // liquidjs tokens of `{{ output }}` expressions carry the source text but not
  // the file name, so remember which file each source came from.
  const sources = new Map<string, string>()
  const liquid = new Liquid({
    root: dirs,
    extname: templateExtension,
    fs: createRecordingFs(sources),
    cache: true,
    strictVariables: true,
    strictFilters: true,
    // Optional view fields (`post.cover`, `post.previous`) are tested with
    // `{% if %}`; every other use of an unknown name still fails.
    lenientIf: true,
    outputEscape: 'escape'
  })
  const compiled = new Map<string, Promise<Template[]>>()

  function compile(name: string): Promise<Template[]> {
    let templates = compiled.get(name)
    if (!templates) {
      templates = liquid.parseFile(name)
      compiled.set(name, templates)
      // A failed compile is not cached: a dev server retries after an edit.
      templates.catch(() => compiled.delete(name))
    }
    return templates
  }

  return {
    async render(name, context) {
      if (!isTemplateName(name)) {
        throw new TemplateError({file: '', line: 0, column: 0, reason: `Invalid template name \`${name}\``})
      }
      if (!findTemplateFile(dirs, name + templateExtension)) {
        throw new TemplateError({
          file: '',
          line: 0,
          column: 0,
          reason: `No template \`${name}${templateExtension}\` in ${dirs.join(', ')}`,
          page: context.url
        })
      }
      try {
        const templates = await compile(name)
        const html: unknown = await liquid.render(templates, context)
        return String(html)
      } catch (error) {
        throw toTemplateError(error, sources, context.url)
      }
    },
    has(name) {
      return isTemplateName(name) && findTemplateFile(dirs, name + templateExtension) !== undefined
    }
  }
}

/**
 * The first folder of `dirs` holding `relativePath`, as an absolute file
 * path; the same lookup the templates use, for the build to find theme
 * assets (`assets/theme.css`) that a site may override.
 */
export function findTemplateFile(dirs: string[], relativePath: string): string | undefined {
  for (const dir of dirs) {
    const file = path.resolve(dir, relativePath)
    // `dir` itself is no file: `isFile` below turns it down.
    if (!isWithin(dir, file)) continue
    try {
      if (nodeFs.statSync(file).isFile()) return file
    } catch {
      // Not in this folder: try the next one.
    }
  }
  return undefined
}

/** Template names are plain relative paths without an extension. */
function isTemplateName(name: string): boolean {
  return /^[\w-]+(?:\/[\w-]+)*$/.test(name)
}

/**
 * A liquidjs file system over node:fs that records each file's source (so
 * errors can name the file) and, when given, the set of files read. It has
 * no `require.resolve` fallback: a missing template is an error, never a
 * file found somewhere in node_modules. A name keeps its own extensions
 * (`issue.mjml` becomes `issue.mjml.liquid`).
 */
export function createRecordingFs(sources: Map<string, string>, readFiles?: Set<string>) {
  function remember(file: string, text: string): string {
    sources.set(text, file)
    readFiles?.add(file)
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
    // A template is a file below the folder, never the folder itself.
    contains: async (dir: string, file: string) => path.resolve(file) !== path.resolve(dir) && isWithin(dir, file),
    containsSync: (dir: string, file: string) => path.resolve(file) !== path.resolve(dir) && isWithin(dir, file),
    dirname: (file: string) => path.dirname(file),
    sep: path.sep
  }
}

/** Turn whatever liquidjs threw into a `TemplateError` pointing into the template. */
export function toTemplateError(error: unknown, sources: Map<string, string>, page: string): TemplateError {
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

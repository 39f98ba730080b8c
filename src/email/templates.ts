/**
 * The email templates: Liquid (liquidjs) over `ROOT/templates/email` then
 * the built-in `templates/email`, the first folder holding a file winning
 * file by file, then MJML 5 at validation level `strict`.
 *
 * Three templates, each with partials under `partials/`:
 * - `issue.mjml.liquid`: the email (HTML-escaped output; fields ending in
 *   `Html` are printed with `| raw`);
 * - `issue.txt.liquid`: the plain-text part (no escaping: it is text);
 * - `web.html.liquid`: the body for its web archive page.
 *
 * Strict variables and filters: a typo fails the build. Every failure, in
 * Liquid or in MJML, is a `TemplateError` naming the template file, its
 * line and the issue month being built. MJML reports lines of the
 * generated MJML; they are traced back to the template line that produced
 * them (the line whose literal text matches, Liquid expressions being
 * wildcards), and the generated line is quoted in the reason as well.
 */
import nodeFs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {MjmlError} from 'mjml'
import {createLiquidFolders, TemplateError} from '../render/liquid.js'
import type {Strings} from '../source/strings/index.js'

/** Absolute path of the built-in email templates (`templates/email` in the package). */
export const builtInEmailTemplatesDir: string = fileURLToPath(new URL('../../templates/email/', import.meta.url))

/** The result of rendering the email template. */
export interface RenderedMjml {
  /** The MJML source, as Liquid made it (written as issue.mjml for hand edits). */
  mjml: string
  /** The compiled HTML. */
  html: string
}

/** A compiled, cached set of email templates. */
export interface EmailTemplates {
  /** Render `issue.mjml.liquid` and compile it with MJML. `month` names the issue in errors. */
  renderEmail(context: object, month: string): Promise<RenderedMjml>
  /** Render `issue.txt.liquid`. */
  renderText(context: object, month: string): Promise<string>
  /** Render `web.html.liquid`. */
  renderWeb(context: object, month: string): Promise<string>
  /**
   * The file a template name (`issue.mjml.liquid`, `partials/footer.mjml.liquid`)
   * is read from: the first folder that holds it, or `undefined`.
   */
  templateFile(name: string): string | undefined
  /**
   * Every template file in use (absolute paths): each `.liquid` name once,
   * from the first folder that holds it, the site's own first.
   */
  templateFiles(): string[]
  /**
   * Where the templates in use hold `needle` literally (a tag, an attribute
   * as written, a CSS declaration): the first match, in the site's own
   * templates first. For pointing at the template line behind something
   * in the finished email.
   */
  locate(needle: string): {file: string; line: number; column: number} | undefined
}

/** Options for `createEmailTemplates`. */
export interface EmailTemplatesOptions {
  /** Folders, highest priority first (default: `[ROOT/templates/email, built-in]` is the caller's to pass). */
  dirs: string[]
  /** Where compiled MJML may be kept and taken back; without it, every render compiles. */
  mjmlCache?: MjmlCache | undefined
  /** The site's strings, read by the templates' `t` filter (without: English). */
  strings?: Strings | undefined
}

/**
 * Compile one issue's MJML (`source`, made from `templateFile`) to HTML:
 * `compile` does it; a cache may answer with what an earlier compile of the
 * same input made instead.
 */
export type MjmlCache = (source: string, templateFile: string, compile: () => Promise<string>) => Promise<string>

type MjmlCompile = typeof import('mjml').default

let mjmlCompile: MjmlCompile | undefined

async function loadMjml(): Promise<MjmlCompile> {
  // MJML is big: load it on first use, not when the web build imports this module.
  mjmlCompile ??= (await import('mjml')).default
  return mjmlCompile
}

/** Create the email template set over `dirs` (nothing is read until first use). */
export function createEmailTemplates(options: EmailTemplatesOptions): EmailTemplates {
  const folders = createLiquidFolders({dirs: options.dirs, kind: 'email template', strings: options.strings})
  const {dirs, readFiles} = folders
  const render = (name: string, context: object, month: string, escape = true) =>
    folders.render(name, context, `issue ${month}`, {escape})

  return {
    async renderEmail(context, month) {
      const source = await render('issue.mjml', context, month)
      const templateFile = folders.find('issue.mjml.liquid') ?? 'issue.mjml.liquid'
      const compile = async () => {
        const mjml = await loadMjml()
        try {
          const result = await mjml(source, {
            validationLevel: 'strict',
            // No web font links (they would be the only third-party requests) and no comments.
            fonts: {},
            keepComments: false,
            beautify: false,
            minify: false,
            filePath: templateFile
          })
          return result.html
        } catch (error) {
          throw mjmlError(error, source, [...readFiles].filter((file) => file.endsWith('.mjml.liquid')), templateFile, month)
        }
      }
      const html = await (options.mjmlCache ? options.mjmlCache(source, templateFile, compile) : compile())
      return {mjml: source, html}
    },
    renderText(context, month) {
      return render('issue.txt', context, month, false)
    },
    renderWeb(context, month) {
      return render('web.html', context, month)
    },
    templateFile(name) {
      return folders.find(name)
    },
    templateFiles() {
      return listTemplates(dirs)
    },
    locate(needle) {
      if (needle.trim() === '') return undefined
      for (const file of listTemplates(dirs)) {
        let lines: string[]
        try {
          lines = nodeFs.readFileSync(file, 'utf8').split(/\r?\n/)
        } catch {
          continue
        }
        for (const [index, line] of lines.entries()) {
          const column = line.indexOf(needle)
          if (column !== -1) return {file, line: index + 1, column: column + 1}
        }
      }
      return undefined
    }
  }
}

/** The `.liquid` files of `dirs`, each relative name once (the first folder wins), in folder order. */
function listTemplates(dirs: readonly string[]): string[] {
  const seen = new Set<string>()
  const files: string[] = []
  for (const dir of dirs) {
    let entries: string[]
    try {
      entries = (nodeFs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[]).sort()
    } catch {
      continue
    }
    for (const relative of entries) {
      const name = relative.split(path.sep).join('/')
      if (!name.endsWith('.liquid') || seen.has(name)) continue
      seen.add(name)
      files.push(path.join(dir, relative))
    }
  }
  return files
}

/**
 * Where in the templates a line of generated MJML came from: the template
 * line whose literal text (Liquid expressions as wildcards) matches it,
 * preferring the line with the most literal text.
 */
export function traceMjmlLine(generated: string, files: string[]): {file: string; line: number} | undefined {
  const target = generated.trim()
  if (target === '') return undefined
  let best: {file: string; line: number; score: number} | undefined
  for (const file of files) {
    let lines: string[]
    try {
      lines = nodeFs.readFileSync(file, 'utf8').split('\n')
    } catch {
      continue
    }
    lines.forEach((source, index) => {
      const parts = source.trim().split(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/)
      const literal = parts.join('').trim()
      if (literal.length < 3) return
      const pattern = new RegExp('^' + parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?') + '$')
      if (!pattern.test(target)) return
      if (!best || literal.length > best.score) best = {file, line: index + 1, score: literal.length}
    })
  }
  return best ? {file: best.file, line: best.line} : undefined
}

function mjmlError(error: unknown, source: string, files: string[], fallbackFile: string, month: string): TemplateError {
  const errors = (error as {errors?: MjmlError[]}).errors
  const first = Array.isArray(errors) ? errors[0] : undefined
  if (!first) {
    const reason = `MJML failed: ${error instanceof Error ? error.message : String(error)}`
    return new TemplateError({file: fallbackFile, line: 0, column: 0, reason, page: `issue ${month}`, cause: error})
  }
  const generated = source.split('\n')[first.line - 1] ?? ''
  const traced = traceMjmlLine(generated, files)
  const more = errors!.length > 1 ? ` (and ${errors!.length - 1} more MJML error${errors!.length > 2 ? 's' : ''})` : ''
  const reason = `MJML: ${first.message}${more}; issue.mjml line ${first.line}: ${generated.trim().slice(0, 120)}`
  return new TemplateError({
    file: traced?.file ?? fallbackFile,
    line: traced?.line ?? 0,
    column: traced ? 1 : 0,
    reason,
    page: `issue ${month}`,
    cause: error
  })
}

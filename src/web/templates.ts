/**
 * The templates of the web theme: Liquid over a list of template folders
 * (`createLiquidFolders`), where the first folder holding a file wins. That
 * is how a site's ROOT/templates/web overrides the built-in theme file by
 * file (a page template, a partial, the layout, or an asset).
 *
 * Output is HTML-escaped by default; only the view fields ending in `Html`
 * are meant to be printed with `| raw`.
 */
import {fileURLToPath} from 'node:url'
import {createLiquidFolders, templateExtension, TemplateError} from '../render/liquid.js'
import type {Strings} from '../source/strings/index.js'
import type {PageContext} from './views.js'

// The theme's lookup, for the build's theme assets, and what a failed render throws.
export {findTemplateFile, TemplateError} from '../render/liquid.js'

/** Absolute path of the built-in web theme (`templates/web` in the package). */
export const builtInWebTemplatesDir: string = fileURLToPath(new URL('../../templates/web/', import.meta.url))

/** Options for `createTemplates`. */
export interface TemplatesOptions {
  /**
   * Folders to look templates up in, highest priority first; usually
   * `[ROOT/templates/web, builtInWebTemplatesDir]`. Missing folders are fine.
   */
  dirs: string[]
  /** The site's strings, read by the templates' `t` filter (without: English). */
  strings?: Strings | undefined
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

/**
 * Create the template set for a list of folders (first one wins, file by
 * file). Nothing is read until a template is first rendered.
 */
export function createTemplates(options: TemplatesOptions): Templates {
  const folders = createLiquidFolders({dirs: options.dirs, strings: options.strings})
  return {
    async render(name, context) {
      if (!isTemplateName(name)) {
        throw new TemplateError({file: '', line: 0, column: 0, reason: `Invalid template name \`${name}\``})
      }
      return folders.render(name, context, context.url)
    },
    has(name) {
      return isTemplateName(name) && folders.find(name + templateExtension) !== undefined
    }
  }
}

/** Template names are plain relative paths without an extension. */
function isTemplateName(name: string): boolean {
  return /^[\w-]+(?:\/[\w-]+)*$/.test(name)
}

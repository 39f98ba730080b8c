/**
 * The `theme:` settings of letterpress.yml: the logo, the favicon, the
 * accent colour, the navigation and footer links, extra `<head>` HTML, the
 * site's own stylesheets and the comments slot. Their schema, what they
 * resolve to, and where their files are (a file under the content folder is
 * published where it is; one elsewhere in ROOT is copied to the same path).
 */
import fs from 'node:fs'
import path from 'node:path'
import type {VFile} from 'vfile'
import {z} from 'zod'
import {colourProblem} from './colour.js'
import {unsafeUrlReason, unsafeUrlRule, urlScheme} from './url-policy.js'

/** The rule id of a colour setting that is no CSS colour. */
export const colourRule = 'config-colour'

const colour = z.string().superRefine((value, context) => {
  const problem = colourProblem(value)
  if (problem) context.addIssue({code: 'custom', message: problem, params: {ruleId: colourRule}})
})

/** Where a link of the theme leads: a path on the site (`/about/`) or an absolute URL, within the URL policy. */
const linkTarget = z.string().superRefine((value, context) => {
  const unsafe = unsafeUrlReason(value, 'URL')
  if (unsafe) {
    context.addIssue({code: 'custom', message: unsafe, params: {ruleId: unsafeUrlRule}})
  } else if (/\.md(?:#.*)?$/i.test(value) && urlScheme(value) === undefined) {
    context.addIssue({code: 'custom', message: `\`${value}\` is a Markdown file: write the URL of its page, like \`/about/\``})
  } else if (urlScheme(value) === undefined && !/^\/(?!\/)/.test(value)) {
    context.addIssue({code: 'custom', message: `\`${value}\` must be a path on the site starting with \`/\` (\`/about/\`) or an absolute URL (\`https://…\`)`})
  }
})

/** A link: `{title, url}`, or `Title: url` as MkDocs' `nav` writes one. */
const link = z.preprocess((value) => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value)
    const [key, target] = entries[0] ?? []
    if (entries.length === 1 && key !== 'title' && key !== 'url') return {title: key, url: target}
  }
  return value
}, z.object({title: z.string(), url: linkTarget}).strict())

/** A file of the theme: a path under the content folder or ROOT, with one of `extensions`. */
function themePath(extensions: readonly string[]) {
  return z.string().superRefine((value, context) => {
    const problem = themePathProblem(value, extensions)
    if (problem) context.addIssue({code: 'custom', message: `\`${value}\` ${problem}`})
  })
}

/** What a logo or favicon may be. */
export const imageExtensions = ['svg', 'png', 'ico', 'gif', 'jpg', 'jpeg', 'webp', 'avif'] as const

/** What `theme:` may hold; every key is optional. */
export const themeSchema = z
  .object({
    logo: themePath(imageExtensions),
    favicon: themePath(imageExtensions),
    /** The site's card image: a page without a cover shows it when shared (`og:image`). */
    image: themePath(['png', 'jpg', 'jpeg', 'webp', 'gif']),
    accent: z.union([colour, z.object({light: colour, dark: colour}).partial().strict()], {
      error: 'expected a CSS colour (`#0d6a61`), or `light:` and `dark:` colours'
    }),
    nav: z.array(z.union([z.literal('auto'), link], {error: 'expected `auto` (the automatic links) or a link such as `{title: About, url: /about/}`'})),
    footerLinks: z.array(link),
    head: z.string(),
    stylesheet: z.union([themePath(['css']), z.array(themePath(['css']))], {error: 'expected a path to a .css file, or a list of them'}),
    comments: z.string()
  })
  .partial()
  .strict()

/** The `theme:` settings as written. */
export type ThemeSettings = z.infer<typeof themeSchema>

/** A file the theme uses, as written and, once found, where it is and its URL. */
export interface ThemeFile {
  /** The path as the setting wrote it. */
  written: string
  /** Absolute path of the file; `undefined` when there is no such file. */
  source?: string
  /** Its URL on the site, without the base path (`/assets/logo.svg`). */
  url?: string
  /** Whether the build copies it into the site (a file outside the content folder). */
  copy?: boolean
}

/** A link of the navigation or the footer, its URL as written (a site path or an absolute URL). */
export interface ThemeLink {
  title: string
  url: string
}

/** The theme's settings with their defaults. */
export interface ResolvedTheme {
  logo: ThemeFile | undefined
  /** `undefined`: the logo is the favicon, else a monogram of the title. */
  favicon: ThemeFile | undefined
  /** The image a shared page without a cover shows (`og:image`). */
  image: ThemeFile | undefined
  /** The accent colour in the light and the dark palette; `undefined`: the theme's own. */
  accent: {light: string | undefined; dark: string | undefined} | undefined
  /** The navigation; `'auto'` stands for the automatic links. `undefined`: only those. */
  nav: Array<'auto' | ThemeLink> | undefined
  footerLinks: ThemeLink[]
  /** HTML added at the end of every page's `<head>`. */
  head: string
  /** Stylesheets linked after the theme's. */
  stylesheets: ThemeFile[]
  /** HTML shown after each post (a comments widget). */
  comments: string
}

/** The theme settings `user` wrote, with defaults, their files looked up under `postsDir`, then `root`. */
export function resolveTheme(user: ThemeSettings, root: string, postsDir: string): ResolvedTheme {
  const file = (written: string | undefined) => (written === undefined ? undefined : locateThemeFile(written, root, postsDir))
  const accent = user.accent === undefined ? undefined : typeof user.accent === 'string' ? {light: user.accent, dark: undefined} : {light: user.accent.light, dark: user.accent.dark}
  const stylesheets = user.stylesheet === undefined ? [] : typeof user.stylesheet === 'string' ? [user.stylesheet] : user.stylesheet
  return {
    logo: file(user.logo),
    favicon: file(user.favicon),
    image: file(user.image),
    accent,
    nav: user.nav?.map((entry) => (entry === 'auto' ? entry : {title: entry.title, url: entry.url})),
    footerLinks: (user.footerLinks ?? []).map((entry) => ({title: entry.title, url: entry.url})),
    head: user.head ?? '',
    stylesheets: stylesheets.map((written) => locateThemeFile(written, root, postsDir)),
    comments: user.comments ?? ''
  }
}

/** Look the theme's files up again, under a content folder found after the settings were read (an MkDocs project's `docs_dir`). */
export function relocateThemeFiles(theme: ResolvedTheme, root: string, postsDir: string): void {
  const again = (file: ThemeFile | undefined) => (file ? locateThemeFile(file.written, root, postsDir) : undefined)
  theme.logo = again(theme.logo)
  theme.favicon = again(theme.favicon)
  theme.image = again(theme.image)
  theme.stylesheets = theme.stylesheets.map((file) => locateThemeFile(file.written, root, postsDir))
}

/**
 * Say on `file` (`config-file-missing`, an error) which theme files do not
 * exist, each at its setting's line: `position(keys, item)` finds it in
 * the config text, `item` when it is an entry of a list there
 * (`settingKeys` names each setting as that file writes it).
 */
export function reportMissingThemeFiles(
  theme: ResolvedTheme,
  file: VFile,
  settingKeys: {logo: string[]; favicon: string[]; image?: string[]; stylesheet: string[]},
  position: (keys: string[], item?: string) => {line: number; column: number} | undefined
): void {
  const fileName = file.basename ?? 'letterpress.yml'
  const check = (entry: ThemeFile | undefined, keys: string[]) => {
    if (!entry || entry.source) return
    const place = position(keys, entry.written) ?? position(keys)
    file.message(`Setting \`${keys.join('.')}\` in ${fileName}: no file \`${entry.written}\` in the content folder or ROOT`, {
      ...(place ? {place} : {}),
      ruleId: 'config-file-missing',
      source: 'letterpress'
    }).fatal = true
  }
  check(theme.logo, settingKeys.logo)
  check(theme.favicon, settingKeys.favicon)
  check(theme.image, settingKeys.image ?? ['theme', 'image'])
  for (const entry of theme.stylesheets) check(entry, settingKeys.stylesheet)
}

/** Why `written` cannot name a theme file with one of `extensions`, or `undefined` when it can. */
export function themePathProblem(written: string, extensions: readonly string[]): string | undefined {
  const relative = written.replaceAll('\\', '/').replace(/^\/+/, '')
  if (relative === '' || urlScheme(written) !== undefined || /^[a-z]:/i.test(written)) return 'must be a path under the content folder or ROOT, like `assets/logo.svg`'
  if (relative.split('/').some((segment) => segment === '..' || segment === '.' || segment.startsWith('.'))) {
    return 'must stay inside ROOT and name no hidden file or folder (no `..`, no `.name`)'
  }
  const extension = path.extname(relative).slice(1).toLowerCase()
  if (!extensions.includes(extension)) return `must be a ${extensions.map((each) => `.${each}`).join(', ')} file`
  return undefined
}

/**
 * Where the theme file `written` is: under `postsDir` (published where it
 * is), else under `root` (copied to the same path). `source` stays unset
 * when neither has it.
 */
function locateThemeFile(written: string, root: string, postsDir: string): ThemeFile {
  const relative = written.replaceAll('\\', '/').replace(/^\/+/, '')
  for (const base of [postsDir, root]) {
    const source = path.join(base, ...relative.split('/'))
    let isFile = false
    try {
      isFile = fs.statSync(source).isFile()
    } catch {
      // Not here: look in the next place.
    }
    if (!isFile) continue
    const inContent = path.relative(postsDir, source)
    const inside = !inContent.startsWith('..') && !path.isAbsolute(inContent)
    const url = '/' + (inside ? inContent : path.relative(root, source)).split(path.sep).join('/')
    return {written, source, url, copy: !inside}
  }
  return {written}
}

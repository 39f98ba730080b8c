/**
 * What the site's `theme:` settings make of every page (`site.theme` and
 * `site.nav`): the logo, the favicon, the accent colour as a `<style>`, the
 * site's own stylesheets, head HTML, footer links and comments slot; and
 * which of their files the build copies into the site.
 */
import fs from 'node:fs'
import path from 'node:path'
import {createHash} from 'node:crypto'
import type {ResolvedConfig} from '../source/config.js'
import type {ResolvedTheme, ThemeFile, ThemeLink} from '../source/theme.js'
import {isAllowedUrl, urlScheme} from '../source/url-policy.js'
import {sitePathFor} from '../source/urls.js'
import type {LinkView, ThemeView} from './views.js'

/** The built-in theme's accent in the light palette (theme.css `--accent`), for the monogram favicon. */
const defaultAccent = '#0d6a61'

/** A short version of a file's bytes, for its URL (`?v=`): a new version is a new URL, which no cache holds. */
export function assetVersion(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 10)
}

/** `?v=` and the version of the file at `file`, or '' when it cannot be read. */
export function versionQuery(file: string | undefined): string {
  try {
    return file ? `?v=${assetVersion(fs.readFileSync(file))}` : ''
  } catch {
    return ''
  }
}

/** The theme's part of the site's view. */
export function themeViewOf(config: ResolvedConfig): ThemeView {
  const {theme} = config
  const sitePath = sitePathFor(config)
  const fileUrl = (file: ThemeFile) => sitePath(encodeURI(file.url!))
  const favicon = theme.favicon?.url ? theme.favicon : theme.logo?.url ? theme.logo : undefined
  return {
    ...(theme.logo?.url ? {logo: {url: fileUrl(theme.logo)}} : {}),
    favicon: favicon ? {url: fileUrl(favicon), type: imageType(favicon.written)} : {url: monogram(config.title, theme.accent?.light), type: 'image/svg+xml'},
    accentStyleHtml: accentStyle(theme.accent),
    stylesheets: theme.stylesheets.filter((file) => file.url).map((file) => fileUrl(file) + versionQuery(file.source)),
    headHtml: theme.head,
    commentsHtml: theme.comments,
    footerLinks: links(theme.footerLinks, sitePath)
  }
}

/** The navigation: `theme.nav` with the `automatic` links where it says `auto`, else those alone. */
export function navOf(theme: ResolvedTheme, automatic: LinkView[], sitePath: (url: string) => string): LinkView[] {
  if (!theme.nav) return automatic
  return theme.nav.flatMap((entry) => (entry === 'auto' ? automatic : links([entry], sitePath)))
}

/** The theme files the build copies into the site: the theme's script and stylesheet, and the settings' files from outside the content folder. */
export function themeFiles(config: ResolvedConfig, themeFile: (name: string) => string | undefined): Array<{from: string; to: string}> {
  const files: Array<{from: string; to: string}> = []
  for (const name of ['theme.css', 'theme.js', ...(config.search ? ['search.js'] : [])]) {
    const from = themeFile(name)
    if (from) files.push({from, to: `assets/theme/${name}`})
  }
  const {logo, favicon, image, stylesheets} = config.theme
  for (const file of [logo, favicon, image, ...stylesheets]) {
    if (file?.copy && file.source && file.url && !files.some((each) => each.to === file.url!.slice(1))) files.push({from: file.source, to: file.url.slice(1)})
  }
  return files
}

/** Links as pages show them: site paths under the base path; URLs the policy refuses left out. */
function links(entries: ThemeLink[], sitePath: (url: string) => string): LinkView[] {
  return entries
    .filter((entry) => isAllowedUrl(entry.url))
    .map((entry) => ({title: entry.title, url: urlScheme(entry.url) === undefined && entry.url.startsWith('/') && !entry.url.startsWith('//') ? sitePath(entry.url) : entry.url}))
}

/** The media type of an image file, by its extension. */
function imageType(file: string): string {
  const extension = path.extname(file).slice(1).toLowerCase()
  const types: Record<string, string> = {svg: 'image/svg+xml', ico: 'image/x-icon', jpg: 'image/jpeg', jpeg: 'image/jpeg'}
  return types[extension] ?? `image/${extension}`
}

/**
 * The favicon of a site without a logo or favicon: the first letter of its
 * title on the accent colour, as a `data:` URL (no file, no request).
 * Colours are validated CSS colours, safe in an attribute.
 */
function monogram(title: string, accent: string | undefined): string {
  const first = [...new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(title.trim())][0]?.segment ?? 'L'
  const letter = first.toUpperCase().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${accent ?? defaultAccent}"/>` +
    `<text x="32" y="45" font-family="system-ui,sans-serif" font-size="38" font-weight="700" text-anchor="middle" fill="#fff">${letter}</text></svg>`
  return 'data:image/svg+xml,' + encodeURIComponent(svg)
}

/**
 * The accent colour over the theme's, in the light palette and in the dark
 * one (by the system's preference or the reader's choice). Without a dark
 * accent the light one is mixed with white, to read on the dark page.
 */
function accentStyle(accent: ResolvedTheme['accent']): string {
  if (!accent || (!accent.light && !accent.dark)) return ''
  const palette = (colour: string, towards: string) =>
    `--accent:${colour};--accent-hover:color-mix(in srgb,${colour} 78%,${towards});--accent-soft:color-mix(in srgb,${colour} 38%,transparent)`
  const dark = accent.dark ?? `color-mix(in srgb,${accent.light} 55%,white)`
  const css = [
    ...(accent.light ? [`:root{${palette(accent.light, 'black')}}`] : []),
    `@media (prefers-color-scheme:dark){:root:not([data-theme="light"]){${palette(dark, 'white')}}}`,
    `:root[data-theme="dark"]{${palette(dark, 'white')}}`
  ]
  return `<style>${css.join('')}</style>`
}

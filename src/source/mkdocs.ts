/**
 * An MkDocs (Material, or Zensical) project read as it is: the settings of
 * `mkdocs.yml` that a blog needs, its blog plugin's folders and URL format,
 * and the blog plugin's `.authors.yml`. Pure: text in, settings and
 * messages out; `config.ts` reads the files.
 *
 * mkdocs.yml is read by PyYAML, with Python tags (`!!python/name:` for
 * emoji, `!ENV`); here those values are simply left unresolved, since none of
 * the settings read depends on them.
 */
import type {VFile} from 'vfile'
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode} from 'yaml'
import {describeYamlError, yamlAliases} from './frontmatter.js'
import {imageExtensions, themePathProblem} from './theme.js'

/** The name of MkDocs' config file. */
export const mkdocsFileName = 'mkdocs.yml'

/** An author of `.authors.yml`, as letterpress.yml writes one. */
export interface MkdocsAuthor {
  id: string
  name: string
  description?: string
  avatar?: string
  url?: string
}

/** What letterpress takes from mkdocs.yml. */
export interface MkdocsProject {
  /** letterpress.yml settings with the same meaning (`site_name` → `title`, ...). */
  settings: {
    title?: string
    description?: string
    baseUrl?: string
    copyright?: string
    permalink: string
    newsletter?: {social: Array<{name: string; url: string}>}
    /** `theme.logo`, `theme.favicon`, `extra_css` and `extra.social` (the footer's links). */
    theme?: {logo?: string; favicon?: string; stylesheet?: string[]; footerLinks?: Array<{title: string; url: string}>}
  }
  /** `docs_dir`, relative to the project (default `docs`). */
  docsDir: string
  /** The posts folder, relative to `docsDir` (default `blog/posts`). */
  postsUnder: string
  /** `.authors.yml`, relative to `docsDir` (default `blog/.authors.yml`). */
  authorsFile: string
}

/**
 * Read mkdocs.yml text. Problems become messages on `file` (`config-yaml`
 * for broken YAML, `config-invalid` warnings for settings of the wrong
 * kind, which then keep their MkDocs defaults).
 */
export function readMkdocsConfig(text: string, file: VFile): MkdocsProject {
  const reader = new SettingsReader(text, file)
  const docsDir = trimSlashes(reader.text(['docs_dir']) ?? 'docs')
  const blog = reader.blogPlugin()
  const blogDir = trimSlashes(reader.text([...blog, 'blog_dir']) ?? 'blog')
  const inBlog = (value: string) => trimSlashes(value.replaceAll('{blog}', blogDir === '.' ? '' : blogDir))
  const postsUnder = inBlog(reader.text([...blog, 'post_dir']) ?? '{blog}/posts')
  const authorsFile = inBlog(reader.text([...blog, 'authors_file']) ?? '{blog}/.authors.yml')
  const permalink = reader.permalink(blog, blogDir === '.' ? '' : blogDir)

  const siteUrl = reader.text(['site_url'])
  const social = reader.social()
  const settings: MkdocsProject['settings'] = {permalink}
  const title = reader.text(['site_name'])
  const description = reader.text(['site_description'])
  const copyright = reader.text(['copyright'])
  if (title !== undefined) settings.title = title
  if (description !== undefined) settings.description = description
  if (siteUrl) settings.baseUrl = siteUrl
  if (copyright !== undefined) settings.copyright = copyright
  if (social.length > 0) settings.newsletter = {social}
  const theme = reader.theme()
  if (social.length > 0) theme.footerLinks = social.map((entry) => ({title: entry.name, url: entry.url}))
  if (Object.keys(theme).length > 0) settings.theme = theme
  return {settings, docsDir, postsUnder, authorsFile}
}

/**
 * Read a blog plugin `.authors.yml` (`authors: {id: {name, description,
 * avatar, url}}`). Problems are messages on `file`, named as `fileName`.
 */
export function readAuthorsFile(text: string, file: VFile, fileName: string): MkdocsAuthor[] {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false})
  const warn = (reason: string, offset: number) => {
    const {line, col} = lineCounter.linePos(offset)
    file.message(`${reason} (${fileName}:${line}:${col})`, {ruleId: 'authors-invalid', source: 'letterpress'})
  }
  for (const error of doc.errors) {
    warn(describeYamlError(error, text).reason, error.pos[0])
    return []
  }
  for (const {alias, reason} of yamlAliases(doc).problems) {
    warn(reason, alias.range?.[0] ?? 0)
    return []
  }
  const authors = isMap(doc.contents) ? doc.contents.get('authors', true) : undefined
  if (!isMap(authors)) {
    warn('Expected `authors:` with one mapping per author id; no authors read', doc.contents?.range?.[0] ?? 0)
    return []
  }
  const found: MkdocsAuthor[] = []
  for (const pair of authors.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : undefined
    const value = pair.value as YamlNode | null
    const data: unknown = value && isMap(value) ? value.toJSON() : undefined
    const fields = (data ?? {}) as Record<string, unknown>
    if (id === undefined || !data || typeof fields.name !== 'string') {
      warn(`Author ${id ? `\`${id}\` ` : ''}needs a mapping with at least \`name\`; left out`, (value ?? (pair.key as YamlNode | null))?.range?.[0] ?? 0)
      continue
    }
    const author: MkdocsAuthor = {id, name: fields.name}
    for (const key of ['description', 'avatar', 'url'] as const) {
      if (typeof fields[key] === 'string') author[key] = fields[key]
    }
    found.push(author)
  }
  return found
}

/** mkdocs.yml parsed, with positions for the messages. */
class SettingsReader {
  private readonly lineCounter = new LineCounter()
  private readonly doc: Document
  /** Whether the YAML has errors, or aliases that name nothing or expand too far: nothing is read. */
  private readonly unreadable: boolean

  constructor(
    source: string,
    private readonly file: VFile
  ) {
    this.doc = parseDocument(source, {lineCounter: this.lineCounter, prettyErrors: false})
    for (const error of this.doc.errors) {
      const {offset, reason} = describeYamlError(error, source)
      this.message(`${reason} (in ${mkdocsFileName})`, offset, 'config-yaml').fatal = true
    }
    // Aliases are bounded as in letterpress.yml: mkdocs.yml is read with `toJSON`, which would expand them.
    const aliasProblems = yamlAliases(this.doc).problems
    for (const {alias, reason} of aliasProblems) {
      this.message(`${reason} (in ${mkdocsFileName})`, alias.range?.[0] ?? 0, 'config-yaml').fatal = true
    }
    this.unreadable = this.doc.errors.length > 0 || aliasProblems.length > 0
  }

  /** The node at `path` (mapping keys and list indexes). */
  private node(path: Array<string | number>): YamlNode | undefined {
    if (this.unreadable) return undefined
    let current: unknown = this.doc.contents
    for (const part of path) {
      if (typeof part === 'number' && isSeq(current)) current = current.items[part]
      else if (isMap(current)) current = current.get(part, true)
      else return undefined
    }
    return (current ?? undefined) as YamlNode | undefined
  }

  /** A text setting; a setting of another kind is a warning and reads as absent. */
  text(path: Array<string | number>): string | undefined {
    const node = this.node(path)
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value)
    this.message(`Setting \`${path.join('.')}\` in ${mkdocsFileName}: expected text; its default is used`, node.range?.[0] ?? 0, 'config-invalid')
    return undefined
  }

  /** Path to the blog plugin's settings (`plugins: [{blog: {...}}]`), or one that finds nothing. */
  blogPlugin(): Array<string | number> {
    const plugins = this.node(['plugins'])
    if (isSeq(plugins)) {
      const index = plugins.items.findIndex((item) => isMap(item) && item.has('blog'))
      if (index !== -1) return ['plugins', index, 'blog']
    }
    // MkDocs also takes plugins as a mapping of name to settings.
    if (isMap(plugins) && plugins.has('blog')) return ['plugins', 'blog']
    return ['plugins', 'blog']
  }

  /**
   * The blog plugin's `post_url_format` (`{date}/{slug}`) with
   * `post_url_date_format` (`yyyy/MM/dd`), as a letterpress permalink
   * under the blog folder.
   */
  permalink(blog: Array<string | number>, blogDir: string): string {
    const fallback = `/${blogDir ? blogDir + '/' : ''}:year/:month/:day/:slug/`
    const format = this.text([...blog, 'post_url_format']) ?? '{date}/{slug}'
    const dateFormat = this.text([...blog, 'post_url_date_format']) ?? 'yyyy/MM/dd'
    const datePattern = dateFormat.replace(/yyyy|MM|dd/g, (token) => ({yyyy: ':year', MM: ':month', dd: ':day'})[token]!)
    const unknown = [...format.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).filter((name) => !['date', 'slug', 'file'].includes(name))
    const where = this.node([...blog, 'post_url_format'])?.range?.[0] ?? 0
    if (/[A-Za-z]/.test(datePattern.replace(/:(year|month|day)/g, ''))) {
      this.message(`Setting \`post_url_date_format\` in ${mkdocsFileName}: only yyyy, MM and dd are read; URLs use ${fallback}`, where, 'config-invalid')
      return fallback
    }
    if (unknown.length > 0) {
      this.message(
        `Setting \`post_url_format\` in ${mkdocsFileName}: ${unknown.map((name) => `{${name}}`).join(', ')} is not read; left out of the URLs`,
        where,
        'config-invalid'
      )
    }
    let pattern = format
      .replaceAll('{date}', datePattern)
      .replaceAll('{slug}', ':slug')
      .replaceAll('{file}', ':slug')
      .replace(/\{\w+\}/g, '')
    if (!pattern.includes(':slug')) pattern += '/:slug'
    return `/${blogDir ? blogDir + '/' : ''}${pattern}/`.replace(/\/{2,}/g, '/')
  }

  /**
   * The theme's files: `theme.logo` and `theme.favicon` (paths under
   * `docs_dir`; an icon name is not a file) and the local files of
   * `extra_css`. One that cannot be a theme file is a warning and left out.
   */
  theme(): NonNullable<MkdocsProject['settings']['theme']> {
    const theme: NonNullable<MkdocsProject['settings']['theme']> = {}
    const usable = (value: string, keys: Array<string | number>, extensions: readonly string[]) => {
      const problem = themePathProblem(value, extensions)
      if (problem) this.message(`Setting \`${keys.join('.')}\` in ${mkdocsFileName}: \`${value}\` ${problem}; left out`, this.node(keys)?.range?.[0] ?? 0, 'config-invalid')
      return !problem
    }
    for (const key of ['logo', 'favicon'] as const) {
      const value = this.text(['theme', key])
      if (value !== undefined && usable(value, ['theme', key], imageExtensions)) theme[key] = value
    }
    const css = this.node(['extra_css'])
    if (isSeq(css)) {
      const files = css.items.flatMap((item, index) => {
        const value = isScalar(item) && typeof item.value === 'string' ? item.value : undefined
        // Stylesheets from elsewhere (`https://…`) are not files of the project.
        if (value === undefined || /^[a-z][a-z\d+.-]*:|^\/\//i.test(value)) return []
        return usable(value, ['extra_css', index], ['css']) ? [value] : []
      })
      if (files.length > 0) theme.stylesheet = files
    }
    return theme
  }

  /** `extra.social` (`[{icon, link, name}]`) as the issues' footer links. */
  social(): Array<{name: string; url: string}> {
    const node = this.node(['extra', 'social'])
    if (!isSeq(node)) return []
    const links: Array<{name: string; url: string}> = []
    for (const item of node.toJSON() as unknown[]) {
      if (typeof item !== 'object' || item === null) continue
      const {icon, link, name} = item as Record<string, unknown>
      if (typeof link !== 'string') continue
      // `fontawesome/brands/mastodon` → `Mastodon` when there is no name.
      const fromIcon = typeof icon === 'string' ? (icon.split('/').at(-1) ?? '') : ''
      const label = typeof name === 'string' ? name : fromIcon.charAt(0).toUpperCase() + fromIcon.slice(1) || link
      links.push({name: label, url: link})
    }
    return links
  }

  private message(reason: string, offset: number, ruleId: string) {
    const {line, col} = this.lineCounter.linePos(offset)
    return this.file.message(reason, {place: {line, column: col}, ruleId, source: 'letterpress'})
  }
}

function trimSlashes(value: string): string {
  const trimmed = value.replaceAll('\\', '/').replace(/^\.\/+/, '').replace(/^\/+|\/+$/g, '')
  return trimmed === '' ? '.' : trimmed
}

/**
 * What an existing MkDocs, Astro or Hugo project holds, as a plan for
 * `importProject`: the letterpress.yml settings its config gives, and which
 * of its folders become which folders of posts/. Reads the project's config
 * files; writes nothing.
 */
import {existsSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {parse as parseToml} from 'smol-toml'
import {VFile} from 'vfile'
import {parse as parseYaml} from 'yaml'
import {mkdocsFileName, readAuthorsFile, readMkdocsConfig, type MkdocsAuthor} from '../../source/mkdocs.js'

/** letterpress.yml as an importer writes it (a subset of `Config`). */
export interface ImportedSettings {
  title?: string
  description?: string
  baseUrl?: string
  language?: string
  copyright?: string
  permalink?: string
  authors?: MkdocsAuthor[]
  newsletter?: {social: Array<{name: string; url: string}>}
}

/** One folder of the project copied under posts/. */
export interface CopyStep {
  /** Absolute folder in the project. */
  from: string
  /** Folder under posts/ (`''`: posts/ itself). */
  to: string
  /** Which files: everything, everything but Markdown (assets), or only what is under `postsUnder` for Markdown. */
  markdown: 'all' | 'none' | {under: string}
}

/** What one project becomes. */
export interface ImportPlan {
  tool: 'mkdocs' | 'astro' | 'hugo'
  /** The project's config file, relative to it. */
  configFile: string
  settings: ImportedSettings
  copies: CopyStep[]
  /** Problems reading the project's config, as messages (file:line:column). */
  file: VFile
}

/** Thrown when DIR is no project letterpress can read (a usage error). */
export class UnknownProjectError extends Error {}

const astroConfigs = ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts', 'astro.config.cjs']
const hugoConfigs = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'config.toml', 'config.yaml', 'config.yml']

/** Find out which tool `dir` was written for and plan its import. */
export async function planImport(dir: string): Promise<ImportPlan> {
  if (existsSync(path.join(dir, mkdocsFileName))) return planMkdocs(dir)
  const astro = astroConfigs.find((name) => existsSync(path.join(dir, name)))
  if (astro) return planAstro(dir, astro)
  const hugo = hugoConfigs.find((name) => existsSync(path.join(dir, name)))
  if (hugo) return planHugo(dir, hugo)
  throw new UnknownProjectError(
    `${dir} holds no mkdocs.yml, astro.config.* or Hugo config (hugo.toml, config.toml, hugo.yaml): nothing to import`
  )
}

async function planMkdocs(dir: string): Promise<ImportPlan> {
  const text = await fs.readFile(path.join(dir, mkdocsFileName), 'utf8')
  const file = new VFile({path: mkdocsFileName, value: text})
  const project = readMkdocsConfig(text, file)
  const settings: ImportedSettings = {...project.settings}
  const authorsPath = path.join(dir, project.docsDir, project.authorsFile)
  if (existsSync(authorsPath)) {
    const authors = readAuthorsFile(await fs.readFile(authorsPath, 'utf8'), file, `${project.docsDir}/${project.authorsFile}`)
    if (authors.length > 0) settings.authors = authors
  }
  // The whole docs_dir keeps its shape under posts/, so `/assets/x.png`
  // (MkDocs resolves it against docs_dir) and relative links still point
  // where they did; of its Markdown only the blog's posts are posts.
  const under = project.postsUnder === '.' ? '' : project.postsUnder
  return {
    tool: 'mkdocs',
    configFile: mkdocsFileName,
    settings,
    copies: [{from: path.join(dir, project.docsDir), to: '', markdown: {under}}],
    file
  }
}

async function planAstro(dir: string, configName: string): Promise<ImportPlan> {
  const text = await fs.readFile(path.join(dir, configName), 'utf8')
  const file = new VFile({path: configName, value: text})
  const settings: ImportedSettings = {permalink: '/blog/:slug/'}
  const site = stringProperty(text, 'site')
  if (site) settings.baseUrl = site
  // The starter keeps the title and description in src/consts.ts.
  for (const name of ['src/consts.ts', 'src/consts.js', 'src/config.ts']) {
    const consts = path.join(dir, name)
    if (!existsSync(consts)) continue
    const source = await fs.readFile(consts, 'utf8')
    const title = constant(source, 'SITE_TITLE')
    const description = constant(source, 'SITE_DESCRIPTION')
    if (title) settings.title = title
    if (description) settings.description = description
    break
  }
  const collection = ['blog', 'posts'].find((name) => existsSync(path.join(dir, 'src', 'content', name)))
  if (!collection) throw new UnknownProjectError(`${dir} is an Astro project without src/content/blog or src/content/posts: nothing to import`)
  if (collection === 'posts') settings.permalink = '/posts/:slug/'
  // posts/ mirrors src/, so `../../assets/x.jpg` from a post still finds
  // src/assets; public/ is served at the site's root, as posts/ is.
  const copies: CopyStep[] = [{from: path.join(dir, 'src', 'content', collection), to: `content/${collection}`, markdown: 'all'}]
  if (existsSync(path.join(dir, 'src', 'assets'))) copies.push({from: path.join(dir, 'src', 'assets'), to: 'assets', markdown: 'none'})
  if (existsSync(path.join(dir, 'public'))) copies.push({from: path.join(dir, 'public'), to: '', markdown: 'none'})
  return {tool: 'astro', configFile: configName, settings, copies, file}
}

async function planHugo(dir: string, configName: string): Promise<ImportPlan> {
  const text = await fs.readFile(path.join(dir, configName), 'utf8')
  const file = new VFile({path: configName, value: text})
  let data: Record<string, unknown> = {}
  try {
    data = (configName.endsWith('.toml') ? parseToml(text) : (parseYaml(text) ?? {})) as Record<string, unknown>
  } catch (error) {
    const {line, column} = error as {line?: number; column?: number}
    file.message(`Cannot read ${configName}: ${(error as Error).message.split('\n')[0]}`, {
      place: line ? {line, column: column ?? 1} : undefined,
      ruleId: 'config-invalid',
      source: 'letterpress'
    }).fatal = true
  }
  const nonEmpty = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined)
  const params = (typeof data.params === 'object' && data.params !== null ? data.params : {}) as Record<string, unknown>
  const settings: ImportedSettings = {}
  const title = nonEmpty(data.title)
  const baseUrl = nonEmpty(data.baseURL ?? data.baseurl)
  const description = nonEmpty(params.description ?? data.description)
  const language = nonEmpty(data.languageCode ?? data.defaultContentLanguage)
  const copyright = nonEmpty(data.copyright)
  if (title) settings.title = title
  if (description) settings.description = description
  if (baseUrl) settings.baseUrl = baseUrl
  if (language) settings.language = language
  if (copyright) settings.copyright = copyright

  const contentDir = nonEmpty(data.contentDir) ?? 'content'
  const section = ['posts', 'post', 'blog'].find((name) => existsSync(path.join(dir, contentDir, name)))
  if (!section) throw new UnknownProjectError(`${dir} is a Hugo project without ${contentDir}/posts, ${contentDir}/post or ${contentDir}/blog: nothing to import`)
  const permalinks = (typeof data.permalinks === 'object' && data.permalinks !== null ? data.permalinks : {}) as Record<string, unknown>
  settings.permalink = hugoPermalink(nonEmpty(permalinks[section]), section)
  const copies: CopyStep[] = [{from: path.join(dir, contentDir, section), to: section, markdown: 'all'}]
  // static/ is served at the site's root, as posts/ is.
  if (existsSync(path.join(dir, 'static'))) copies.push({from: path.join(dir, 'static'), to: '', markdown: 'none'})
  return {tool: 'hugo', configFile: configName, settings, copies, file}
}

/** Hugo's `/:year/:month/:title/` as a letterpress permalink. */
function hugoPermalink(pattern: string | undefined, section: string): string {
  if (!pattern) return `/${section}/:slug/`
  const converted = pattern
    .replace(/:(?:title|filename|contentbasename|slugorfilename|slugorcontentbasename)\b/g, ':slug')
    .replace(/:section\b/g, section)
    .replace(/:(?!year\b|month\b|day\b|slug\b)\w+/g, '')
  const withSlug = converted.includes(':slug') ? converted : converted.replace(/\/?$/, '/:slug/')
  return ('/' + withSlug + '/').replace(/\/{2,}/g, '/')
}

/**
 * The string value of `key:` in JavaScript source (`site: 'https://x'`),
 * read without running it: comments and other strings are skipped, and a
 * template literal with `${}` is not a value we can know.
 */
export function stringProperty(source: string, key: string): string | undefined {
  for (const token of scanStrings(source)) {
    if (token.kind !== 'string') continue
    const before = source.slice(0, token.start)
    if (new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*$`).test(before)) return token.value
  }
  return undefined
}

/** The string value of `export const NAME = '...'`. */
function constant(source: string, name: string): string | undefined {
  for (const token of scanStrings(source)) {
    if (token.kind !== 'string') continue
    if (new RegExp(`\\b(?:const|let|var)\\s+${name}\\s*(?::\\s*string\\s*)?=\\s*$`).test(source.slice(0, token.start))) return token.value
  }
  return undefined
}

interface StringToken {
  kind: 'string' | 'template'
  start: number
  value: string
}

/**
 * The string literals of JavaScript source, in order, outside comments.
 * Hand-written: a JS parser (acorn, babel) would be a large dependency for
 * one property, and a regex alone would read commented-out settings.
 */
function* scanStrings(source: string): Generator<StringToken> {
  let index = 0
  while (index < source.length) {
    const char = source[index]!
    const next = source[index + 1]
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index)
      index = end === -1 ? source.length : end
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2)
      index = end === -1 ? source.length : end + 2
    } else if (char === '"' || char === "'" || char === '`') {
      let value = ''
      let cursor = index + 1
      let dynamic = false
      while (cursor < source.length && source[cursor] !== char) {
        if (source[cursor] === '\\') {
          value += source[cursor + 1] ?? ''
          cursor += 2
          continue
        }
        if (char === '`' && source[cursor] === '$' && source[cursor + 1] === '{') dynamic = true
        if (char !== '`' && source[cursor] === '\n') break
        value += source[cursor]
        cursor++
      }
      yield {kind: dynamic ? 'template' : 'string', start: index, value}
      index = cursor + 1
    } else {
      index++
    }
  }
}

/**
 * The view models of a site (see views.ts) made from what it publishes: each
 * post's view, the site's, the tag and category terms and the archive.
 * Templates see only these.
 */
import slugify from '@sindresorhus/slugify'
import path from 'node:path'
import {readImageSize} from '../render/media.js'
import {cardVariant, sizesOf, srcsetOf, webVariants} from '../render/images.js'
import {stringsOf, type ResolvedConfig} from '../source/config.js'
import {dayDisplay, monthNameDisplay} from '../source/dates.js'
import type {Post} from '../source/post.js'
import {absoluteFor, basePathOf, sitePathFor} from '../source/urls.js'
import {builtInWebTemplatesDir, findTemplateFile} from './templates.js'
import {searchAssets, searchIndexPath} from './search.js'
import {navOf, themeFiles, themeViewOf, versionQuery} from './theme.js'
import type {ArchiveYearView, CardImage, ImageView, LinkView, PostView, SearchView, SiteView, TermView} from './views.js'

/** The site's own web templates first, then the built-in theme. */
export function webTemplateDirs(config: ResolvedConfig): string[] {
  return [path.join(config.templatesDir, 'web'), builtInWebTemplatesDir]
}

/** The tags (or categories, by `pick`) of `posts`, each with its page's URL and how many posts carry it. */
export function collectTerms(
  posts: Post[],
  pick: (post: Post) => string[],
  sitePath: (url: string) => string,
  base: string
): Map<string, TermView> {
  const terms = new Map<string, TermView>()
  for (const post of posts) {
    for (const name of pick(post)) {
      const term = terms.get(name)
      if (term) term.count++
      else {
        const slug = slugify(name, {decamelize: false}) || 'term'
        terms.set(name, {name, slug, url: sitePath(`/${base}/${slug}/`), count: 1})
      }
    }
  }
  return terms
}

/** The archive: dated `posts` (newest first) by year, then month. */
export function archiveOf(posts: Post[], views: Map<Post, PostView>, language: string): ArchiveYearView[] {
  const years: ArchiveYearView[] = []
  for (const post of posts) {
    const [year = '', month = ''] = (post.date ?? '').split('-')
    let yearView = years.at(-1)
    if (!yearView || yearView.year !== year) years.push((yearView = {year, months: []}))
    let monthView = yearView.months.at(-1)
    if (!monthView || monthView.month !== month) {
      monthView = {month, name: monthNameDisplay(`${year}-${month}`, language), posts: []}
      yearView.months.push(monthView)
    }
    monthView.posts.push(views.get(post)!)
  }
  return years
}

/** A link to `post` by its view's title and URL. */
export function linkTo(post: Post, views: Map<Post, PostView>): LinkView {
  const view = views.get(post)!
  return {title: view.title, url: view.url}
}

/** The site's card image (`theme.image`) as shared pages show it: its card variant when its size can be read (see images.ts). */
export async function readSiteCard(config: ResolvedConfig): Promise<CardImage | undefined> {
  const image = config.theme.image
  if (!image?.url) return undefined
  const size = image.source ? await readImageSize(image.source) : undefined
  if (!size) return {url: image.url}
  const card = cardVariant(image.url, size)
  return card ? {url: card.url, width: card.width, height: card.height} : {url: image.url, width: size.width, height: size.height}
}

/** The width and height of every published cover, by its resolved path (read once, so pages reserve the space). */
export async function readCoverSizes(config: ResolvedConfig, posts: Post[]): Promise<Map<string, {width: number; height: number}>> {
  const sizes = new Map<string, {width: number; height: number}>()
  for (const post of posts) {
    if (!post.cover || sizes.has(post.cover.resolved)) continue
    const size = await readImageSize(path.join(config.postsDir, ...post.cover.resolved.split('/')))
    if (size) sizes.set(post.cover.resolved, size)
  }
  return sizes
}

/** What a post's view takes from its web render. */
export interface RenderedExcerpt {
  excerptHtml: string
  hasMore: boolean
}

/** A function making a post's view, given its render, against the site's terms and cover sizes. */
export function postViewMaker(
  config: ResolvedConfig,
  terms: {tags: Map<string, TermView>; categories: Map<string, TermView>},
  coverSizes: Map<string, {width: number; height: number}>
): (post: Post, own: RenderedExcerpt) => PostView {
  const sitePath = sitePathFor(config)
  const absolute = absoluteFor(config)
  const display = (date: string | undefined) => (date ? dayDisplay(date, config.language) : '')
  return (post, own) => ({
    title: post.title,
    url: sitePath(post.url),
    absoluteUrl: absolute(post.url),
    date: post.date ?? '',
    dateDisplay: display(post.date),
    datetime: post.datetime ?? post.date ?? '',
    updated: post.updated ?? '',
    updatedDisplay: display(post.updated),
    readingMinutes: post.readingMinutes,
    words: post.words,
    tags: post.tags.map((name) => terms.tags.get(name)!).filter(Boolean),
    categories: post.categories.map((name) => terms.categories.get(name)!).filter(Boolean),
    authors: (post.authors.length > 0 ? post.authors : config.authors.slice(0, 1).map((author) => author.id)).map(
      (id) => config.authors.find((author) => author.id === id)?.name ?? id
    ),
    description: post.description ?? '',
    excerptHtml: own.excerptHtml,
    hasMore: own.hasMore,
    draft: post.draft,
    page: post.page,
    sourcePath: post.sourcePath,
    ...(post.cover ? {cover: coverView(post, coverSizes)} : {})
  })
}

function coverView(post: Post, sizes: Map<string, {width: number; height: number}>): ImageView {
  const size = sizes.get(post.cover!.resolved)
  // The cover illustrates the title right next to it: decorative, so empty alt.
  const view: ImageView = {url: post.cover!.url, alt: '', ...(size ? {width: size.width, height: size.height} : {})}
  const variants = size ? webVariants(post.cover!.url, size) : []
  if (size && variants.length > 0) {
    view.srcset = srcsetOf(variants)
    view.sizes = sizesOf(size.width)
    const card = cardVariant(post.cover!.url, size)
    if (card) view.card = {url: card.url, width: card.width, height: card.height}
  }
  return view
}

/** The theme's file `assets/NAME` (`theme.css`), the site's own if it has one, else the built-in one. */
function themeAsset(config: ResolvedConfig, name: string): string | undefined {
  return findTemplateFile(webTemplateDirs(config), `assets/${name}`)
}

/** The files of the theme the build copies into the site, with where they go (relative to OUT/site). */
export function themeFilesOf(config: ResolvedConfig): Array<{from: string; to: string}> {
  return themeFiles(config, (name) => themeAsset(config, name))
}

/**
 * The site's view: its name, navigation (the standalone pages by title,
 * then the archive, tags and, with issues, the newsletter; placed by
 * `theme.nav` when the config has it), feeds and theme files. `posts` are
 * the dated posts, newest first.
 */
export function siteViewOf(config: ResolvedConfig, posts: Post[], standalone: Post[], hasIssues: boolean): SiteView {
  const sitePath = sitePathFor(config)
  // The theme's files are linked with a version of their bytes (`?v=`), so a browser may keep them until they
  // change, as it is told to by a host that says so (and by `dev`).
  const themeVersion = (name: string) => versionQuery(themeAsset(config, name))
  const strings = stringsOf(config)
  const automatic = [
    ...standalone.map((page) => ({title: page.title, url: sitePath(page.url)})),
    {title: strings.text('site.archive'), url: sitePath('/archive/')},
    {title: strings.text('site.tags'), url: sitePath('/tags/')},
    ...(hasIssues ? [{title: strings.text('site.newsletter'), url: sitePath('/newsletter/')}] : [])
  ]
  return {
    title: config.title,
    description: config.description,
    language: config.language,
    baseUrl: config.baseUrl ?? '',
    basePath: basePathOf(config),
    nav: navOf(config.theme, automatic, sitePath),
    subscribeUrl: config.subscribeUrl ?? '',
    newsletterName: config.newsletter.name,
    feeds: {rss: sitePath('/feed.xml'), atom: sitePath('/atom.xml'), json: sitePath('/feed.json')},
    stylesheet: sitePath('/assets/theme/theme.css') + themeVersion('theme.css'),
    script: sitePath('/assets/theme/theme.js') + themeVersion('theme.js'),
    katexStylesheet: sitePath('/assets/katex/katex.min.css'),
    ...(config.search ? {search: searchViewOf(sitePath, themeVersion('search.js'))} : {}),
    authors: config.authors.map((author) => ({name: author.name, ...(author.url ? {url: author.url} : {})})),
    copyrightYear: posts[0]?.date?.slice(0, 4) ?? '',
    copyrightHtml: config.copyright ?? '',
    theme: themeViewOf(config)
  }
}

/** The words the search box shows: its label, its placeholder, what it says of its results. */
export const searchWords = {
  label: 'Search',
  placeholder: 'Search posts',
  noResults: 'No results',
  oneResult: '1 result',
  results: '{count} results'
}

/** The search box's view: its files (the script versioned by its bytes) and `searchWords`. */
function searchViewOf(sitePath: (url: string) => string, version: string): SearchView {
  return {
    script: sitePath('/assets/theme/search.js') + version,
    library: sitePath('/' + searchAssets()[0]!.to) + versionQuery(searchAssets()[0]!.from),
    index: sitePath('/' + searchIndexPath),
    texts: sitePath('/search/text/'),
    ...searchWords
  }
}

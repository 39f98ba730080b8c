/**
 * The site plan: every HTML page the site publishes, as a list of what each
 * one is (its path under OUT/site, its template, what it shows), in the
 * order they are rendered: each post (and its aliases' redirect pages), the
 * home page's pages, the tags and categories, the archive, the newsletter's
 * pages, 404. Pure: it renders and writes nothing, so what exists can be
 * tested without a build; the pipeline renders each entry with the
 * templates, reusing what it can.
 */
import {stringsOf, type ResolvedConfig} from '../source/config.js'
import {monthDisplay} from '../source/dates.js'
import type {Post} from '../source/post.js'
import {absoluteFor, sitePathFor} from '../source/urls.js'
import {plainExcerpt} from '../render/plain-text.js'
import {postJsonLd, websiteJsonLd} from './json-ld.js'
import {archiveOf, linkTo} from './site-views.js'
import type {CardImage, IssueListView, LinkView, PageContext, PaginationView, PostPageView, PostView, SiteView, TermView, TocEntry} from './views.js'

/** A page whose whole context is known when it is planned. */
export interface ListPage {
  kind: 'list'
  /** Path relative to OUT/site (`tags/ml/index.html`). */
  path: string
  template: string
  context: PageContext
}

/** A post's (or standalone page's) own page, whose body is read only when it is rendered. */
export interface PostPage {
  kind: 'post'
  path: string
  template: string
  post: Post
  view: PostView
  /** The links to the posts before and after it in the list of posts. */
  neighbours: {previous?: LinkView; next?: LinkView}
  related: PostView[]
  /** Its context, given its body's HTML. */
  context(contentHtml: string): PageContext
}

export type PlannedPage = ListPage | PostPage

/** An issue as its web page and the newsletter list show it. */
export interface WebIssue {
  summary: {month: string; number: number; subject: string; preheader: string; posts: Array<{slug: string; title: string; url: string}>}
  /** The issue's body, for reading on the web. */
  webHtml: string
  /** When it is dated (its Date header); `undefined`: the first of its month. */
  emlHeaders?: {readonly date: Date} | undefined
}

/** Where the newsletter's feed of issues is, under OUT/site. */
export const issueFeedPath = 'newsletter/feed.xml'

/**
 * The newsletter's feed of issues in the plan: its path under OUT/site
 * when the site has issues (the newsletter page links to it), else
 * `undefined`, as the newsletter's pages.
 */
export function planIssueFeed(facts: Pick<SiteFacts, 'issues'>): string | undefined {
  return facts.issues.length > 0 ? issueFeedPath : undefined
}

/** What the plan is made from. */
export interface SiteFacts {
  config: ResolvedConfig
  /** The published posts and pages, newest first (as the site loaded them). */
  published: Post[]
  views: Map<Post, PostView>
  siteView: SiteView
  tags: Map<string, TermView>
  categories: Map<string, TermView>
  issues: WebIssue[]
  /** A post's related posts. */
  related(post: Post): Post[]
  /** Whether a post's body uses math. */
  hasMath(post: Post): boolean
  /** The site's own card image (`theme.image`), its card variant when it has one; shared pages without a cover show it. */
  siteCard?: CardImage | undefined
}

/**
 * A post's card image when it is shared (`og:image`): its cover's card
 * (1200 pixels wide at most, JPEG or PNG), else the site's.
 */
function cardImage(view: PostView, siteCard: CardImage | undefined, absolute: (url: string) => string): Pick<PageContext, 'ogImage' | 'ogImageWidth' | 'ogImageHeight'> {
  const cover = view.cover
  if (cover) return cardFields(cover.card ?? {url: cover.url}, absolute)
  return cardFields(siteCard, absolute)
}

/** A page's `og:image` fields for `card` (none: an empty image, which the layout leaves out). */
function cardFields(card: CardImage | undefined, absolute: (url: string) => string): Pick<PageContext, 'ogImage' | 'ogImageWidth' | 'ogImageHeight'> {
  if (!card) return {ogImage: ''}
  const sized = card.width !== undefined && card.height !== undefined
  return {ogImage: absolute(card.url), ...(sized ? {ogImageWidth: String(card.width), ogImageHeight: String(card.height)} : {})}
}

/**
 * What the site's search finds: every published post and page but drafts
 * (which `--drafts` shows, but no reader should find), as their views say
 * them; `undefined` with `search: false` (no index, no box).
 */
export function planSearch(facts: SiteFacts): Array<{post: Post; view: PostView}> | undefined {
  if (!facts.config.search) return undefined
  return searchedPosts(facts.config, facts.published).map((post) => ({post, view: facts.views.get(post)!}))
}

/** The posts and pages of `published` that search finds: none with `search: false`, never a draft. */
export function searchedPosts(config: ResolvedConfig, published: readonly Post[]): Post[] {
  return published.filter((post) => isSearched(config, post))
}

/** Whether search finds a published post. */
export function isSearched(config: ResolvedConfig, post: Post): boolean {
  return config.search && !post.draft
}

/** The site's pages, in render order. */
export function planSite(facts: SiteFacts): PlannedPage[] {
  const pages: PlannedPage[] = []
  const page = contextMaker(facts)
  for (const post of facts.published) pages.push(...planPost(facts, post))
  const posts = facts.published.filter((post) => !post.page)
  pages.push(...listPages(facts, page, posts))
  pages.push(...issuePages(facts, page))
  const notFound = stringsOf(facts.config).text('notFound.title')
  pages.push({kind: 'list', path: '404.html', template: '404', context: page('/404.html', '404', {pageTitle: notFound})})
  return pages
}

/**
 * A post's own page and its aliases' redirect pages. `as` renders it in the
 * place of another post (a saved post previewed where it stood): its
 * neighbours and related posts are that one's, its view and `hasMath` its own.
 */
export function planPost(facts: SiteFacts, post: Post, as?: {standing: Post; view: PostView; hasMath: boolean}): PlannedPage[] {
  const {config} = facts
  const page = contextMaker(facts)
  const absolute = absoluteFor(config)
  const sitePath = sitePathFor(config)
  const standing = as?.standing ?? post
  const view = as?.view ?? facts.views.get(post)!
  const {list, at: places} = datedOrder(facts.published)
  const at = post.page ? -1 : places.get(standing) ?? -1
  const newer = at > 0 ? list[at - 1] : undefined
  const older = at >= 0 && at < list.length - 1 ? list[at + 1] : undefined
  const template = post.page ? 'page' : 'post'
  const neighbours = {...(older ? {previous: linkTo(older, facts.views)} : {}), ...(newer ? {next: linkTo(newer, facts.views)} : {})}
  const related = post.page ? [] : facts.related(standing).map((other) => facts.views.get(other)!)
  const hasMath = as ? as.hasMath : facts.hasMath(post)
  const pages: PlannedPage[] = [{
    kind: 'post',
    path: pagePath(post.url),
    template,
    post,
    view,
    neighbours,
    related,
    context(contentHtml) {
      const pageView: PostPageView = {
        ...view,
        contentHtml,
        ...tableOfContents(post),
        ...neighbours,
        related
      }
      return page(post.url, template, {
        pageTitle: post.title,
        pageDescription: post.description ?? plainExcerpt(view.excerptHtml) ?? config.description,
        ogType: post.page ? 'website' : 'article',
        ...cardImage(view, facts.siteCard, absolute),
        jsonLdHtml: post.page ? '' : postJsonLd(post, view, config, absolute),
        hasMath,
        post: pageView
      })
    }
  }]
  for (const alias of post.frontmatter.aliases) {
    const from = aliasPath(alias)
    pages.push({kind: 'list', path: pagePath(from), template: 'redirect', context: page(from, 'redirect', {
      pageTitle: post.title,
      canonical: absolute(post.url),
      redirectTo: sitePath(post.url)
    })})
  }
  return pages
}

/** The dated posts (not pages) of `published` in its order, and each one's place, worked out once per list. */
const datedOrders = new WeakMap<readonly Post[], {list: Post[]; at: Map<Post, number>}>()
function datedOrder(published: readonly Post[]): {list: Post[]; at: Map<Post, number>} {
  let order = datedOrders.get(published)
  if (!order) {
    const list = published.filter((post) => !post.page)
    order = {list, at: new Map(list.map((post, index) => [post, index]))}
    datedOrders.set(published, order)
  }
  return order
}

/**
 * A post's table of contents: the headings of its top two levels, whatever
 * they are (`##` and `###`, or `###` and `####` in a post whose sections
 * are `###`), without a `#` heading that repeats the title. It is
 * shown as the frontmatter says (`toc: true|false`, or MkDocs' `hide:
 * [toc]`), else when the post has over 900 words and three sections.
 */
export function tableOfContents(post: Post): {toc: TocEntry[]; showToc: boolean} {
  // A lone `#` heading is the title again; several are the post's sections.
  const ones = post.headings.filter((entry) => entry.depth === 1)
  const title = post.titleFromHeading || ones.length === 1 ? ones[0] : undefined
  const headings = post.headings.filter((entry) => entry !== title)
  const top = Math.min(...headings.map((entry) => entry.depth))
  const toc = headings.filter((entry) => entry.depth <= top + 1).map((entry) => ({...entry, level: entry.depth - top + 1}))
  const hide = post.frontmatter.extra['hide']
  const hidden = Array.isArray(hide) ? hide.includes('toc') : hide === 'toc'
  const wanted = post.frontmatter.toc ?? (hidden ? false : undefined)
  const automatic = post.words > 900 && toc.filter((entry) => entry.level === 1).length >= 3
  return {toc, showToc: toc.length > 0 && (wanted ?? automatic)}
}

/** The URL an alias's redirect page is at: as written when it ends in `/` or `.html`, else with a `/`. */
export function aliasPath(alias: string): string {
  return alias.endsWith('/') || alias.endsWith('.html') ? alias : alias + '/'
}

/** Where a page at `url` goes, relative to OUT/site. */
function pagePath(url: string): string {
  return url.replace(/^\//, '') + (url.endsWith('.html') ? '' : 'index.html')
}

type MakeContext = (url: string, kind: string, fields: Partial<PageContext> & {pageTitle: string}) => PageContext

/** A function making a page's context: the site's view and defaults, then the page's own fields. */
function contextMaker({config, siteView, siteCard}: SiteFacts): MakeContext {
  const absolute = absoluteFor(config)
  const sitePath = sitePathFor(config)
  return (url, kind, fields) => ({
    site: siteView,
    kind,
    pageDescription: config.description,
    canonical: absolute(url),
    url: sitePath(url),
    ogType: 'website',
    ...cardFields(siteCard, absolute),
    jsonLdHtml: '',
    hasMath: false,
    showDrafts: config.drafts,
    ...fields
  })
}

/** The home page's pages, the tag and category pages, and the archive. */
function listPages(facts: SiteFacts, page: MakeContext, posts: Post[]): PlannedPage[] {
  const {config} = facts
  const strings = stringsOf(config)
  const numbered = (title: string, number: number) => (number === 1 ? title : strings.text('site.pageTitleNumbered', {title, number}))
  const pages: PlannedPage[] = []
  const paginated = (base: string, list: Post[], make: (url: string, number: number, shown: PostView[], pagination: PaginationView) => [string, PageContext]) => {
    for (const [url, entry] of paginate(facts, base, list, make)) pages.push({kind: 'list', path: pagePath(url), template: entry[0], context: entry[1]})
  }
  paginated('/', posts, (url, number, shown, pagination) => ['home', page(url, 'home', {
    pageTitle: numbered(config.title, number),
    posts: shown,
    pagination,
    jsonLdHtml: number === 1 ? websiteJsonLd(config, absoluteFor(config)) : ''
  })])
  for (const [kind, terms, base] of [['tag', facts.tags, '/tags/'], ['category', facts.categories, '/categories/']] as const) {
    const all = [...terms.values()].sort((a, b) => a.name.localeCompare(b.name))
    if (kind === 'category' && all.length === 0) continue
    pages.push({kind: 'list', path: pagePath(base), template: 'tags', context: page(base, 'tags', {
      pageTitle: strings.text(kind === 'tag' ? 'site.tags' : 'site.categories'),
      terms: all,
      termKind: kind
    })})
    for (const term of all) {
      const tagged = posts.filter((post) => (kind === 'tag' ? post.tags : post.categories).includes(term.name))
      const title = strings.text(kind === 'tag' ? 'term.tagTitle' : 'term.categoryTitle', {name: term.name})
      paginated(`${base}${term.slug}/`, tagged, (url, number, shown, pagination) => ['tag', page(url, 'tag', {
        pageTitle: numbered(title, number),
        term,
        termKind: kind,
        posts: shown,
        pagination
      })])
    }
  }
  pages.push({kind: 'list', path: pagePath('/archive/'), template: 'archive', context: page('/archive/', 'archive', {
    pageTitle: strings.text('site.archive'),
    archive: archiveOf(posts.filter((post) => post.date !== undefined), facts.views, config.language)
  })})
  return pages
}

/** A list of posts, `postsPerPage` to a page: at `base`, then `base` + page/N/. */
function paginate(
  {config, views}: SiteFacts,
  base: string,
  list: Post[],
  make: (url: string, number: number, shown: PostView[], pagination: PaginationView) => [string, PageContext]
): Array<[string, [string, PageContext]]> {
  const sitePath = sitePathFor(config)
  const perPage = config.postsPerPage
  const pageCount = Math.max(1, Math.ceil(list.length / perPage))
  const at = (number: number) => (number === 1 ? base : `${base}page/${number}/`)
  const pages: Array<[string, [string, PageContext]]> = []
  for (let number = 1; number <= pageCount; number++) {
    const shown = list.slice((number - 1) * perPage, number * perPage).map((post) => views.get(post)!)
    const pagination: PaginationView = {
      page: number,
      pages: pageCount,
      ...(number > 1 ? {previous: sitePath(at(number - 1))} : {}),
      ...(number < pageCount ? {next: sitePath(at(number + 1))} : {})
    }
    pages.push([at(number), make(at(number), number, shown, pagination)])
  }
  return pages
}

/** The newsletter: every issue as a web page, and their list (none without issues). */
function issuePages(facts: SiteFacts, page: MakeContext): PlannedPage[] {
  const {config, issues} = facts
  if (issues.length === 0) return []
  const sitePath = sitePathFor(config)
  const strings = stringsOf(config)
  const bySlug = new Map<string, Post>()
  for (const post of facts.published) if (!bySlug.has(post.slug)) bySlug.set(post.slug, post)
  const list: IssueListView[] = issues
    .map((issue) => ({
      month: issue.summary.month,
      monthDisplay: monthDisplay(issue.summary.month, config.language),
      number: issue.summary.number,
      subject: issue.summary.subject,
      preheader: issue.summary.preheader,
      url: sitePath(`/newsletter/${issue.summary.month}/`),
      posts: issue.summary.posts.map((entry) => ({title: entry.title, url: sitePath(new URL(entry.url, 'http://x').pathname)}))
    }))
    .sort((a, b) => b.month.localeCompare(a.month))
  const pages: PlannedPage[] = [{kind: 'list', path: pagePath('/newsletter/'), template: 'newsletter', context: page('/newsletter/', 'newsletter', {
    pageTitle: strings.text('newsletter.title', {name: config.newsletter.name}),
    pageDescription: strings.text('newsletter.description', {name: config.newsletter.name}),
    issues: list,
    issuesFeed: sitePath(`/${issueFeedPath}`)
  })}]
  for (const [index, entry] of list.entries()) {
    const issue = issues.find((candidate) => candidate.summary.month === entry.month)!
    const newer = list[index - 1]
    const older = list[index + 1]
    const url = `/newsletter/${entry.month}/`
    pages.push({kind: 'list', path: pagePath(url), template: 'issue', context: page(url, 'issue', {
      pageTitle: entry.subject,
      pageDescription: entry.preheader || `${config.newsletter.name}, ${entry.monthDisplay}`,
      hasMath: issue.summary.posts.some((summary) => {
        const post = bySlug.get(summary.slug)
        return post ? facts.hasMath(post) : false
      }),
      issue: {
        ...entry,
        contentHtml: issue.webHtml,
        ...(older ? {previous: {title: older.monthDisplay, url: older.url}} : {}),
        ...(newer ? {next: {title: newer.monthDisplay, url: newer.url}} : {})
      }
    })})
  }
  return pages
}

/**
 * The typed view models the web templates receive. Templates never see mdast
 * or config internals: only these shapes (documented in the README's
 * templates section). HTML-valued fields end in `Html` and are the only ones
 * templates print unescaped.
 */

/** A link with a label. */
export interface LinkView {
  title: string
  url: string
}

/** A tag or category with its page. */
export interface TermView {
  name: string
  slug: string
  url: string
  /** How many published posts carry it. */
  count: number
}

/** An image with its intrinsic size (when known). */
export interface ImageView {
  url: string
  width?: number
  height?: number
  alt: string
  /** Its WebP variants by width, for `<source type="image/webp" srcset>` (a local raster image only). */
  srcset?: string
  /** The `sizes` of the image shown at most the text column wide, at most its own width. */
  sizes?: string
  /** A cover's social card (`og:image`): its variant 1200 pixels wide at most, JPEG or PNG. */
  card?: {url: string; width: number; height: number}
}

/** One entry of a table of contents. */
export interface TocEntry {
  /** The heading's own level (2 for `##`). */
  depth: number
  /** 1 for the post's top heading level, 2 for the level under it. */
  level: number
  text: string
  id: string
}

/** What the site's `theme:` settings add to every page. */
export interface ThemeView {
  /** The logo beside the site's title, if any. */
  logo?: {url: string}
  /** The icon every page links: `theme.favicon`, else the logo, else a monogram of the title (a `data:` URL). */
  favicon: {url: string; type: string}
  /** A `<style>` element setting the accent colour in both palettes, or ''. */
  accentStyleHtml: string
  /** The site's own stylesheets, linked after the theme's (each with `?v=`). */
  stylesheets: string[]
  /** The config's extra `<head>` HTML, or ''. */
  headHtml: string
  /** The comments slot shown after each post, or ''. */
  commentsHtml: string
  footerLinks: LinkView[]
}

/**
 * The search box: where its scripts and index are (loaded when the box is
 * first used), and every word it shows, which the theme script reads from
 * the box's `data-` attributes.
 */
export interface SearchView {
  script: string
  library: string
  index: string
  /** The folder of the documents' texts (`search/text/`). */
  texts: string
  label: string
  placeholder: string
  /** Said when nothing matches, and how many results there are (`{count}` is the number). */
  noResults: string
  oneResult: string
  results: string
}

/** What every page knows about the site. */
export interface SiteView {
  title: string
  description: string
  language: string
  /** Absolute site URL with trailing slash, or '' when not configured. */
  baseUrl: string
  /** Site path prefix, `/` unless the site lives in a sub-folder. */
  basePath: string
  /**
   * The navigation: the standalone pages and the fixed sections, or the
   * config's `theme.nav` with those where it says `auto`.
   */
  nav: LinkView[]
  subscribeUrl: string
  newsletterName: string
  feeds: {rss: string; atom: string; json: string}
  /** URL of the theme's stylesheet and script. */
  stylesheet: string
  script: string
  /** Whether any page needs the KaTeX stylesheet. */
  katexStylesheet: string
  /** The search box's files and words; `undefined` with `search: false`. */
  search?: SearchView | undefined
  authors: Array<{name: string; url?: string}>
  /** Year of the newest post (for the footer); never the build's clock. */
  copyrightYear: string
  /** The config's `copyright` line, HTML as in MkDocs' `copyright`; '' for `© year` and the authors. */
  copyrightHtml: string
  theme: ThemeView
}

/** A post or standalone page, as lists and its own page show it. */
export interface PostView {
  title: string
  url: string
  /** Absolute URL, or the site-relative one without a base URL. */
  absoluteUrl: string
  /** `YYYY-MM-DD` (empty for pages). */
  date: string
  /** `October 3, 2026`, in the site's language. */
  dateDisplay: string
  /** Full ISO datetime for `<time datetime>` and feeds. */
  datetime: string
  updated: string
  updatedDisplay: string
  readingMinutes: number
  words: number
  tags: TermView[]
  categories: TermView[]
  authors: string[]
  description: string
  /** HTML of the excerpt (up to `<!-- more -->`, else the description, else the first paragraph). */
  excerptHtml: string
  /** Whether the post has more than its excerpt shows. */
  hasMore: boolean
  draft: boolean
  page: boolean
  cover?: ImageView
  /** Source path relative to ROOT, for "edit this page" links and dev overlays. */
  sourcePath: string
}

/** A post's own page. */
export interface PostPageView extends PostView {
  /** The rendered body. */
  contentHtml: string
  /** The headings of the post's top two levels (`##` and `###`, or `###` and `####` in a post whose sections are `###`). */
  toc: TocEntry[]
  /**
   * Whether the page shows them: frontmatter `toc: true|false`, else when
   * the post has over 900 words and three headings at its top level.
   */
  showToc: boolean
  previous?: LinkView
  next?: LinkView
  related: PostView[]
}

/** Pagination of a list. */
export interface PaginationView {
  page: number
  pages: number
  previous?: string
  next?: string
}

/** An image a shared page shows (`og:image`): a site path, and its size when known. */
export interface CardImage {
  url: string
  width?: number | undefined
  height?: number | undefined
}

/** Posts grouped by month, for the archive. */
export interface ArchiveYearView {
  year: string
  months: Array<{month: string; name: string; posts: PostView[]}>
}

/** One monthly issue, as the newsletter pages show it. */
export interface IssueListView {
  /** `YYYY-MM`. */
  month: string
  /** `October 2026`. */
  monthDisplay: string
  /** 1 for the first issue. */
  number: number
  subject: string
  preheader: string
  /** Its web page (`/newsletter/2026-10/`). */
  url: string
  posts: LinkView[]
}

/** One issue's own web page. */
export interface IssuePageView extends IssueListView {
  /** The issue's body, as the email has it, for reading on the web. */
  contentHtml: string
  previous?: LinkView
  next?: LinkView
}

/** Data of one rendered page: `site`, the page kind and its own fields. */
export interface PageContext {
  site: SiteView
  /** Which template renders it (`post`, `home`, `tag`, ...). */
  kind: string
  /** `<title>` and og:title. */
  pageTitle: string
  /** Meta description. */
  pageDescription: string
  /** Canonical absolute URL (or site-relative without a base URL). */
  canonical: string
  /** Site-relative URL of this page. */
  url: string
  /** OpenGraph type. */
  ogType: 'website' | 'article'
  /** Image for OpenGraph/Twitter cards (absolute), if any. */
  ogImage: string
  /** The pixel size of `ogImage`, when known (`og:image:width`, `og:image:height`); else empty. */
  ogImageWidth?: string
  ogImageHeight?: string
  /** JSON-LD, already serialised safely for a `<script>` element. */
  jsonLdHtml: string
  /** Whether this page uses math (adds the KaTeX stylesheet). */
  hasMath: boolean
  /** Whether drafts are shown (dev / --drafts): templates mark drafts. */
  showDrafts: boolean
  /** Per-kind data: */
  post?: PostPageView
  posts?: PostView[]
  pagination?: PaginationView
  term?: TermView
  terms?: TermView[]
  termKind?: 'tag' | 'category'
  archive?: ArchiveYearView[]
  /** The newsletter archive, newest first. */
  issues?: IssueListView[]
  /** The newsletter's feed of issues (`/newsletter/feed.xml`), on the newsletter page. */
  issuesFeed?: string
  /** One issue's page. */
  issue?: IssuePageView
  /** Redirect target for alias pages. */
  redirectTo?: string
}

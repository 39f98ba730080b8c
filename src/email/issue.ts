/**
 * The monthly issue: which posts go into which month's email, in what
 * order and shape (`collectIssues`), and the build of one issue into its
 * files (`buildIssue`): issue.mjml, issue.html, issue.txt, issue.eml and
 * issue.json, plus the body HTML of its web archive page.
 *
 * Rules:
 * - a month (`YYYY-MM`) has an issue when it has at least one published
 *   post that is not a page, not a draft (unless `drafts`), and not
 *   `email: false`;
 * - issues are numbered 1, 2, ... from the first month that had one;
 * - posts are in date order, oldest first (`newsletter.order: newest` turns
 *   that round); the lead post goes in whole: the note's `lead:` slug, else
 *   the first `email: full` post, else the first post not `email: card`.
 *   Every other `email: full` post goes in whole too; the rest are cards;
 * - the subject is `<newsletter name> — <Month YYYY>` unless the note sets
 *   one; the preheader is the note's, else the lead's description, else its
 *   first paragraph;
 * - the issue's date is the newest post date in the month at 09:00 UTC, or
 *   SOURCE_DATE_EPOCH when set: never the wall clock.
 */
import path from 'node:path'
import {posix} from 'node:path'
import type {Paragraph, Root, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import type {ResolvedConfig} from '../config.js'
import {createHighlight, type Highlight} from '../highlight.js'
import {createParser, type Parser} from '../parse.js'
import {excerptNodes, type Post} from '../post.js'
import type {Site} from '../site.js'
import {measureImages, type ImageSize} from '../web/media.js'
import {composeEml} from './eml.js'
import {lintEmailHtml, type EmailLintFinding} from './lint.js'
import {loadIssueNotes, type IssueNote} from './notes.js'
import {absoluteUrl, emailHastToHtml, renderEmailHast, withUtm, type UtmParameters} from './render.js'
import {bodyWidth, colors, contentPadding, contentWidth, fonts, headCss} from './styles.js'
import {builtInEmailTemplatesDir, createEmailTemplates, type EmailTemplates} from './templates.js'
import {createLinkReferences, renderEmailText, type LinkReferences} from './text.js'
import type {EmailCardView, EmailPostView, IssueTemplateContext, IssueView} from './views.js'

/** Issue HTML size that draws a warning (bytes): Gmail clips at about 102 KB. */
export const htmlSizeWarning = 90 * 1024
/** Issue HTML size that is an error (bytes): beyond it Gmail clips the message. */
export const htmlSizeLimit = 102 * 1024

/** Where links point when the site has no `baseUrl` (a warning says so). */
const placeholderBaseUrl = 'https://example.invalid/'

/** One month's issue, planned: which posts, in what shape. */
export interface IssuePlan {
  /** `YYYY-MM`. */
  month: string
  /** 1 for the first month that had an issue, then 2, 3, ... */
  number: number
  /** Every post of the issue, in issue order (leads first, then cards). */
  posts: Post[]
  /** Posts shown in full, the lead first. */
  leads: Post[]
  /** Posts shown as cards. */
  cards: Post[]
  /** The month's editorial note, if any. */
  note: IssueNote | undefined
  subject: string
  preheader: string
  /** The issue's date: newest post date at 09:00 UTC, or SOURCE_DATE_EPOCH. */
  date: Date
}

/** Options for `collectIssues`. */
export interface CollectIssuesOptions {
  /** Editorial notes by month (`loadIssueNotes`). */
  notes?: ReadonlyMap<string, IssueNote> | undefined
  /**
   * Seconds since the epoch for every issue's date; default: the
   * SOURCE_DATE_EPOCH environment variable, when set.
   */
  sourceDateEpoch?: number | undefined
}

/** A problem with the issue as a whole, in issue.json. */
export interface IssueWarning {
  /** Kebab-case rule id. */
  rule: string
  message: string
  /** Relative to ROOT. */
  file: string
  line: number
}

/** issue.json. */
export interface IssueSummary {
  month: string
  number: number
  subject: string
  preheader: string
  posts: Array<{slug: string; title: string; url: string}>
  /** UTF-8 sizes of issue.html and issue.txt. */
  bytes: {html: number; text: number}
  warnings: IssueWarning[]
}

/** One issue, built. */
export interface IssueBuild {
  /** Files of `OUT/email/YYYY-MM/`, by name (`issue.html`, ...). */
  files: Map<string, string | Uint8Array>
  summary: IssueSummary
  /** The issue's body for its web archive page (`newsletter/YYYY-MM/`). */
  webHtml: string
  /** Whether a warning of `summary.warnings` is an error (the size limit). */
  errors: IssueWarning[]
  /**
   * What the email-safety lint (`lintEmailHtml`) found in issue.html, at
   * its lines there. Also in `summary.warnings`, and on the template files
   * of `IssueContext.templateFiles` (else `lintFile`).
   */
  lint: EmailLintFinding[]
}

/** An issue that cannot be built (no such month). Content problems are messages instead. */
export class IssueError extends Error {
  override name = 'IssueError'
}

/** What building issues needs, made once per build and shared by every issue. */
export interface IssueContext {
  notes: ReadonlyMap<string, IssueNote>
  /**
   * Files whose messages belong with the posts' in `build` and `check`: the
   * notes' files, then the email templates' (`templateFiles`, `lintFile`).
   */
  files: VFile[]
  /**
   * One file per email template in use (paths relative to ROOT for the
   * site's own templates, absolute for the built-in ones), by absolute
   * path. The email-safety lint's findings land on them as warnings, at
   * the template line that holds what was found when it can be found, else
   * on `lintFile`: the renderer's own output is lint-clean, so only
   * templates can add what the lint rejects.
   */
  templateFiles: ReadonlyMap<string, VFile>
  /** The file of `issue.mjml.liquid`, for findings no template line explains. */
  lintFile: VFile
  highlight: Highlight
  templates: EmailTemplates
  /** Image sizes by site path, filled as issues are built. */
  imageSizes: Map<string, ImageSize>
  sourceDateEpoch: number | undefined
  /** A `mailto:` address for List-Unsubscribe besides the merge tag, if any. */
  unsubscribeMailto: string | undefined
}

/** Options for `createIssueContext`. */
export interface IssueContextOptions {
  /** The build's parser (for the notes); one is made otherwise. */
  parser?: Parser | undefined
  /** The build's highlighter; one is made otherwise. */
  highlight?: Highlight | undefined
  /** Template folders, first wins (default: ROOT/templates/email, then the built-in ones). */
  templateDirs?: string[] | undefined
  /** Override SOURCE_DATE_EPOCH (seconds). */
  sourceDateEpoch?: number | undefined
  /** `mailto:` URL (or address) added to List-Unsubscribe. */
  unsubscribeMailto?: string | undefined
}

/** Read SOURCE_DATE_EPOCH, if set to a number. */
function sourceDateEpochFromEnv(): number | undefined {
  const value = process.env['SOURCE_DATE_EPOCH']
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value.trim())
}

/** Load the notes and make the highlighter and templates shared by every issue of a build. */
export async function createIssueContext(site: Site, options: IssueContextOptions = {}): Promise<IssueContext> {
  const parser = options.parser ?? createParser()
  const [{notes, files}, highlight] = await Promise.all([
    loadIssueNotes(site.config.root, parser),
    options.highlight ?? createHighlight()
  ])
  const templates = createEmailTemplates({
    dirs: options.templateDirs ?? [path.join(site.config.templatesDir, 'email'), builtInEmailTemplatesDir]
  })
  const mailto = options.unsubscribeMailto
  const root = site.config.root
  const shown = (file: string) => (file.startsWith(root + path.sep) ? path.relative(root, file).split(path.sep).join('/') : file)
  const templateFiles = new Map(templates.templateFiles().map((file) => [file, new VFile({path: shown(file)})]))
  const main = templates.templateFile('issue.mjml.liquid')
  const lintFile = (main === undefined ? undefined : templateFiles.get(main)) ?? new VFile({path: 'templates/email/issue.mjml.liquid'})
  return {
    notes,
    files: [...files, ...new Set([...templateFiles.values(), lintFile])],
    templateFiles,
    lintFile,
    highlight,
    templates,
    imageSizes: new Map(),
    sourceDateEpoch: options.sourceDateEpoch ?? sourceDateEpochFromEnv(),
    unsubscribeMailto: mailto === undefined ? undefined : mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`
  }
}

/** The posts that go into some month's issue. */
function emailPosts(site: Site): Post[] {
  return site.published.filter(
    (post) =>
      !post.page && post.month !== undefined && post.email !== false && (site.config.drafts || !post.draft)
  )
}

function monthDisplay(month: string, language: string): string {
  const format = new Intl.DateTimeFormat(language, {month: 'long', year: 'numeric', timeZone: 'UTC'})
  return format.format(new Date(`${month}-01T00:00:00Z`))
}

function dateDisplay(date: string, language: string): string {
  const format = new Intl.DateTimeFormat(language, {dateStyle: 'long', timeZone: 'UTC'})
  return format.format(new Date(`${date}T00:00:00Z`))
}

/** Shorten to `max` characters at a word boundary, with an ellipsis. */
function shorten(value: string, max: number): string {
  const clean = value.replace(/\s+/g, ' ').trim()
  if (clean.length <= max) return clean
  const cut = clean.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '') + '…'
}

function firstParagraph(post: Post): Paragraph | undefined {
  return post.tree.children.find((node): node is Paragraph => node.type === 'paragraph')
}

/**
 * Plan every issue of the site, oldest month first. Pure, apart from
 * reading SOURCE_DATE_EPOCH when `options.sourceDateEpoch` is not given.
 */
export function collectIssues(site: Site, options: CollectIssuesOptions = {}): IssuePlan[] {
  const {config} = site
  const notes = options.notes ?? new Map<string, IssueNote>()
  const epoch = options.sourceDateEpoch ?? sourceDateEpochFromEnv()
  const byMonth = new Map<string, Post[]>()
  for (const post of emailPosts(site)) {
    const list = byMonth.get(post.month!)
    if (list) list.push(post)
    else byMonth.set(post.month!, [post])
  }
  const months = [...byMonth.keys()].sort()
  for (const [month, note] of notes) {
    if (!byMonth.has(month)) {
      warnOnce(note.file, `Issue note for ${month}, but ${month} has no post for the email: it is not used`, 'issue-note-unused')
    }
  }

  return months.map((month, index) => {
    const note = notes.get(month)
    const posts = [...byMonth.get(month)!].sort(
      (a, b) =>
        (a.datetime ?? a.date ?? '').localeCompare(b.datetime ?? b.date ?? '') ||
        a.sourcePath.localeCompare(b.sourcePath)
    )
    if (config.newsletter.order === 'newest') posts.reverse()

    let lead: Post | undefined
    if (note?.lead !== undefined && note.lead.toLowerCase() !== 'none') {
      lead = posts.find((post) => post.slug === note.lead)
      if (!lead) {
        warnOnce(
          note.file,
          `\`lead: ${note.lead}\` names no post of ${month}; use the slug of one of: ${posts.map((post) => post.slug).join(', ')}`,
          'issue-note-lead'
        )
      }
    }
    if (!lead && note?.lead?.toLowerCase() !== 'none') {
      lead = posts.find((post) => post.email === 'full') ?? posts.find((post) => post.email !== 'card')
    }
    const leads = [
      ...(lead ? [lead] : []),
      ...posts.filter((post) => post.email === 'full' && post !== lead)
    ]
    const cards = posts.filter((post) => !leads.includes(post))

    const newest = posts.map((post) => post.date ?? '').sort().at(-1)!
    const date = epoch !== undefined ? new Date(epoch * 1000) : new Date(`${newest}T09:00:00Z`)
    const subject = note?.subject ?? `${config.newsletter.name} — ${monthDisplay(month, config.language)}`
    const first = leads[0] ?? cards[0]!
    const firstText = firstParagraph(first)
    const preheader =
      note?.preheader ?? shorten(first.description ?? (firstText ? toString(firstText) : first.title), 150)

    return {month, number: index + 1, posts: [...leads, ...cards], leads, cards, note, subject, preheader, date}
  })
}

/** Add a warning at the top of `file` unless it is there already (plans are made more than once). */
function warnOnce(file: VFile, reason: string, ruleId: string): void {
  if (file.messages.some((message) => message.reason === reason && message.ruleId === ruleId)) return
  file.message(reason, {place: {line: 1, column: 1}, ruleId, source: 'letterpress'})
}

/** Top-level nodes plus the definitions they may refer to (kept from the whole tree). */
function withDefinitions(nodes: RootContent[], tree: Root, footnotes: boolean): Root {
  const children = [...nodes]
  for (const node of tree.children) {
    if (children.includes(node)) continue
    if (node.type === 'definition' || (footnotes && node.type === 'footnoteDefinition')) children.push(node)
  }
  const root: Root = structuredClone({type: 'root', children})
  if (!footnotes) {
    // An excerpt's footnote calls would point at notes it does not show.
    visit(root, 'footnoteReference', (_node, index, parent) => {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return index
      }
      return undefined
    })
  }
  return root
}

/** What a card shows: the excerpt up to `<!-- more -->`, else the description, else the first paragraph. */
function excerptTree(post: Post): Root {
  const nodes = excerptNodes(post)
  if (nodes && nodes.length > 0) return withDefinitions(nodes, post.tree, false)
  if (post.description) {
    return {type: 'root', children: [{type: 'paragraph', children: [{type: 'text', value: post.description}]}]}
  }
  const first = firstParagraph(post)
  return withDefinitions(first ? [first] : [], post.tree, false)
}

/** Copy messages from a scratch file onto the real one, once (building twice adds nothing twice). */
function mergeMessages(from: VFile, to: VFile): void {
  for (const message of from.messages) {
    const exists = to.messages.some(
      (other) =>
        other.reason === message.reason &&
        other.ruleId === message.ruleId &&
        other.line === message.line &&
        other.column === message.column
    )
    if (exists) continue
    const copy = to.message(message.reason, {
      place: message.place ?? undefined,
      ruleId: message.ruleId ?? undefined,
      source: message.source ?? 'letterpress'
    })
    copy.fatal = message.fatal
  }
}

/** Everything one part of the issue needs to render (a post, an excerpt, an intro). */
interface PartOptions {
  baseUrl: string
  pageUrl: string
  utm: UtmParameters | undefined
  links: LinkReferences
  file: VFile
  dropFirstHeading: boolean
}

interface RenderedPart {
  html: string
  webHtml: string
  text: string
}

function renderPart(tree: Root, options: PartOptions, context: IssueContext, ownLinks: boolean): RenderedPart {
  const common = {
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl,
    highlight: context.highlight,
    imageSizes: context.imageSizes,
    dropFirstHeading: options.dropFirstHeading
  }
  const html = emailHastToHtml(renderEmailHast(tree, {...common, utm: options.utm, file: options.file}))
  const webHtml = emailHastToHtml(renderEmailHast(tree, common))
  let text = renderEmailText(tree, {...common, utm: options.utm, links: options.links})
  if (ownLinks) {
    const links = options.links.take()
    if (links.length > 0) text += '\n\nLinks:\n' + links.join('\n')
  }
  return {html, webHtml, text}
}

/** Resolve a cover path as images are resolved (`/x` against posts/, else against the post's folder). */
function coverPath(post: Post, basePath: string): string | undefined {
  const cover = post.frontmatter.cover
  if (!cover) return undefined
  if (/^[a-z][a-z\d+.-]*:|^\/\//i.test(cover)) return cover
  const postDir = posix.dirname(post.sourcePath.replace(/^posts\//, ''))
  const joined = cover.startsWith('/') ? posix.normalize(cover.slice(1)) : posix.normalize(posix.join(postDir, cover))
  if (joined.startsWith('..')) return undefined
  return basePath + encodeURI(joined)
}

function absolute(url: string, baseUrl: string): string {
  return new URL(url.replace(/^\//, ''), baseUrl).href
}

/** Build every month's issue (oldest first). */
export async function buildIssues(site: Site, context?: IssueContext): Promise<IssueBuild[]> {
  const shared = context ?? (await createIssueContext(site))
  const plans = collectIssues(site, {notes: shared.notes, sourceDateEpoch: shared.sourceDateEpoch})
  const builds: IssueBuild[] = []
  for (const plan of plans) builds.push(await buildPlannedIssue(site, plan, shared))
  return builds
}

/**
 * Build one month's issue into its files. Throws `IssueError` when the
 * month has no issue, and a `TemplateError` (naming the template file, line
 * and month) when a template or MJML fails. Content problems become
 * messages on the posts' files and warnings in issue.json.
 */
export async function buildIssue(site: Site, month: string, context?: IssueContext): Promise<IssueBuild> {
  const shared = context ?? (await createIssueContext(site))
  const plans = collectIssues(site, {notes: shared.notes, sourceDateEpoch: shared.sourceDateEpoch})
  const plan = plans.find((candidate) => candidate.month === month)
  if (!plan) {
    const known = plans.map((candidate) => candidate.month)
    throw new IssueError(
      `No issue for ${month}: it has no published post for the email` +
        (known.length > 0 ? ` (issues: ${known.join(', ')})` : ' (there are no issues yet)')
    )
  }
  return buildPlannedIssue(site, plan, shared)
}

async function buildPlannedIssue(site: Site, plan: IssuePlan, context: IssueContext): Promise<IssueBuild> {
  const {config} = site
  const warnings: IssueWarning[] = []
  const errors: IssueWarning[] = []
  const leadFile = plan.note?.file.path ?? plan.posts[0]!.sourcePath
  if (!config.baseUrl) {
    warnings.push({
      rule: 'email-base-url',
      message: `No \`baseUrl\` in letterpress.yml: the email's links point at ${placeholderBaseUrl}; set it before sending`,
      file: 'letterpress.yml',
      line: 1
    })
  }
  const baseUrl = config.baseUrl ?? placeholderBaseUrl
  const basePath = new URL(baseUrl).pathname
  const utm = campaign(config, plan.month)
  const webUrl = `${baseUrl}newsletter/${plan.month}/`

  // Grammars and image sizes for everything this issue shows, before the synchronous renders.
  const trees = [...plan.posts.map((post) => post.tree), ...(plan.note ? [plan.note.tree] : [])]
  await context.highlight.prepare(trees)
  const covers = plan.posts.map((post) => coverPath(post, basePath)).filter((url): url is string => url !== undefined)
  const coverTree: Root = {type: 'root', children: [{type: 'paragraph', children: covers.map((url) => ({type: 'image', url}))}]}
  const missing = [...trees, coverTree]
  const resolveFile = (url: string): string | undefined => {
    if (context.imageSizes.has(url) || !url.startsWith(basePath)) return undefined
    let relative: string
    try {
      relative = decodeURI(url.slice(basePath.length))
    } catch {
      return undefined
    }
    const normal = posix.normalize(relative)
    if (normal.startsWith('..') || normal.startsWith('/')) return undefined
    return path.join(config.postsDir, ...normal.split('/'))
  }
  for (const [url, size] of await measureImages(missing, resolveFile)) context.imageSizes.set(url, size)

  const links = createLinkReferences()
  const scratch = new Map<Post | IssueNote, VFile>()
  const scratchFile = (owner: Post | IssueNote): VFile => {
    let file = scratch.get(owner)
    if (!file) {
      file = new VFile({path: owner.file.path})
      scratch.set(owner, file)
    }
    return file
  }
  const part = (owner: Post | IssueNote, pageUrl: string, dropFirstHeading: boolean) => ({
    baseUrl,
    pageUrl,
    utm,
    links,
    file: scratchFile(owner),
    dropFirstHeading
  })

  const note = plan.note
  const intro = note && note.intro.length > 0
    ? renderPart(withDefinitions(note.intro, note.tree, true), part(note, webUrl, false), context, true)
    : undefined

  const cover = (post: Post) => {
    const url = coverPath(post, basePath)
    if (!url) return {coverUrl: '', coverWidth: '', coverHeight: ''}
    const size = context.imageSizes.get(url)
    const width = Math.min(size?.width ?? contentWidth, contentWidth)
    return {
      coverUrl: absolute(url, baseUrl),
      coverWidth: String(width),
      coverHeight: size ? String(Math.round((size.height * width) / size.width)) : ''
    }
  }

  const sizes: Array<{file: string; bytes: number}> = []
  const leads: EmailPostView[] = plan.leads.map((post) => {
    const pageUrl = absolute(post.url, baseUrl)
    const rendered = renderPart(post.tree, part(post, pageUrl, post.titleFromHeading), context, true)
    sizes.push({file: post.sourcePath, bytes: Buffer.byteLength(rendered.html)})
    return {
      title: post.title,
      slug: post.slug,
      url: withUtm(pageUrl, baseUrl, utm),
      webUrl: pageUrl,
      date: post.date ?? '',
      dateDisplay: post.date ? dateDisplay(post.date, config.language) : '',
      readingMinutes: post.readingMinutes,
      description: post.description ?? '',
      ...cover(post),
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      webBodyHtml: rendered.webHtml
    }
  })

  const cards: EmailCardView[] = plan.cards.map((post) => {
    const pageUrl = absolute(post.url, baseUrl)
    const rendered = renderPart(excerptTree(post), part(post, pageUrl, post.titleFromHeading), context, false)
    sizes.push({file: post.sourcePath, bytes: Buffer.byteLength(rendered.html)})
    return {
      title: post.title,
      slug: post.slug,
      url: withUtm(pageUrl, baseUrl, utm),
      webUrl: pageUrl,
      date: post.date ?? '',
      dateDisplay: post.date ? dateDisplay(post.date, config.language) : '',
      readingMinutes: post.readingMinutes,
      ...cover(post),
      excerptHtml: rendered.html,
      excerptText: rendered.text,
      webExcerptHtml: rendered.webHtml
    }
  })
  const cardsLinks = links.take()

  const outro = note && note.outro.length > 0
    ? renderPart(withDefinitions(note.outro, note.tree, true), part(note, webUrl, false), context, true)
    : undefined

  const issue: IssueView = {
    month: plan.month,
    number: plan.number,
    subject: plan.subject,
    preheader: plan.preheader,
    monthDisplay: monthDisplay(plan.month, config.language),
    date: plan.date.toISOString().slice(0, 10),
    webUrl: withUtm(webUrl, baseUrl, utm),
    introHtml: intro?.html ?? '',
    introText: intro?.text ?? '',
    webIntroHtml: intro?.webHtml ?? '',
    outroHtml: outro?.html ?? '',
    outroText: outro?.text ?? '',
    webOutroHtml: outro?.webHtml ?? '',
    leads,
    cards,
    cardsLinksText: cardsLinks.length > 0 ? 'Links:\n' + cardsLinks.join('\n') : ''
  }
  const templateContext: IssueTemplateContext = {
    issue,
    site: {
      name: config.newsletter.name,
      title: config.title,
      url: withUtm(baseUrl, baseUrl, utm),
      host: new URL(baseUrl).host,
      description: config.description,
      language: config.language
    },
    footer: {
      addressLines: config.newsletter.address
        .split(/\r?\n|\s*;\s*/)
        .map((line) => line.trim())
        .filter(Boolean),
      social: config.newsletter.social.flatMap((link) => {
        const url = absoluteUrl(link.url, baseUrl)
        return url === undefined ? [] : [{name: link.name, url}]
      }),
      unsubscribeUrl: config.newsletter.unsubscribe,
      subscribeUrl: config.subscribeUrl ?? withUtm(baseUrl, baseUrl, utm)
    },
    styles: {
      headCss: headCss(),
      colors: {light: {...colors.light}, dark: {...colors.dark}},
      fonts: {...fonts},
      bodyWidth,
      contentPadding,
      contentWidth
    }
  }

  const {mjml, html} = await context.templates.renderEmail(templateContext, plan.month)
  const text = tidyText(await context.templates.renderText(templateContext, plan.month))
  const webHtml = await context.templates.renderWeb(templateContext, plan.month)

  // Messages from rendering land on the posts (once), and in issue.json.
  for (const [owner, file] of scratch) {
    mergeMessages(file, owner.file)
    for (const message of file.messages) {
      warnings.push({rule: message.ruleId ?? 'letterpress', message: message.reason, file: owner.file.path, line: message.line ?? 1})
    }
  }

  // The finished email against the email contract. Findings point into
  // issue.html (a template's doing: the renderer's own output is clean).
  const lint = lintEmailHtml(html, {placeholders: [config.newsletter.unsubscribe]})
  const htmlLines = html.split(/\r?\n|\r/)
  for (const finding of lint) {
    // What was found, as written (`<details`, `href="/about/"`, `display:flex`), is
    // usually in a template literally: point at that line.
    const found = /^(?:<[\w-]+|[^\s>;"'=]+\s*(?:=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)|:\s*[^;"'}]+)?)/.exec(
      htmlLines[finding.line - 1]?.slice(finding.column - 1) ?? ''
    )?.[0]
    const place = found === undefined ? undefined : context.templates.locate(found.trim())
    const file = (place && context.templateFiles.get(place.file)) ?? context.lintFile
    const message = `Issue ${plan.month}, issue.html ${finding.line}:${finding.column}: ${finding.message}`
    warnings.push({rule: finding.rule, message, file: file.path, line: place?.line ?? 1})
    if (!file.messages.some((other) => other.reason === message && other.ruleId === finding.rule)) {
      file.message(message, {place: place ? {line: place.line, column: place.column} : {line: 1, column: 1}, ruleId: finding.rule, source: 'letterpress'})
    }
  }

  const htmlBytes = Buffer.byteLength(html)
  if (htmlBytes >= htmlSizeWarning) {
    const largest = [...sizes].sort((a, b) => b.bytes - a.bytes)[0]
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
    const over = htmlBytes > htmlSizeLimit
    const finding: IssueWarning = {
      rule: over ? 'email-size-limit' : 'email-size',
      message:
        `issue.html of ${plan.month} is ${kb(htmlBytes)}: ` +
        (over ? `over Gmail's ${kb(htmlSizeLimit)}, so Gmail clips it` : `close to Gmail's ${kb(htmlSizeLimit)} clipping limit`) +
        (largest ? `; the largest part is ${largest.file} (${kb(largest.bytes)}): show it as a card (\`email: card\`)` : ''),
      file: largest?.file ?? leadFile,
      line: 1
    }
    warnings.push(finding)
    if (over) errors.push(finding)
    const owner = plan.posts.find((post) => post.sourcePath === finding.file)
    if (owner) {
      const scratchSize = new VFile({path: owner.file.path})
      scratchSize.message(finding.message, {place: {line: 1, column: 1}, ruleId: finding.rule, source: 'letterpress'}).fatal = over
      mergeMessages(scratchSize, owner.file)
    }
  }

  const domain = emailDomain(config)
  const unsubscribe = [config.newsletter.unsubscribe, ...(context.unsubscribeMailto ? [context.unsubscribeMailto] : [])]
  const eml = await composeEml({
    month: plan.month,
    subject: plan.subject,
    from: config.newsletter.from,
    replyTo: config.newsletter.replyTo,
    date: plan.date,
    domain,
    text,
    html,
    unsubscribe
  })

  const summary: IssueSummary = {
    month: plan.month,
    number: plan.number,
    subject: plan.subject,
    preheader: plan.preheader,
    posts: plan.posts.map((post) => ({slug: post.slug, title: post.title, url: absolute(post.url, baseUrl)})),
    bytes: {html: htmlBytes, text: Buffer.byteLength(text)},
    warnings
  }
  const files = new Map<string, string | Uint8Array>([
    ['issue.mjml', mjml],
    ['issue.html', html],
    ['issue.txt', text],
    ['issue.eml', eml],
    ['issue.json', JSON.stringify(summary, null, 2) + '\n']
  ])
  return {files, summary, webHtml, errors, lint}
}

/** The campaign parameters of an issue: the configured ones, the campaign defaulting to the month. */
function campaign(config: ResolvedConfig, month: string): UtmParameters | undefined {
  const {source, medium, campaign: name} = config.newsletter.utm
  if (!source && !medium && !name) return undefined
  return {source, medium, campaign: name ?? month}
}

/** The Message-ID domain: the site's host, else the sender's domain. */
function emailDomain(config: ResolvedConfig): string {
  if (config.baseUrl) return new URL(config.baseUrl).hostname
  const match = /@([^\s>]+)>?\s*$/.exec(config.newsletter.from)
  return match?.[1] ?? 'localhost'
}

/** The text template's output with Liquid's blank-line leftovers removed. */
function tidyText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      .split('\n')
      // The signature separator keeps its trailing space (RFC 3676).
      .map((line) => (line === '-- ' ? line : line.trimEnd()))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  )
}

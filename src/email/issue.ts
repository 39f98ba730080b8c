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
 *   SOURCE_DATE_EPOCH when set: never the wall clock;
 * - an issue.html that would reach 90 KB (`htmlSizeWarning`) is compacted
 *   (`compactionSteps`): extra full posts become cards, then cards lose
 *   their excerpts, then the lead is cut at its excerpt, stopping at the
 *   first form under 90 KB; each step is an `email-size-compacted`
 *   warning, and only a most compact form over 102 KB is an error.
 */
import path from 'node:path'
import {posix} from 'node:path'
import type {Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {VFile} from 'vfile'
import type {ResolvedConfig} from '../source/config.js'
import {createHighlight, type Highlight} from '../render/highlight.js'
import {createParser, type Parser} from '../source/parse.js'
import {inContentFolder, type Post} from '../source/post.js'
import type {Site} from '../source/site.js'
import {measureImages, type ImageSize} from '../render/media.js'
import {memoKey, restoreMessages, storeMessages, type Memo, type StoredMessage} from '../pipeline/memo.js'
import {pipelineVersion} from '../pipeline/warm.js'
import {oneLine} from '../source/report.js'
import {composeEml, type EmlInput, type EmlRecipient} from './eml.js'
import {lintEmailHtml, type EmailLintFinding} from './lint.js'
import {loadIssueNotes, type IssueNote} from './notes.js'
import {absoluteUrl, emailHastToHtml, renderEmailHast, withUtm, type UtmParameters} from './render.js'
import {bodyWidth, colors, contentPadding, contentWidth, fonts, headCss, templateStyles} from './styles.js'
import {builtInEmailTemplatesDir, createEmailTemplates, type EmailTemplates} from './templates.js'
import {createLinkReferences, renderEmailText, type LinkReferences} from './text.js'
import {excerptTree, firstParagraph, shorten, withDefinitions} from '../render/excerpt.js'
import type {EmailCardView, EmailPostView, IssueTemplateContext, IssueView} from './views.js'
import {isAllowedUrl, urlScheme} from '../source/url-policy.js'

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
  /**
   * The compaction steps taken to fit the size budget, in order ([] when
   * the plan fitted as it is). Each is an `email-size-compacted` warning.
   */
  compaction: CompactionStep[]
  /**
   * The headers of issue.eml (its text and html are issue.txt and
   * issue.html of `files`): what `issueEmlFor` makes each recipient's copy
   * from. Plain data, so a memoized build keeps it.
   */
  emlHeaders: Omit<EmlInput, 'text' | 'html'>
}

/**
 * The copy of issue.eml that `send` gives one recipient: with its `To:`,
 * the sending time as Date, and its own Message-ID.
 */
export function issueEmlFor(build: IssueBuild, recipient: EmlRecipient): Promise<Uint8Array> {
  const part = (name: string) => {
    const value = build.files.get(name)
    return typeof value === 'string' ? value : Buffer.from(value ?? '').toString('utf8')
  }
  return composeEml({...build.emlHeaders, text: part('issue.txt'), html: part('issue.html')}, recipient)
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
  /** The build's memo, for compiled MJML (see `EmailTemplatesOptions.memo`). */
  memo?: Memo | undefined
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
    dirs: options.templateDirs ?? [path.join(site.config.templatesDir, 'email'), builtInEmailTemplatesDir],
    memo: options.memo
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

/**
 * The posts that go into their month's issue, when that month has one:
 * published, not pages, not drafts (unless `drafts`), not `email: false`.
 */
export function emailPosts(site: Site): Post[] {
  return site.published.filter(
    (post) =>
      !post.page && post.month !== undefined && post.email !== false && (site.config.drafts || !post.draft)
  )
}

// Making an Intl formatter costs far more than using one: one per language and style.
const formats = new Map<string, Intl.DateTimeFormat>()
function format(language: string, style: 'month' | 'date'): Intl.DateTimeFormat {
  const key = `${style} ${language}`
  let found = formats.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(
      language,
      style === 'month' ? {month: 'long', year: 'numeric', timeZone: 'UTC'} : {dateStyle: 'long', timeZone: 'UTC'}
    )
    formats.set(key, found)
  }
  return found
}

function monthDisplay(month: string, language: string): string {
  return format(language, 'month').format(new Date(`${month}-01T00:00:00Z`))
}

function dateDisplay(date: string, language: string): string {
  return format(language, 'date').format(new Date(`${date}T00:00:00Z`))
}

/**
 * Plan every issue of the site, oldest month first: one per month with an
 * email post (`emailPosts`), from `newsletter.start` on when it is set,
 * numbered from 1. Pure, apart from reading SOURCE_DATE_EPOCH when
 * `options.sourceDateEpoch` is not given.
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
  // Months before `newsletter.start` have no issue: the archive predates the newsletter.
  const start = config.newsletter.start
  const months = [...byMonth.keys()].sort().filter((month) => start === undefined || month >= start)
  for (const [month, note] of notes) {
    if (start !== undefined && month < start) {
      warnOnce(note.file, `Issue note for ${month}, but issues start at ${start} (\`newsletter.start\`): it is not used`, 'issue-note-unused')
    } else if (!byMonth.has(month)) {
      warnOnce(note.file, `Issue note for ${month}, but ${month} has no post for the email: it is not used`, 'issue-note-unused')
    }
  }

  return months.map((month, index) => {
    const note = notes.get(month)
    const posts = [...byMonth.get(month)!].sort(issueOrder(config))

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
    const firstText = () => {
      // Known without the tree for a post the build took from its memo.
      const known = site.facts.get(first)
      if (known) return known.firstParagraph
      const paragraph = firstParagraph(first)
      return paragraph ? toString(paragraph) : undefined
    }
    const preheader = note?.preheader ?? shorten(first.description ?? firstText() ?? first.title, 150)

    return {month, number: index + 1, posts: [...leads, ...cards], leads, cards, note, subject, preheader, date}
  })
}

/** Posts in issue order: by date, oldest first (`newsletter.order: newest` turns that round), then by file. */
function issueOrder(config: ResolvedConfig): (a: Post, b: Post) => number {
  const direction = config.newsletter.order === 'newest' ? -1 : 1
  return (a, b) =>
    direction *
    ((a.datetime ?? a.date ?? '').localeCompare(b.datetime ?? b.date ?? '') || a.sourcePath.localeCompare(b.sourcePath))
}

/** Add a warning at the top of `file` unless it is there already (plans are made more than once). */
function warnOnce(file: VFile, reason: string, ruleId: string): void {
  if (file.messages.some((message) => message.reason === reason && message.ruleId === ruleId)) return
  file.message(reason, {place: {line: 1, column: 1}, ruleId, source: 'letterpress'})
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

/** What rendering one part of the issue (a post, an excerpt, a note's intro) needs. */
interface PartOptions {
  baseUrl: string
  /** The part's web page: `#anchor` links resolve against it. */
  pageUrl: string
  utm: UtmParameters | undefined
  dropFirstHeading: boolean
  /** `rawHtml: sanitize`: the author's raw HTML is cut to the web's policy. */
  sanitizeRawHtml: boolean
}

/** One part of the issue, rendered for the email and for the web archive page. */
interface RenderedPart {
  /** Email HTML in its own `div.lp-content`. */
  html: string
  /** The same without that wrapper, for parts that share one (the cards). */
  bareHtml: string
  /** For the web archive page: no campaign parameters. */
  webHtml: string
  /**
   * What rendering reported (raw HTML left out, ...). Copied onto the
   * part's own file only when the issue that is sent shows this part.
   */
  file: VFile
}

function renderPartHtml(tree: Root, options: PartOptions, context: IssueContext, filePath: string | undefined): RenderedPart {
  const common = {
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl,
    highlight: context.highlight,
    imageSizes: context.imageSizes,
    dropFirstHeading: options.dropFirstHeading,
    sanitizeRawHtml: options.sanitizeRawHtml
  }
  const file = new VFile({path: filePath})
  const hast = renderEmailHast(tree, {...common, utm: options.utm, file})
  const wrapper = hast.children[0]
  const bare: HastRoot = wrapper?.type === 'element' ? {type: 'root', children: wrapper.children} : hast
  return {
    html: emailHastToHtml(hast),
    bareHtml: emailHastToHtml(bare),
    webHtml: emailHastToHtml(renderEmailHast(tree, common)),
    file
  }
}

/**
 * A part as plain text. Link numbers run through the whole email
 * (`links`); with `ownLinks`, the part's "Links:" list follows it,
 * otherwise the caller prints the list later (the cards share one).
 */
function renderPartText(tree: Root, options: PartOptions, links: LinkReferences, ownLinks: boolean): string {
  let text = renderEmailText(tree, {
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl,
    utm: options.utm,
    dropFirstHeading: options.dropFirstHeading,
    links
  })
  if (ownLinks) {
    const list = links.take()
    if (list.length > 0) text += '\n\nLinks:\n' + list.join('\n')
  }
  return text
}

/**
 * One step of fitting an issue under its size budget, in the order they
 * are tried: `email: full` posts other than the lead become cards; then
 * the cards lose their excerpts (a compact list: title, date, link); then
 * the lead is cut at its excerpt, with a link to the rest.
 */
export type CompactionStep = 'full-posts-as-cards' | 'cards-without-excerpts' | 'lead-excerpt' | 'cards-cut'

/** The steps, in the order `buildIssue` tries them. */
export const compactionSteps: readonly CompactionStep[] = ['full-posts-as-cards', 'cards-without-excerpts', 'lead-excerpt', 'cards-cut']

/**
 * The largest count in 0..`count` whose render stays under `target` bytes,
 * given the renders of 0 (under it) and of `count` (not under it), for
 * renders that grow with the count (cards shown: each adds bytes). The
 * search guesses from the bytes per item so far (a few renders, where
 * halving takes one per doubling of the count) and halves every other step,
 * so that uneven items cannot make it slow.
 */
export async function largestUnder<T extends {bytes: number}>(
  count: number,
  target: number,
  none: T,
  all: T,
  at: (count: number) => Promise<T>
): Promise<{count: number; value: T}> {
  let low = {count: 0, value: none}
  let high = {count, value: all}
  for (let step = 0; high.count - low.count > 1; step++) {
    const span = high.count - low.count
    const guess =
      step % 2 === 0
        ? low.count + Math.floor(((target - low.value.bytes) / (high.value.bytes - low.value.bytes)) * span)
        : low.count + Math.ceil(span / 2)
    const tried = Math.min(high.count - 1, Math.max(low.count + 1, guess))
    const value = await at(tried)
    if (value.bytes < target) low = {count: tried, value}
    else high = {count: tried, value}
  }
  return low
}

/** The shape an issue is rendered in: its plan, or a compacted form of it. */
interface IssueForm {
  leads: Post[]
  cards: Post[]
  /** Cards show title, date and link only. */
  compactCards: boolean
  /** Leads are cut at their excerpt. */
  leadExcerpt: boolean
  /** Only the first this many cards are listed, then a link to the rest on the web (all when undefined). */
  cardsShown?: number
}

/**
 * The form after `step`, or `undefined` when the step changes nothing
 * (a single lead, no cards, a lead whose excerpt is not shorter).
 */
function compactForm(
  form: IssueForm,
  step: CompactionStep,
  order: (a: Post, b: Post) => number,
  excerptShorter: (post: Post) => boolean
): IssueForm | undefined {
  switch (step) {
    case 'full-posts-as-cards':
      if (form.leads.length < 2) return undefined
      return {...form, leads: form.leads.slice(0, 1), cards: [...form.cards, ...form.leads.slice(1)].sort(order)}
    case 'cards-without-excerpts':
      return form.cards.length === 0 || form.compactCards ? undefined : {...form, compactCards: true}
    case 'lead-excerpt':
      return form.leadExcerpt || !form.leads.some(excerptShorter) ? undefined : {...form, leadExcerpt: true}
    case 'cards-cut':
      // How many cards still fit is searched for by the caller; this is the most it can cut.
      return form.cards.length === 0 || form.cardsShown !== undefined ? undefined : {...form, cardsShown: 0}
  }
}

/** The 1-based line of a post's `email:` frontmatter key (else 1), where a demotion is reported. */
function emailKeyLine(post: Post): number {
  const yaml = post.tree.children.find((node) => node.type === 'yaml')
  if (!yaml?.position) return 1
  const index = yaml.value.split(/\r?\n/).findIndex((line) => /^email\s*:/.test(line))
  return index === -1 ? yaml.position.start.line : yaml.position.start.line + 1 + index
}

/** Where a post's excerpt ends, as the lead cut reports it: the marker's line, or how the excerpt was chosen. */
function excerptEnd(post: Post): {line: number; what: string} {
  if (post.excerptLength !== undefined) {
    return {line: post.tree.children[post.excerptLength]?.position?.start.line ?? 1, what: 'its `<!-- more -->` excerpt'}
  }
  const what = post.description
    ? 'its description (it has no `<!-- more -->`)'
    : 'its first paragraph (it has no `<!-- more -->`)'
  return {line: 1, what}
}

/**
 * Resolve a cover path as images are resolved (`/x` against the content
 * folder `folder`, posts/ or an MkDocs project's docs_dir, else against the
 * post's folder).
 */
function coverPath(post: Post, basePath: string, folder: string): string | undefined {
  const cover = post.frontmatter.cover
  // A cover the URL policy refuses is dropped here; `resolveCover` says so at the `cover:` line.
  if (!cover || !isAllowedUrl(cover)) return undefined
  if (urlScheme(cover) !== undefined || cover.startsWith('//')) return cover
  const postDir = posix.dirname(inContentFolder(post.sourcePath, folder))
  const joined = cover.startsWith('/') ? posix.normalize(cover.slice(1)) : posix.normalize(posix.join(postDir, cover))
  if (joined.startsWith('..')) return undefined
  return basePath + encodeURI(joined)
}

function absolute(url: string, baseUrl: string): string {
  return new URL(url.replace(/^\//, ''), baseUrl).href
}

/** Build every month's issue (oldest first). */
export async function buildIssues(site: Site, context?: IssueContext, memoized?: IssueMemo): Promise<IssueBuild[]> {
  const shared = context ?? (await createIssueContext(site))
  const plans = collectIssues(site, {notes: shared.notes, sourceDateEpoch: shared.sourceDateEpoch})
  const builds: IssueBuild[] = []
  const everyUrl = memoized ? siteUrlsKey(site, plans) : ''
  for (const plan of plans) {
    if (!memoized) {
      builds.push(await buildPlannedIssue(site, plan, shared))
      continue
    }
    const touched = issueTouchedFiles(plan, shared)
    const key = issueKey(site, plan, shared, memoized, everyUrl)
    const hit = memoized.memo.get<MemoizedIssue>('issue', key)
    if (hit) {
      for (const [at, messages] of hit.messages) if (touched[at]) restoreMessages(touched[at], messages)
      for (const part of hit.parts ?? []) memoized.memo.keep('part', part)
      if (typeof hit.lint === 'string') memoized.memo.keep('lint', hit.lint)
      builds.push(hit.build)
      continue
    }
    const made = await buildMemoizedIssue(site, plan, shared, {memo: memoized.memo, keyOf: partKeys(site, memoized, everyUrl)})
    memoized.memo.set('issue', key, made)
    builds.push(made.build)
  }
  return builds
}

/** What a post's email parts depend on besides their shape and options (see `PartMemo`). */
export function partKeys(site: Site, memoized: IssueMemo, everyUrl: string): (post: Post) => string | undefined {
  return (post) => {
    const facts = site.facts.get(post)
    return facts && memoKey(memoized.version, everyUrl, facts.key, facts.urls, memoized.assetKey(site, post))
  }
}

/** Every month with an issue and every published URL: what an issue's links to the rest of the site can depend on. */
export function siteUrlsKey(site: Site, plans: readonly IssuePlan[]): string {
  return memoKey(plans.map((plan) => plan.month), site.published.map((post) => post.url))
}

/** The files an issue's messages go on: its posts, its note, the email templates. */
export function issueTouchedFiles(plan: IssuePlan, context: IssueContext): VFile[] {
  return [...plan.posts.map((post) => post.file), ...(plan.note ? [plan.note.file] : []), ...context.templateFiles.values(), context.lintFile]
}

/**
 * The memo key of one issue: its plan, its posts (resolved links, files
 * shown, and the bytes of each lead but only what each card shows), its
 * note and the build's versions. An edit below a card's excerpt leaves the
 * issue as it was.
 */
export function issueKey(site: Site, plan: IssuePlan, context: IssueContext, memoized: IssueMemo, everyUrl: string): string {
  const leads = new Set(plan.leads)
  return memoKey(
    'issue',
    memoized.version,
    everyUrl,
    [plan.month, plan.number, plan.subject, plan.preheader, plan.date.toISOString()],
    [plan.leads.map((post) => post.sourcePath), plan.cards.map((post) => post.sourcePath)],
    plan.posts.map((post) => {
      const facts = site.facts.get(post)
      const shown = facts ? (leads.has(post) ? facts.key : `card ${facts.card}`) : String(post.file.value)
      return [shown, facts?.urls ?? [], post.cover?.url ?? '', memoized.assetKey(site, post)]
    }),
    plan.note ? [String(plan.note.file.value)] : [],
    [context.unsubscribeMailto ?? '', context.sourceDateEpoch ?? '']
  )
}

/** Build one issue and keep the messages it left, by index into `issueTouchedFiles`. */
export async function buildMemoizedIssue(
  site: Site,
  plan: IssuePlan,
  context: IssueContext,
  partMemo?: PartMemo
): Promise<MemoizedIssue> {
  const touched = issueTouchedFiles(plan, context)
  const before = touched.map((file) => file.messages.length)
  const parts: string[] = []
  const own: PartMemo | undefined = partMemo && {...partMemo, used: parts}
  const build = await buildPlannedIssue(site, plan, context, own)
  const messages = touched
    .map((file, at): [number, StoredMessage[]] => [at, storeMessages(file, before[at])])
    .filter(([, list]) => list.length > 0)
  return {build, messages, parts, ...(own?.lintKey ? {lint: own.lintKey} : {})}
}

/** How `buildIssues` reuses issues whose inputs did not change. */
export interface IssueMemo {
  memo: Memo
  /** Everything an issue depends on besides its plan and posts (letterpress, config, email templates). */
  version: string
  /** The bytes of the site files a post shows (its images are measured). */
  assetKey: (site: Site, post: Post) => string
}

/** An issue as the memo keeps it. */
export interface MemoizedIssue {
  build: IssueBuild
  /** New messages by index into the issue's touched files. */
  messages: Array<[number, StoredMessage[]]>
  /** The memo keys of the email parts it used (kept while the issue is). */
  parts?: string[]
  /** The memo key of its lint findings (kept while the issue is). */
  lint?: string
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

/**
 * Build one planned issue. The plan is rendered as it is; when issue.html
 * would reach the warning size (`htmlSizeWarning`), `compactionSteps` are
 * taken in order, each on top of the one before, until it fits: every
 * step taken is an `email-size-compacted` warning saying what was done
 * and why. Only if the most compact form is still over `htmlSizeLimit` is
 * it an error. The plain-text part follows the form the HTML ends in; the
 * web archive page always shows the plan (the web has no clipping).
 */
/**
 * How an issue reuses its posts' email parts from the memo: a part depends
 * on its post (bytes, resolved links, the files it shows), its shape, the
 * URLs and campaign it links with, and the build's versions.
 */
export interface PartMemo {
  memo: Memo
  /** The post's own inputs, or `undefined` when it cannot be keyed. */
  keyOf: (post: Post) => string | undefined
  /** Collects the key of every part looked up, so a later build that reuses the whole issue keeps them too. */
  used?: string[]
  /** Set to the memo key of the issue's lint findings (kept with the issue, as its parts are). */
  lintKey?: string
}

/** What the email lint finds in `html`, from the memo when the same HTML was linted before (an issue whose MJML compiled the same). */
function lintOf(html: string, unsubscribe: string, partMemo: PartMemo | undefined): EmailLintFinding[] {
  const memo = partMemo?.memo
  const key = memo && memoKey('lint', pipelineVersion(), unsubscribe, html)
  if (partMemo && key !== undefined) partMemo.lintKey = key
  const known = key === undefined ? undefined : memo!.get<EmailLintFinding[]>('lint', key)
  if (Array.isArray(known)) return known
  const found = lintEmailHtml(html, {placeholders: [unsubscribe]})
  if (key !== undefined) memo!.set('lint', key, found)
  return found
}

/** A rendered part as the memo keeps it. */
interface StoredPart {
  html: string
  bareHtml: string
  webHtml: string
  messages: StoredMessage[]
}

async function buildPlannedIssue(site: Site, plan: IssuePlan, context: IssueContext, partMemo?: PartMemo): Promise<IssueBuild> {
  const {config} = site
  const warnings: IssueWarning[] = []
  const errors: IssueWarning[] = []
  const leadFile = plan.note?.file.path ?? plan.posts[0]!.sourcePath
  if (!config.baseUrl) {
    warnings.push({
      rule: 'email-base-url',
      message:
        `No \`${config.configFile === 'mkdocs.yml' ? 'site_url' : 'baseUrl'}\` in ${config.configFile}: ` +
        `the email's links point at ${placeholderBaseUrl}; set it before sending`,
      file: config.configFile,
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
  const covers = plan.posts.map((post) => coverPath(post, basePath, config.contentFolder)).filter((url): url is string => url !== undefined)
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

  const sanitizeRawHtml = config.rawHtml === 'sanitize'
  const postOptions = (post: Post): PartOptions => ({
    baseUrl,
    pageUrl: absolute(post.url, baseUrl),
    utm,
    dropFirstHeading: post.titleFromHeading,
    sanitizeRawHtml
  })
  const noteOptions: PartOptions = {baseUrl, pageUrl: webUrl, utm, dropFirstHeading: false, sanitizeRawHtml}

  const note = plan.note
  const introTree = note && note.intro.length > 0 ? withDefinitions(note.intro, note.tree, true) : undefined
  const outroTree = note && note.outro.length > 0 ? withDefinitions(note.outro, note.tree, true) : undefined
  const intro = introTree && renderPartHtml(introTree, noteOptions, context, note!.file.path)
  const outro = outroTree && renderPartHtml(outroTree, noteOptions, context, note!.file.path)

  // Each post is rendered at most once per shape, however many forms are tried.
  const excerpts = new Map<Post, Root>()
  const excerptOf = (post: Post): Root => {
    let tree = excerpts.get(post)
    if (!tree) {
      tree = excerptTree(post)
      excerpts.set(post, tree)
    }
    return tree
  }
  const parts = new Map<string, RenderedPart>()
  const partOf = (post: Post, shape: 'full' | 'excerpt'): RenderedPart => {
    const key = `${shape}:${post.sourcePath}`
    let part = parts.get(key)
    if (part) return part
    const own = partMemo?.keyOf(post)
    const memoized = own === undefined ? undefined : memoKey('part', own, shape, postOptions(post))
    if (memoized !== undefined) partMemo!.used?.push(memoized)
    const stored = memoized === undefined ? undefined : partMemo!.memo.get<StoredPart>('part', memoized)
    if (stored) {
      const file = new VFile({path: post.file.path})
      restoreMessages(file, stored.messages)
      part = {html: stored.html, bareHtml: stored.bareHtml, webHtml: stored.webHtml, file}
    } else {
      part = renderPartHtml(shape === 'full' ? post.tree : excerptOf(post), postOptions(post), context, post.file.path)
      if (memoized !== undefined) {
        partMemo!.memo.set('part', memoized, {html: part.html, bareHtml: part.bareHtml, webHtml: part.webHtml, messages: storeMessages(part.file)})
      }
    }
    parts.set(key, part)
    return part
  }

  const cover = (post: Post) => {
    const url = coverPath(post, basePath, config.contentFolder)
    if (!url) return {coverUrl: '', coverWidth: '', coverHeight: ''}
    const size = context.imageSizes.get(url)
    const width = Math.min(size?.width ?? contentWidth, contentWidth)
    return {
      coverUrl: absolute(url, baseUrl),
      coverWidth: String(width),
      coverHeight: size ? String(Math.round((size.height * width) / size.width)) : ''
    }
  }
  const postFields = (post: Post) => {
    const pageUrl = absolute(post.url, baseUrl)
    return {
      title: post.title,
      slug: post.slug,
      url: withUtm(pageUrl, baseUrl, utm),
      webUrl: pageUrl,
      date: post.date ?? '',
      dateDisplay: post.date ? dateDisplay(post.date, config.language) : '',
      readingMinutes: post.readingMinutes,
      ...cover(post)
    }
  }

  const siteView = {
    name: config.newsletter.name,
    title: config.title,
    url: withUtm(baseUrl, baseUrl, utm),
    host: new URL(baseUrl).host,
    description: config.description,
    language: config.language
  }
  const footer = {
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
  }
  const styles = {
    headCss: headCss(),
    colors: {light: {...colors.light}, dark: {...colors.dark}},
    fonts: {...fonts},
    inline: {...templateStyles},
    bodyWidth,
    contentPadding,
    contentWidth
  }

  /**
   * The templates' context for one form of the issue. With `links`, the
   * plain-text fields too, rendered in reading order so that link numbers
   * run through the email (only the form that is sent needs them).
   */
  const contextFor = (form: IssueForm, links?: LinkReferences): IssueTemplateContext => {
    const text = (tree: Root, options: PartOptions, ownLinks: boolean) =>
      links ? renderPartText(tree, options, links, ownLinks) : ''
    const introText = introTree ? text(introTree, noteOptions, true) : ''
    const leads: EmailPostView[] = form.leads.map((post) => {
      const truncated = form.leadExcerpt && excerptShorter(post)
      const part = partOf(post, truncated ? 'excerpt' : 'full')
      return {
        ...postFields(post),
        description: post.description ?? '',
        truncated,
        bodyHtml: part.html,
        bodyText: text(truncated ? excerptOf(post) : post.tree, postOptions(post), true),
        webBodyHtml: part.webHtml
      }
    })
    const cards: EmailCardView[] = form.cards.slice(0, form.cardsShown ?? form.cards.length).map((post) => {
      const part = form.compactCards ? undefined : partOf(post, 'excerpt')
      return {
        ...postFields(post),
        excerptHtml: part?.bareHtml ?? '',
        excerptText: part ? text(excerptOf(post), postOptions(post), false) : '',
        webExcerptHtml: part?.webHtml ?? ''
      }
    })
    const cardsLinks = links?.take() ?? []
    const outroText = outroTree ? text(outroTree, noteOptions, true) : ''
    const issue: IssueView = {
      month: plan.month,
      number: plan.number,
      subject: plan.subject,
      preheader: plan.preheader,
      monthDisplay: monthDisplay(plan.month, config.language),
      date: plan.date.toISOString().slice(0, 10),
      webUrl: withUtm(webUrl, baseUrl, utm),
      introHtml: intro?.html ?? '',
      introText,
      webIntroHtml: intro?.webHtml ?? '',
      outroHtml: outro?.html ?? '',
      outroText,
      webOutroHtml: outro?.webHtml ?? '',
      leads,
      cards,
      cardsCompact: form.compactCards,
      cardsMore: form.cards.length - cards.length,
      cardsLinksText: cardsLinks.length > 0 ? 'Links:\n' + cardsLinks.join('\n') : ''
    }
    return {issue, site: siteView, footer, styles}
  }

  const shorter = new Map<Post, boolean>()
  function excerptShorter(post: Post): boolean {
    let value = shorter.get(post)
    if (value === undefined) {
      value = partOf(post, 'excerpt').html.length < partOf(post, 'full').html.length
      shorter.set(post, value)
    }
    return value
  }

  const render = async (form: IssueForm) => {
    const {mjml, html} = await context.templates.renderEmail(contextFor(form), plan.month)
    return {form, mjml, html, bytes: Buffer.byteLength(html)}
  }

  // The plan as it is, then one compaction step after another while the
  // email would draw the size warning; a step that changes nothing is skipped.
  const planned: IssueForm = {leads: plan.leads, cards: plan.cards, compactCards: false, leadExcerpt: false}
  const order = issueOrder(config)
  let current = await render(planned)
  const taken: Array<{step: CompactionStep; bytes: number; before: IssueForm; after: IssueForm}> = []
  for (const step of compactionSteps) {
    if (current.bytes < htmlSizeWarning) break
    const next = compactForm(current.form, step, order, excerptShorter)
    if (!next) continue
    const bytes = current.bytes
    const before = current.form
    const previous = current
    current = await render(next)
    if (step === 'cards-cut') {
      // Keep as many cards as fit under the budget; when even none do, as many as keep it unclipped.
      const target = current.bytes < htmlSizeWarning ? htmlSizeWarning : current.bytes < htmlSizeLimit ? htmlSizeLimit : undefined
      if (target !== undefined) {
        if (previous.bytes < target) {
          // Every card fits after all: nothing to cut.
          current = previous
          continue
        }
        const form = next
        current = (await largestUnder(form.cards.length, target, current, previous, (shown) => render({...form, cardsShown: shown}))).value
      }
    }
    taken.push({step, bytes, before, after: current.form})
  }
  const form = current.form
  const {mjml, html} = current
  const text = tidyText(await context.templates.renderText(contextFor(form, createLinkReferences()), plan.month))
  const webHtml = await context.templates.renderWeb(contextFor(planned), plan.month)

  // Messages from rendering land on the files (once) and in issue.json,
  // for the parts the sent email shows.
  const shown: Array<{part: RenderedPart; file: VFile}> = [
    ...(intro ? [{part: intro, file: note!.file}] : []),
    ...form.leads.map((post) => ({part: partOf(post, form.leadExcerpt && excerptShorter(post) ? 'excerpt' : 'full'), file: post.file})),
    ...(form.compactCards ? [] : form.cards.map((post) => ({part: partOf(post, 'excerpt'), file: post.file}))),
    ...(outro ? [{part: outro, file: note!.file}] : [])
  ]
  for (const {part, file} of shown) {
    mergeMessages(part.file, file)
    for (const message of part.file.messages) {
      warnings.push({rule: message.ruleId ?? 'letterpress', message: oneLine(message.reason), file: file.path, line: message.line ?? 1})
    }
  }

  // Each compaction step, on the posts (or the issue) it changed.
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  const issueFile = note?.file ?? (planned.leads[0] ?? plan.posts[0]!).file
  const compacted = (file: VFile, line: number, message: string) => {
    warnings.push({rule: 'email-size-compacted', message, file: file.path, line})
    const scratch = new VFile({path: file.path})
    scratch.message(message, {place: {line, column: 1}, ruleId: 'email-size-compacted', source: 'letterpress'})
    mergeMessages(scratch, file)
  }
  for (const {step, bytes, before, after} of taken) {
    const why = `issue.html of ${plan.month} would be ${kb(bytes)}, over the ${kb(htmlSizeWarning)} budget that keeps it under Gmail's ${kb(htmlSizeLimit)} clipping size`
    if (step === 'full-posts-as-cards') {
      for (const post of before.leads.filter((lead) => !after.leads.includes(lead))) {
        compacted(post.file, emailKeyLine(post), `\`email: full\` post shown as a card in issue ${plan.month}: ${why}`)
      }
    } else if (step === 'cards-without-excerpts') {
      const count = after.cards.length
      compacted(issueFile, 1, `Issue ${plan.month} lists its ${count} card${count === 1 ? '' : 's'} by title, date and link, without excerpts: ${why}`)
    } else if (step === 'cards-cut') {
      const shown = after.cardsShown ?? after.cards.length
      const rest = after.cards.length - shown
      compacted(
        issueFile,
        1,
        `Issue ${plan.month} lists ${shown} of its ${after.cards.length} cards, then links to the ${rest} other${rest === 1 ? '' : 's'} on the web: ${why}`
      )
    } else {
      for (const post of after.leads.filter(excerptShorter)) {
        const end = excerptEnd(post)
        compacted(post.file, end.line, `Lead post cut at ${end.what} in issue ${plan.month}, with a link to continue on the web: ${why}`)
      }
    }
  }

  // The finished email against the email contract. Findings point into
  // issue.html (a template's doing: the renderer's own output is clean).
  const lint = lintOf(html, config.newsletter.unsubscribe, partMemo)
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

  const htmlBytes = current.bytes
  if (htmlBytes >= htmlSizeWarning) {
    // What to do next depends on what takes the room in the form that is sent.
    const sizes: Array<{file: VFile; bytes: number; hint: string}> = [
      ...(intro ? [{file: note!.file, bytes: Buffer.byteLength(intro.html), hint: 'shorten the note'}] : []),
      ...(outro ? [{file: note!.file, bytes: Buffer.byteLength(outro.html), hint: 'shorten the note'}] : []),
      ...form.leads.map((post) => {
        const truncated = form.leadExcerpt && excerptShorter(post)
        return {
          file: post.file,
          bytes: Buffer.byteLength(partOf(post, truncated ? 'excerpt' : 'full').html),
          hint: truncated ? 'move its `<!-- more -->` up' : 'show it as a card (`email: card`)'
        }
      }),
      ...(form.compactCards
        ? []
        : form.cards.map((post) => ({file: post.file, bytes: Buffer.byteLength(partOf(post, 'excerpt').bareHtml), hint: 'shorten its excerpt'})))
    ]
    const largest = [...sizes].sort((a, b) => b.bytes - a.bytes)[0]
    const over = htmlBytes > htmlSizeLimit
    const finding: IssueWarning = {
      rule: over ? 'email-size-limit' : 'email-size',
      message:
        `issue.html of ${plan.month} is ${kb(htmlBytes)}` +
        (taken.length > 0 ? ` even compacted (${taken.map((entry) => entry.step).join(', ')})` : '') +
        ': ' +
        (over ? `over Gmail's ${kb(htmlSizeLimit)}, so Gmail clips it` : `close to Gmail's ${kb(htmlSizeLimit)} clipping limit`) +
        (largest ? `; the largest part is ${largest.file.path} (${kb(largest.bytes)}): ${largest.hint}` : '') +
        (form.compactCards && form.cards.length > 0 ? `; the ${form.cards.length} posts listed by title could move to another month` : ''),
      file: largest?.file.path ?? leadFile,
      line: 1
    }
    warnings.push(finding)
    if (over) errors.push(finding)
    const owner = largest?.file ?? issueFile
    const scratchSize = new VFile({path: owner.path})
    scratchSize.message(finding.message, {place: {line: 1, column: 1}, ruleId: finding.rule, source: 'letterpress'}).fatal = over
    mergeMessages(scratchSize, owner)
  }

  const domain = emailDomain(config)
  const unsubscribe = [config.newsletter.unsubscribe, ...(context.unsubscribeMailto ? [context.unsubscribeMailto] : [])]
  const emlHeaders = {
    month: plan.month,
    subject: plan.subject,
    from: config.newsletter.from,
    replyTo: config.newsletter.replyTo,
    date: plan.date,
    domain,
    unsubscribe
  }
  const eml = await composeEml({...emlHeaders, text, html})

  const summary: IssueSummary = {
    month: plan.month,
    number: plan.number,
    subject: plan.subject,
    preheader: plan.preheader,
    posts: [...form.leads, ...form.cards].map((post) => ({slug: post.slug, title: post.title, url: absolute(post.url, baseUrl)})),
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
  return {
    files,
    summary,
    webHtml,
    errors,
    lint,
    compaction: taken.map((entry) => entry.step),
    emlHeaders
  }
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

/**
 * The composition of one planned issue into its files: issue.mjml,
 * issue.html, issue.txt, issue.eml and issue.json, plus the body HTML of
 * its web archive page. The plan is rendered through the email templates,
 * compacted while it is over its size budget (compact.ts), linted, and
 * what was found becomes warnings in issue.json and messages on the files
 * at fault.
 *
 * Pure but for what it is given: the context's highlighter and image sizes
 * fill up, and an `IssueCache` may answer with parts and findings made
 * before.
 */
import path from 'node:path'
import {posix} from 'node:path'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {ResolvedConfig} from '../source/config.js'
import {emailServices} from '../source/email-services.js'
import type {Post} from '../source/post.js'
import type {Site} from '../source/site.js'
import {measureImages, readImageSize, type ImageSize} from '../render/media.js'
import {isAllowedUrl, urlScheme} from '../source/url-policy.js'
import {fitIssue, sizeMessages, compactionMessages, type CompactionStep, type IssueForm, type RenderedForm} from './compact.js'
import {composeEml, type EmlInput, type EmlRecipient} from './eml.js'
import type {IssueContext} from './issue-context.js'
import {lintMessages} from './issue-lint.js'
import {reportIssueMessages, reportRenderedPart, type IssueWarning} from './issue-report.js'
import {lintEmailHtml, type EmailLintFinding} from './lint.js'
import {absolute, createIssueParts, renderPartText, type IssueParts, type IssueUrls, type PartCache, type PartOptions, type RenderedPart} from './parts.js'
import {issueOrder, type IssuePlan} from './plan.js'
import {dayDisplay, monthDisplay} from '../source/dates.js'
import {absoluteUrl, withUtm, type UtmParameters} from './render.js'
import {bodyWidth, colors, contentPadding, contentWidth, fonts, headCss, logoHeight, logoMaxWidth, templateStyles, thumbnailWidth} from './styles.js'
import {emailImageUrl, variantUrl, type ImageVariant} from '../render/images.js'
import {createLinkReferences, type LinkReferences} from './text.js'
import type {EmailCardView, EmailPostView, IssueTemplateContext, IssueView} from './views.js'

/** Where links point when the site has no `baseUrl` (a warning says so). */
const placeholderBaseUrl = 'https://example.invalid/'

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
   * from. Plain data, so a kept build keeps it.
   */
  emlHeaders: Omit<EmlInput, 'text' | 'html'>
}

/**
 * What a caller may keep between builds and give back to the next. Each
 * hook gets what the result is made from and how to make it, and returns
 * the result, made now or kept from before.
 */
export interface IssueCache {
  /** A post's part (see `PartCache`). */
  part?: PartCache | undefined
  /** The lint findings of an issue.html (`run` lints it). */
  lint?: ((html: string, unsubscribe: string, run: () => EmailLintFinding[]) => EmailLintFinding[]) | undefined
}

/**
 * The copy of issue.eml that `send` gives one recipient: with its `To:`,
 * the sending time as Date, and its own Message-ID.
 */
export function issueEmlFor(build: IssueBuild, recipient: EmlRecipient): Promise<Uint8Array> {
  return composeEml({...build.emlHeaders, text: issuePart(build, 'issue.txt'), html: issuePart(build, 'issue.html')}, recipient)
}

/** One text file of a built issue (`issue.html`, `issue.txt`), as text; `''` when it has none. */
export function issuePart(build: IssueBuild, name: string): string {
  const value = build.files.get(name)
  return typeof value === 'string' ? value : Buffer.from(value ?? '').toString('utf8')
}

/**
 * Compose one planned issue. The plan is rendered as it is; when issue.html
 * would reach the warning size (`htmlSizeWarning`), `compactionSteps` are
 * taken in order, each on top of the one before, until it fits: every
 * step taken is an `email-size-compacted` warning saying what was done
 * and why. Only if the most compact form is still over `htmlSizeLimit` is
 * it an error. The plain-text part follows the form the HTML ends in; the
 * web archive page always shows the plan (the web has no clipping).
 */
export async function composeIssue(site: Site, plan: IssuePlan, context: IssueContext, cache: IssueCache = {}): Promise<IssueBuild> {
  const {config} = site
  const warnings: IssueWarning[] = []
  const errors: IssueWarning[] = []
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
  const urls: IssueUrls = {
    baseUrl,
    basePath: new URL(baseUrl).pathname,
    utm: campaign(config, plan.month),
    webUrl: `${baseUrl}newsletter/${plan.month}/`
  }
  await prepareIssue(config, plan, context, urls.basePath)
  const parts = createIssueParts(plan, context, urls, config.rawHtml === 'sanitize', cache.part)
  const view = createIssueView(config, plan, context, urls, parts)
  const render = async (form: IssueForm): Promise<RenderedForm> => {
    const {mjml, html} = await context.templates.renderEmail(view(form), plan.month)
    return {form, mjml, html, bytes: Buffer.byteLength(html)}
  }

  const planned: IssueForm = {leads: plan.leads, cards: plan.cards, compactCards: false, leadExcerpt: false}
  const {rendered, taken} = await fitIssue(planned, render, issueOrder(config), parts.excerptShorter)
  const {form, html} = rendered
  const text = tidyText(await context.templates.renderText(view(form, createLinkReferences()), plan.month))
  const webHtml = await context.templates.renderWeb(view(planned), plan.month)

  // Messages from rendering land on the files (once) and in issue.json, for the parts the sent email shows.
  for (const {part, file} of shownParts(form, parts, plan)) reportRenderedPart(part.file, file, warnings)
  // The finished email against the email contract. Findings point into
  // issue.html (a template's doing: the renderer's own output is clean).
  const unsubscribe = config.newsletter.unsubscribe
  const viewOnline = emailServices[config.newsletter.provider].viewOnline
  const runLint = () => lintEmailHtml(html, {placeholders: [unsubscribe, ...(viewOnline ? [viewOnline] : [])]})
  const lint = cache.lint ? cache.lint(html, unsubscribe, runLint) : runLint()
  const issueFile = plan.note?.file ?? (planned.leads[0] ?? plan.posts[0]!).file
  reportIssueMessages(
    [
      ...compactionMessages(taken, plan.month, issueFile, parts.excerptShorter),
      ...lintMessages(lint, html, context, plan.month),
      ...sizeMessages(plan.month, rendered, taken, parts, plan.note?.file, issueFile)
    ],
    warnings,
    errors
  )

  const {files, summary, emlHeaders} = await issueFiles(config, plan, context, rendered, text, baseUrl, warnings)
  return {files, summary, webHtml, errors, lint, compaction: taken.map((entry) => entry.step), emlHeaders}
}

/** Load the grammars and measure the images of everything the issue shows, before the synchronous renders. */
async function prepareIssue(config: ResolvedConfig, plan: IssuePlan, context: IssueContext, basePath: string): Promise<void> {
  const trees = [...plan.posts.map((post) => post.tree), ...(plan.note ? [plan.note.tree] : [])]
  await context.highlight.prepare(trees)
  const covers = plan.posts.map((post) => coverUrl(post)).filter((url): url is string => url !== undefined)
  const coverTree: Root = {type: 'root', children: [{type: 'paragraph', children: covers.map((url) => ({type: 'image', url}))}]}
  const logo = config.theme.logo
  if (logo?.source && logo.url && !context.imageSizes.has(logoKey(logo.url))) {
    const size = await readImageSize(logo.source)
    if (size) context.imageSizes.set(logoKey(logo.url), size)
  }
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
}

/** The parts the sent email shows, each with the file its messages belong on. */
function shownParts(form: IssueForm, parts: IssueParts, plan: IssuePlan): Array<{part: RenderedPart; file: VFile}> {
  const {intro, outro, partOf, excerptShorter} = parts
  const note = plan.note
  return [
    ...(intro ? [{part: intro, file: note!.file}] : []),
    ...form.leads.map((post) => ({part: partOf(post, form.leadExcerpt && excerptShorter(post) ? 'excerpt' : 'full'), file: post.file})),
    ...(form.compactCards ? [] : form.cards.map((post) => ({part: partOf(post, 'excerpt'), file: post.file}))),
    ...(outro ? [{part: outro, file: note!.file}] : [])
  ]
}

/**
 * The templates' context for each form of the issue. With `links`, the
 * plain-text fields too, rendered in reading order so that link numbers
 * run through the email (only the form that is sent needs them).
 */
function createIssueView(
  config: ResolvedConfig,
  plan: IssuePlan,
  context: IssueContext,
  urls: IssueUrls,
  parts: IssueParts
): (form: IssueForm, links?: LinkReferences) => IssueTemplateContext {
  const {baseUrl, utm} = urls
  const {introTree, outroTree, intro, outro, noteOptions, postOptions, excerptOf, partOf, excerptShorter} = parts
  const postFields = postFieldsOf(config, context, urls)
  const shared = sharedViews(config, context, urls)
  return (form, links) => {
    const text = (tree: Root, options: PartOptions, ownLinks: boolean) => (links ? renderPartText(tree, options, links, ownLinks, context.strings) : '')
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
      webUrl: withUtm(urls.webUrl, baseUrl, utm),
      viewOnlineUrl: emailServices[config.newsletter.provider].viewOnline ?? withUtm(urls.webUrl, baseUrl, utm),
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
      cardsLinksText: cardsLinks.length > 0 ? `${context.strings.text('email.links')}\n` + cardsLinks.join('\n') : '',
      contents: form.compactCards || leads.length + cards.length < 2 ? [] : [...leads, ...cards].map(({title, url}) => ({title, url}))
    }
    return {issue, ...shared}
  }
}

/** The fields leads and cards share: title, links, date, cover. */
function postFieldsOf(config: ResolvedConfig, context: IssueContext, urls: IssueUrls) {
  const {baseUrl, utm} = urls
  const cover = (post: Post) => {
    const url = coverUrl(post)
    const shown = url && absoluteUrl(url, baseUrl)
    if (!url || !shown) return {coverUrl: '', coverWidth: '', coverHeight: '', thumbnailWidth: '', thumbnailHeight: ''}
    const size = context.imageSizes.get(url)
    const width = Math.min(size?.width ?? contentWidth, contentWidth)
    const thumbnail = Math.min(size?.width ?? thumbnailWidth, thumbnailWidth)
    const heightAt = (shown: number) => (size ? String(Math.round((size.height * shown) / size.width)) : '')
    return {
      coverUrl: absoluteUrl(emailImageUrl(url, size), baseUrl) ?? shown,
      coverWidth: String(width),
      coverHeight: heightAt(width),
      thumbnailWidth: String(thumbnail),
      thumbnailHeight: heightAt(thumbnail)
    }
  }
  return (post: Post) => {
    const pageUrl = absolute(post.url, baseUrl)
    return {
      title: post.title,
      slug: post.slug,
      url: withUtm(pageUrl, baseUrl, utm),
      webUrl: pageUrl,
      date: post.date ?? '',
      dateDisplay: post.date ? dayDisplay(post.date, config.language) : '',
      readingMinutes: post.readingMinutes,
      ...cover(post)
    }
  }
}

/** What every form of every issue shows alike: the site, the footer, the styles. */
function sharedViews(config: ResolvedConfig, context: IssueContext, urls: IssueUrls): Omit<IssueTemplateContext, 'issue'> {
  const {baseUrl, utm} = urls
  const subscribe = config.subscribeUrl === undefined ? undefined : absoluteUrl(config.subscribeUrl, baseUrl)
  const site = {
    name: config.newsletter.name,
    title: config.title,
    url: withUtm(baseUrl, baseUrl, utm),
    host: new URL(baseUrl).host,
    description: config.description,
    language: config.language,
    ...logoView(config, context, baseUrl),
    subscribeUrl: subscribe === undefined ? '' : withUtm(subscribe, baseUrl, utm)
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
  return {site, footer, subscriber: {name: emailServices[config.newsletter.provider].name}, styles}
}

/**
 * The site's logo (`theme.logo`) for the email's header: its absolute URL
 * and a size at most `logoHeight` high and `logoMaxWidth` wide. Empty
 * fields when the site has no logo, or its file is missing (the config's
 * load says so).
 */
function logoView(config: ResolvedConfig, context: IssueContext, baseUrl: string): {logoUrl: string; logoWidth: string; logoHeight: string} {
  const logo = config.theme.logo
  if (!logo?.source || !logo.url) return {logoUrl: '', logoWidth: '', logoHeight: ''}
  const shown = emailLogo(logo.url, context.imageSizes.get(logoKey(logo.url)))
  return {logoUrl: absolute(shown.url, baseUrl), logoWidth: String(shown.width), logoHeight: String(shown.height)}
}

/**
 * The logo at `url` (a site path) as the email's header shows it: its
 * size there, at most `logoHeight` high and `logoMaxWidth` wide, and the
 * file. An SVG, which Gmail and Outlook do not show, is shown as a PNG
 * made from it at twice that size (`variant`, which the build makes beside
 * it: `assets/logo-svg-192.png`); any other image as it is.
 */
export function emailLogo(url: string, size: ImageSize | undefined): {url: string; width: number; height: number; variant?: ImageVariant} {
  const natural = size ?? {width: logoHeight, height: logoHeight}
  const scale = Math.min(logoHeight / natural.height, logoMaxWidth / natural.width, 1)
  const width = Math.max(1, Math.round(natural.width * scale))
  const height = Math.max(1, Math.round(natural.height * scale))
  if (!size || !/\.svg$/i.test(url.split(/[?#]/)[0] ?? '')) return {url, width, height}
  const variant: ImageVariant = {url: variantUrl(url, 2 * width, 'png'), width: 2 * width, height: 2 * height, format: 'png', original: false}
  return {url: variant.url, width, height, variant}
}

/** The issue's files (issue.mjml, issue.html, issue.txt, issue.eml, issue.json) from the form that is sent. */
async function issueFiles(
  config: ResolvedConfig,
  plan: IssuePlan,
  context: IssueContext,
  rendered: RenderedForm,
  text: string,
  baseUrl: string,
  warnings: IssueWarning[]
): Promise<Pick<IssueBuild, 'files' | 'summary' | 'emlHeaders'>> {
  const {form, mjml, html} = rendered
  const emlHeaders = {
    month: plan.month,
    subject: plan.subject,
    from: config.newsletter.from,
    replyTo: config.newsletter.replyTo,
    date: plan.date,
    domain: emailDomain(config),
    unsubscribe: [config.newsletter.unsubscribe, ...(context.unsubscribeMailto ? [context.unsubscribeMailto] : [])]
  }
  const eml = await composeEml({...emlHeaders, text, html})
  const summary: IssueSummary = {
    month: plan.month,
    number: plan.number,
    subject: plan.subject,
    preheader: plan.preheader,
    posts: [...form.leads, ...form.cards].map((post) => ({slug: post.slug, title: post.title, url: absolute(post.url, baseUrl)})),
    bytes: {html: rendered.bytes, text: Buffer.byteLength(text)},
    warnings
  }
  const files = new Map<string, string | Uint8Array>([
    ['issue.mjml', mjml],
    ['issue.html', html],
    ['issue.txt', text],
    ['issue.eml', eml],
    ['issue.json', JSON.stringify(summary, null, 2) + '\n']
  ])
  return {files, summary, emlHeaders}
}

/**
 * The URL of a post's cover as the email shows it: the site path of a cover
 * the site has (`post.cover`, resolved when the site was loaded), or a
 * remote http(s) cover as written; `undefined` for none, a missing file
 * (the load warned at its `cover:` line) or a URL the policy refuses.
 */
function coverUrl(post: Post): string | undefined {
  if (post.cover) return post.cover.url
  const cover = post.frontmatter.cover
  if (!cover || !isAllowedUrl(cover)) return undefined
  if (cover.startsWith('//')) return `https:${cover}`
  return /^https?$/i.test(urlScheme(cover) ?? '') ? cover : undefined
}

/** Where the logo's size is kept among the issue's image sizes (apart from the posts' image URLs). */
function logoKey(url: string): string {
  return `logo:${url}`
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

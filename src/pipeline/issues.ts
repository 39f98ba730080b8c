/**
 * The issues of a build, reused from the memo while their inputs are
 * unchanged: a whole issue under a key of its plan, posts, note and the
 * build's versions; failing that, each post's email part, the compiled
 * MJML and the lint findings of an issue.html. The email stage builds an
 * issue from what it is given; the keys are made here.
 */
import {VFile} from 'vfile'
import {
  collectIssues,
  composeIssue,
  type IssueBuild,
  type IssueCache,
  type IssueContext,
  type IssuePlan,
  type RenderedPart
} from '../email/issue.js'
import type {EmailLintFinding} from '../email/lint.js'
import type {MjmlCache} from '../email/templates.js'
import type {Post} from '../source/post.js'
import type {Site} from '../source/site.js'
import {memoKey, restoreMessages, storeMessages, type Memo, type StoredMessage} from './memo.js'
import {pipelineVersion} from './warm.js'

/** How `buildMemoizedIssues` reuses issues whose inputs did not change. */
export interface IssueMemo {
  memo: Memo
  /** Everything an issue depends on besides its plan and posts (letterpress, config, email templates). */
  version: string
  /** The bytes of the site files a post shows (its images are measured). */
  assetKey: (site: Site, post: Post) => string
  /**
   * Where a build puts the issues' files (OUT's staging folder), by path
   * relative to OUT: each is linked from OUT when OUT holds it from the
   * same issue (`linked`, by its key), else put. The issues then come back
   * without their files, and an issue OUT holds whole is not even read.
   */
  out?: IssueOut | undefined
}

/** See `IssueMemo.out`. */
export interface IssueOut {
  linked(relative: string, key: string): boolean
  put(relative: string, content: string | Uint8Array, key: string): void
}

/** An issue as it was built, with what the memo needs to take it back. */
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
 * An issue as the memo keeps it (bucket `issue`): its build without its
 * files, which are apart under the same key (bucket `issue-files`, two
 * thirds of an issue's bytes) and only named here: every build reads each
 * issue for the site's pages, and only a build without them in OUT needs
 * the files.
 */
interface StoredIssue extends Omit<MemoizedIssue, 'build'> {
  build: Omit<IssueBuild, 'files'>
  files: string[]
}

/** Keep an issue built now in the memo under `key` (see `StoredIssue`). */
export function memoizeIssue(memo: Memo, key: string, made: MemoizedIssue): void {
  const {files, ...rest} = made.build
  memo.set('issue-files', key, [...files])
  memo.set('issue', key, {...made, build: rest, files: [...files.keys()]} satisfies StoredIssue)
}

/** The key OUT's file `name` of the issue under `key` is recorded with. */
function fileKey(key: string, name: string): string {
  return `${key} ${name}`
}

/**
 * An issue from the memo: its files linked from OUT where `out` can, the
 * rest read back; `undefined` when the memo lacks what is needed (then it
 * is built again).
 */
function takeIssue(memo: Memo, key: string, stored: StoredIssue, out: IssueOut | undefined): IssueBuild | undefined {
  if (!Array.isArray(stored.files) || !stored.files.every((name) => typeof name === 'string') || typeof stored.build !== 'object' || stored.build === null) return undefined
  const month = stored.build.summary.month
  const wanted = out ? stored.files.filter((name) => !out.linked(`email/${month}/${name}`, fileKey(key, name))) : stored.files
  if (wanted.length === 0) {
    memo.keep('issue-files', key)
    return {...stored.build, files: new Map()}
  }
  const kept = memo.get<Array<[string, string | Uint8Array]>>('issue-files', key)
  if (!Array.isArray(kept)) return undefined
  const contents = new Map(kept)
  const files = new Map<string, string | Uint8Array>()
  for (const name of wanted) {
    const content = contents.get(name)
    if (content === undefined) return undefined
    files.set(name, content)
  }
  return {...stored.build, files}
}

/** Put an issue's files where `out` says, by their keys; the issue without them. */
function placeFiles(build: IssueBuild, key: string, out: IssueOut): IssueBuild {
  for (const [name, content] of build.files) out.put(`email/${build.summary.month}/${name}`, content, fileKey(key, name))
  return {...build, files: new Map()}
}

/**
 * How an issue reuses its posts' email parts from the memo: a part depends
 * on its post (bytes, resolved links, the files it shows), its shape, the
 * URLs and campaign it links with, and the build's versions.
 */
export interface PartMemo {
  memo: Memo
  /** The post's own inputs, or `undefined` when it cannot be keyed. */
  keyOf: (post: Post) => string | undefined
}

/** A rendered part as the memo keeps it. */
interface StoredPart {
  html: string
  bareHtml: string
  webHtml: string
  messages: StoredMessage[]
}

/**
 * Build every month's issue (oldest first), with `memoized` taking back
 * those built before. `onIssue` hears, before each issue and once at the
 * end, how many are done of how many, and how many came from the memo.
 */
export async function buildMemoizedIssues(
  site: Site,
  context: IssueContext,
  memoized?: IssueMemo,
  onIssue?: (done: number, total: number, reused: number) => void
): Promise<IssueBuild[]> {
  const plans = collectIssues(site, {notes: context.notes, sourceDateEpoch: context.sourceDateEpoch})
  const builds: IssueBuild[] = []
  const everyUrl = memoized ? siteUrlsKey(site, plans) : ''
  let reused = 0
  for (const plan of plans) {
    onIssue?.(builds.length, plans.length, reused)
    if (!memoized) {
      builds.push(await composeIssue(site, plan, context))
      continue
    }
    const touched = issueTouchedFiles(plan, context)
    const key = issueKey(site, plan, context, memoized, everyUrl)
    const hit = memoized.memo.get<StoredIssue>('issue', key)
    const taken = hit && takeIssue(memoized.memo, key, hit, memoized.out)
    if (hit && taken) {
      for (const [at, messages] of hit.messages) if (touched[at]) restoreMessages(touched[at], messages)
      for (const part of hit.parts ?? []) memoized.memo.keep('part', part)
      if (typeof hit.lint === 'string') memoized.memo.keep('lint', hit.lint)
      builds.push(memoized.out ? placeFiles(taken, key, memoized.out) : taken)
      reused++
      continue
    }
    const made = await buildMemoizedIssue(site, plan, context, {memo: memoized.memo, keyOf: partKeys(site, memoized, everyUrl)})
    memoizeIssue(memoized.memo, key, made)
    builds.push(memoized.out ? placeFiles(made.build, key, memoized.out) : made.build)
  }
  onIssue?.(builds.length, plans.length, reused)
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

/**
 * Build one issue, its posts' parts and its lint findings taken from
 * `partMemo` when there, and keep the messages it left, by index into
 * `issueTouchedFiles`.
 */
export async function buildMemoizedIssue(site: Site, plan: IssuePlan, context: IssueContext, partMemo?: PartMemo): Promise<MemoizedIssue> {
  const touched = issueTouchedFiles(plan, context)
  const before = touched.map((file) => file.messages.length)
  const parts: string[] = []
  const lint: {key?: string} = {}
  const build = await composeIssue(site, plan, context, partMemo ? issueCache(partMemo, parts, lint) : {})
  const messages = touched
    .map((file, at): [number, StoredMessage[]] => [at, storeMessages(file, before[at])])
    .filter(([, list]) => list.length > 0)
  return {build, messages, parts, ...(lint.key ? {lint: lint.key} : {})}
}

/**
 * The email stage's cache over `partMemo`: parts under their post's key,
 * shape and options, collected into `used`; lint findings under the HTML
 * linted, their key put in `lint`.
 */
function issueCache(partMemo: PartMemo, used: string[], lint: {key?: string}): IssueCache {
  const {memo} = partMemo
  return {
    part(post, shape, options, render): RenderedPart {
      const own = partMemo.keyOf(post)
      const key = own === undefined ? undefined : memoKey('part', own, shape, options)
      if (key === undefined) return render()
      used.push(key)
      const stored = memo.get<StoredPart>('part', key)
      if (stored) {
        const file = new VFile({path: post.file.path})
        restoreMessages(file, stored.messages)
        return {html: stored.html, bareHtml: stored.bareHtml, webHtml: stored.webHtml, file}
      }
      const part = render()
      memo.set('part', key, {html: part.html, bareHtml: part.bareHtml, webHtml: part.webHtml, messages: storeMessages(part.file)} satisfies StoredPart)
      return part
    },
    lint(html, unsubscribe, run): EmailLintFinding[] {
      const key = memoKey('lint', pipelineVersion(), unsubscribe, html)
      lint.key = key
      const known = memo.get<EmailLintFinding[]>('lint', key)
      if (Array.isArray(known)) return known
      const found = run()
      memo.set('lint', key, found)
      return found
    }
  }
}

/**
 * Compiled MJML kept in `memo` (bucket `mjml`, keyed by the source, the
 * template's path and letterpress's version), so an issue whose MJML came
 * out the same as before is not compiled again.
 */
export function memoizedMjml(memo: Memo): MjmlCache {
  return async (source, templateFile, compile) => {
    // `mj-include` reads files the key cannot see: such sources are always compiled.
    if (source.includes('<mj-include')) return compile()
    const key = memoKey('mjml', pipelineVersion(), templateFile, source)
    const known = memo.get<string>('mjml', key)
    if (typeof known === 'string') return known
    const html = await compile()
    memo.set('mjml', key, html)
    return html
  }
}

/**
 * The plan of the monthly issues: which posts go into which month's email,
 * in what order and shape (`collectIssues`).
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
 * - the subject is the note's, else `newsletter.subject` rendered
 *   (subject.ts), else the lead's title; the preheader is the note's, else the lead's description, else its
 *   first paragraph;
 * - the issue's date is the newest post date in the month at 09:00 UTC, or
 *   SOURCE_DATE_EPOCH when set: never the wall clock.
 */
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import type {ResolvedConfig} from '../source/config.js'
import {monthDisplay} from '../source/dates.js'
import type {Post} from '../source/post.js'
import type {Site} from '../source/site.js'
import {firstParagraph, shorten} from '../render/excerpt.js'
import type {IssueNote} from './notes.js'
import {createSubjects} from './subject.js'

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
  /** The issue's date: newest post date at 09:00 UTC, or the config's `sourceDateEpoch`. */
  date: Date
}

/** Options for `collectIssues`. */
export interface CollectIssuesOptions {
  /** Editorial notes by month (`loadIssueNotes`). */
  notes?: ReadonlyMap<string, IssueNote> | undefined
  /** Seconds since the epoch for every issue's date; default: the config's `sourceDateEpoch`. */
  sourceDateEpoch?: number | undefined
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

/**
 * Plan every issue of the site, oldest month first: one per month with an
 * email post (`emailPosts`), from `newsletter.start` on when it is set,
 * numbered from 1. Pure.
 */
export function collectIssues(site: Site, options: CollectIssuesOptions = {}): IssuePlan[] {
  const {config} = site
  const notes = options.notes ?? new Map<string, IssueNote>()
  const epoch = options.sourceDateEpoch ?? config.sourceDateEpoch
  const subjectOf = createSubjects(config)
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
    const leads = leadsOf(posts, note, month)
    const cards = posts.filter((post) => !leads.includes(post))

    const newest = posts.map((post) => post.date ?? '').sort().at(-1)!
    const date = epoch !== undefined ? new Date(epoch * 1000) : new Date(`${newest}T09:00:00Z`)
    const first = leads[0] ?? cards[0]!
    const subject =
      note?.subject ??
      subjectOf({newsletter: {name: config.newsletter.name}, issue: {number: index + 1, month: monthDisplay(month, config.language)}, lead: {title: first.title}})
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

/**
 * The posts of a month shown in full, the lead first: the note's `lead:`
 * (`none`: no lead), else the first `email: full` post, else the first post
 * not `email: card`; then every other `email: full` post.
 */
function leadsOf(posts: Post[], note: IssueNote | undefined, month: string): Post[] {
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
  return [
    ...(lead ? [lead] : []),
    ...posts.filter((post) => post.email === 'full' && post !== lead)
  ]
}

/** Posts in issue order: by date, oldest first (`newsletter.order: newest` turns that round), then by file. */
export function issueOrder(config: ResolvedConfig): (a: Post, b: Post) => number {
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

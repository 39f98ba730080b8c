/**
 * Issue coverage: the posts whose date puts them in no issue (dated before
 * `newsletter.start`) or in an issue that cannot go out yet (dated in a
 * month after today's), reported as warnings at each post's `date:` line.
 *
 * `check` and `build` both call `reportIssueCoverage` right after loading
 * the site, so these warnings show even when other problems stop the
 * issues from being built.
 */
import type {VFile} from 'vfile'
import {configPosition} from '../source/config.js'
import {emailPosts} from './issue.js'
import {localDate} from '../source/dates.js'
import type {Post} from '../source/post.js'
import type {Site} from '../source/site.js'

/**
 * How many `post-no-issue` warnings are given one per post. Beyond it, the
 * posts dated nearest `newsletter.start` (the likeliest mistakes) are listed
 * one by one and one more warning, at `newsletter.start`, counts the rest.
 */
export const noIssueListLimit = 20

/** Options for `reportIssueCoverage`. */
export interface IssueCoverageOptions {
  /**
   * Today. Default: the config's `sourceDateEpoch` when set (its UTC month), else the
   * clock (its local month, the calendar `letterpress new` dates posts by).
   */
  now?: Date | undefined
}

/** What `reportIssueCoverage` found. */
export interface IssueCoverage {
  /** Posts dated before `newsletter.start`, newest first. */
  beforeStart: Post[]
  /** Posts in an issue of a month after today's, oldest first. */
  future: Post[]
  /** Today's month, `YYYY-MM`. */
  today: string
}

/**
 * Warn about every email post (`emailPosts`) that is in no issue because it
 * is dated before `newsletter.start` (`post-no-issue`), and every one whose
 * issue is for a month after today's (`post-future-issue`), at the post's
 * `date:` key. Messages land on the posts' files (and, past
 * `noIssueListLimit`, on `configFile`); calling it again adds nothing twice.
 */
export function reportIssueCoverage(site: Site, configFile: VFile, options: IssueCoverageOptions = {}): IssueCoverage {
  const start = site.config.newsletter.start
  const today = todayMonth(options.now, site.config.sourceDateEpoch)
  const beforeStart: Post[] = []
  const future: Post[] = []
  for (const post of emailPosts(site)) {
    const month = post.month!
    if (start !== undefined && month < start) beforeStart.push(post)
    else if (month > today) future.push(post)
  }
  beforeStart.sort((a, b) => byDate(b, a))
  future.sort(byDate)

  const listed = beforeStart.length > noIssueListLimit ? beforeStart.slice(0, noIssueListLimit) : beforeStart
  for (const post of listed) {
    warnOnce(
      post.file,
      `Dated ${post.month}, before \`newsletter.start\`: this post is in no issue, as issues start at ${start}; ` +
        'add `email: false` if it is for the web only, or set an earlier `newsletter.start`',
      datePlace(post),
      'post-no-issue'
    )
  }
  const rest = beforeStart.slice(listed.length)
  if (rest.length > 0) {
    const newest = rest[0]!.month!
    const oldest = rest.at(-1)!.month!
    warnOnce(
      configFile,
      `${rest.length} more posts, dated ${oldest === newest ? oldest : `${oldest} to ${newest}`}, are in no issue, ` +
        `as issues start at ${start}; only the ${noIssueListLimit} dated nearest ${start} are listed one by one. ` +
        'Add `email: false` to them if they are for the web only, or set an earlier `newsletter.start`',
      configPosition(String(configFile.value ?? ''), ['newsletter', 'start']) ?? {line: 1, column: 1},
      'post-no-issue'
    )
  }

  for (const post of future) {
    warnOnce(
      post.file,
      `Dated ${post.date}, after the current month (${today}): its issue ${post.month} cannot go out before ${post.month}; ` +
        'built with --future, the web site publishes the post now',
      datePlace(post),
      'post-future-issue'
    )
  }
  return {beforeStart, future, today}
}

/** `YYYY-MM` of today (see `IssueCoverageOptions.now`). */
function todayMonth(now: Date | undefined, epoch: number | undefined): string {
  if (now) return localDate(now).slice(0, 7)
  // A reproducible build's "today" must not depend on the machine's time zone.
  if (epoch !== undefined) return new Date(epoch * 1000).toISOString().slice(0, 7)
  return localDate(new Date()).slice(0, 7)
}

/** The post's `date:` key in its frontmatter. */
function datePlace(post: Post): {line: number; column: number} {
  const start = post.frontmatter.positions['date']?.start
  return start ? {line: start.line, column: start.column} : {line: 1, column: 1}
}

function byDate(a: Post, b: Post): number {
  return (a.datetime ?? a.date ?? '').localeCompare(b.datetime ?? b.date ?? '') || a.sourcePath.localeCompare(b.sourcePath)
}

/** Add a warning unless `file` has it already (sites are checked more than once in `dev`). */
function warnOnce(file: VFile, reason: string, place: {line: number; column: number}, ruleId: string): void {
  const seen = file.messages.some(
    (message) => message.ruleId === ruleId && message.reason === reason && message.line === place.line
  )
  if (!seen) file.message(reason, {place, ruleId, source: 'letterpress'})
}

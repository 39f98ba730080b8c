/**
 * Scheduled posts: a post dated after "now" is held back from the site,
 * the feeds, the sitemap and the issues until its date (unless `--future`).
 *
 * "Now" is SOURCE_DATE_EPOCH when set (so a reproducible build holds back
 * the same posts every time), else the clock. A post dated by day goes
 * live when that day begins: in UTC under SOURCE_DATE_EPOCH, else on the
 * machine's calendar, the one `letterpress new` dates posts by, so a post
 * written today is never held back. A post with a time goes live at that
 * instant.
 *
 * Kept free of the pipeline's heavy modules: the warm build reads it.
 */

/** The moment a build runs at. */
export interface PublishNow {
  /** Milliseconds since the epoch. */
  time: number
  /** Whether it is SOURCE_DATE_EPOCH (day dates are then UTC days). */
  fixed: boolean
}

/** What is needed of a post to tell whether it is scheduled. */
export interface Datable {
  page: boolean
  date: string | undefined
  datetime: string | undefined
}

/** Now: the config's `sourceDateEpoch` (seconds) when there is one, else the clock. */
export function publishNow(config: {sourceDateEpoch: number | undefined}): PublishNow {
  const epoch = config.sourceDateEpoch
  if (epoch !== undefined) return {time: epoch * 1000, fixed: true}
  return {time: Date.now(), fixed: false}
}

/**
 * When `post` goes live, in milliseconds since the epoch; `undefined` for a
 * page or a post without a usable date (never held back).
 */
export function goesLiveAt(post: Datable, now: PublishNow): number | undefined {
  if (post.page || post.date === undefined) return undefined
  if (post.datetime !== undefined) {
    const instant = Date.parse(post.datetime)
    if (!Number.isNaN(instant)) return instant
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(post.date)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])]
  return now.fixed ? Date.UTC(year, month, day) : new Date(year, month, day).getTime()
}

/** Whether `post` is dated after `now`. */
export function isScheduled(post: Datable, now: PublishNow): boolean {
  const at = goesLiveAt(post, now)
  return at !== undefined && at > now.time
}

/**
 * The earliest moment one of `held` goes live, `undefined` when none is
 * held back: a build that held them back is stale from then on.
 */
export function nextRelease(held: readonly Datable[], now: PublishNow): number | undefined {
  let next: number | undefined
  for (const post of held) {
    const at = goesLiveAt(post, now)
    if (at !== undefined && (next === undefined || at < next)) next = at
  }
  return next
}

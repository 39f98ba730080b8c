/**
 * Reading a date as an author wrote it: ISO 8601 (`2026-01-14`,
 * `2026-01-14 09:00`, `2026-01-14T09:00:00+02:00`) and the human forms other
 * blog tools leave in frontmatter (`14 January 2026`, `Jan 14, 2026`,
 * `Wednesday, 14 January 2026`, `14/01/2026`). The one parser of dates in
 * letterpress: frontmatter, config and importers all read dates here.
 *
 * A small explicit grammar rather than a library: chrono-node and friends
 * read anything, fill missing parts from the clock and settle `03/04/2026`
 * by locale, where a build must be deterministic and an ambiguous date must
 * be refused with a reason; date-fns' `parse` tries one format at a time and
 * says nothing about why a text failed. The forms read are listed in the
 * README ("Coming from MkDocs, Astro, Hugo or Jekyll").
 *
 * Also the one writer of a day as `YYYY-MM-DD`, for the machine's calendar
 * (`localDate`) as for a parsed date.
 */

/** What a date value turns into. */
export interface ParsedDate {
  /** The calendar date as written, `YYYY-MM-DD`. */
  date: string
  /** When a time was given: the instant as ISO 8601 in UTC (`…Z`). */
  datetime?: string
}

/** Why a text is not a date, with the rule id of the message to give. */
export interface DateProblem {
  reason: string
  ruleId: 'frontmatter-date-invalid' | 'frontmatter-date-ambiguous'
}

const isoDate =
  /^(\d{4})-(\d{2})-(\d{2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:[ \t]*(Z|z|[+-]\d{1,2}(?::?\d{2})?))?)?$/

const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

/** `jan`, `sept`, `september` → 1-based month; `undefined` when not a month. */
function monthNumber(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/, '')
  if (lower.length < 3) return undefined
  const index = monthNames.findIndex((name) => name === lower || (lower.length <= 4 && name.startsWith(lower)))
  return index === -1 ? undefined : index + 1
}

/** `wed`, `weds`, `wednesday` → 0 (Sunday) to 6; `undefined` when not a weekday. */
function weekdayNumber(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/, '')
  if (lower.length < 3) return undefined
  const index = weekdayNames.findIndex((name) => name === lower || (lower.length <= 5 && name.startsWith(lower)))
  return index === -1 ? undefined : index
}

const word = String.raw`[A-Za-z]+\.?`
const ordinal = String.raw`(\d{1,2})(?:st|nd|rd|th)?\.?`
// An optional trailing time (`, 09:00`, ` at 9:00 +02:00`), read like ISO's.
const time = String.raw`(?:,?[ \t]+(?:at[ \t]+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[ \t]*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?))?)?`
/** `[Weekday,] 14 January 2026` */
const dayMonthYear = new RegExp(String.raw`^(?:(${word}),?[ \t]+)?${ordinal}[ \t]+(${word}),?[ \t]+(\d{4})${time}$`)
/** `[Weekday,] January 14, 2026` and Astro's `Jul 08 2022` */
const monthDayYear = new RegExp(String.raw`^(?:(${word}),?[ \t]+)?(${word})[ \t]+${ordinal},?[ \t]+(\d{4})${time}$`)
/** `14/01/2026`, `01.14.2026`: the order is known only when one part is above 12. */
const numeric = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$/
/** `2026/01/14` */
const yearFirst = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/

/**
 * Parse a date as written. Returns the date, or why it is not one
 * (`frontmatter-date-ambiguous` for `03/04/2026`, which could be either
 * month; `frontmatter-date-invalid` otherwise).
 *
 * The calendar date is kept as written; `datetime` is the UTC instant (a
 * time without a zone is UTC, as in YAML 1.1 timestamps). Nothing reads the
 * clock or the machine's time zone.
 */
export function parseDate(text: string): ParsedDate | DateProblem {
  const trimmed = text.trim().replace(/[ \t]+/g, ' ')
  const shown = JSON.stringify(text)
  const invalid = (why: string): DateProblem => ({reason: `${shown} ${why}`, ruleId: 'frontmatter-date-invalid'})

  const iso = isoDate.exec(trimmed)
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso
    return build(shown, Number(year), Number(month), Number(day), {hour, minute, second, fraction, zone})
  }

  const dmy = dayMonthYear.exec(trimmed)
  const human = dmy ?? monthDayYear.exec(trimmed)
  if (human) {
    const dayFirst = dmy !== null
    const [, weekday, first, second, year, hour, minute, seconds, zone] = human
    const monthWord = dayFirst ? second! : first!
    const day = Number(dayFirst ? first : second)
    const month = monthNumber(monthWord)
    if (month === undefined) return invalid(`is not a date: \`${monthWord}\` is not a month name`)
    const parsed = build(shown, Number(year), month, day, {hour, minute, second: seconds, zone})
    if ('reason' in parsed || weekday === undefined) return parsed
    const named = weekdayNumber(weekday)
    if (named === undefined) return invalid(`is not a date: \`${weekday}\` is not a day of the week`)
    const actual = new Date(parsed.date + 'T00:00:00Z').getUTCDay()
    if (actual !== named) {
      return invalid(`is not a date: ${parsed.date} is a ${capitalise(weekdayNames[actual]!)}, not a ${capitalise(weekdayNames[named]!)}`)
    }
    return parsed
  }

  const ymd = yearFirst.exec(trimmed)
  if (ymd) return build(shown, Number(ymd[1]), Number(ymd[2]), Number(ymd[3]), {})

  const parts = numeric.exec(trimmed)
  if (parts) {
    const a = Number(parts[1])
    const b = Number(parts[3])
    const year = Number(parts[4])
    if (a > 12 || b > 12 || a === b) {
      return a > 12 ? build(shown, year, b, a, {}) : build(shown, year, a, b, {})
    }
    const dayFirst = iso8601(year, b, a)
    const monthFirst = iso8601(year, a, b)
    return {
      reason:
        `${shown} could be ${a} ${capitalise(monthNames[b - 1]!)} or ${b} ${capitalise(monthNames[a - 1]!)}; ` +
        `write ${dayFirst} (or ${monthFirst})`,
      ruleId: 'frontmatter-date-ambiguous'
    }
  }

  return invalid(
    'is not a date: write it as YYYY-MM-DD (or an ISO 8601 datetime such as 2024-05-31T09:30:00Z, or as 14 January 2026)'
  )
}

interface TimeParts {
  hour?: string
  minute?: string
  second?: string
  fraction?: string
  zone?: string
}

/** Check the calendar date and time, and make the parsed date. */
function build(shown: string, y: number, m: number, d: number, time: TimeParts): ParsedDate | DateProblem {
  const invalid = (why: string): DateProblem => ({reason: `${shown} ${why}`, ruleId: 'frontmatter-date-invalid'})
  if (m < 1 || m > 12) return invalid(`is not a date: there is no month ${m}`)
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31
  if (d < 1 || d > days) return invalid(`is not a date: month ${m} of ${y} has ${days} days`)
  const date = iso8601(y, m, d)
  if (time.hour === undefined) return {date}

  const h = Number(time.hour)
  const min = Number(time.minute)
  const s = Number(time.second ?? 0)
  if (h > 23 || min > 59 || s > 59) return invalid('is not a valid time of day')
  let offsetMinutes = 0
  const zone = time.zone?.toUpperCase()
  if (zone && zone !== 'Z' && zone !== 'UTC' && zone !== 'GMT') {
    const zoneMatch = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)
    const zh = Number(zoneMatch?.[2] ?? 0)
    const zm = Number(zoneMatch?.[3] ?? 0)
    if (zh > 14 || zm > 59) return invalid(`has an impossible time zone offset ${time.zone}`)
    offsetMinutes = (zoneMatch?.[1] === '-' ? -1 : 1) * (zh * 60 + zm)
  }
  // setUTCFullYear, not Date.UTC, which maps years 0–99 to 1900–1999.
  const instant = new Date(0)
  instant.setUTCFullYear(y, m - 1, d)
  instant.setUTCHours(h, min, s, Number(((time.fraction ?? '') + '000').slice(0, 3)))
  return {date, datetime: new Date(instant.getTime() - offsetMinutes * 60_000).toISOString()}
}

/** `YYYY-MM-DD` of the day `now` falls on in the machine's time zone (the calendar its user dates posts by). */
export function localDate(now: Date): string {
  return iso8601(now.getFullYear(), now.getMonth() + 1, now.getDate())
}

function iso8601(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

// Making an Intl formatter costs far more than using one: one per language and style.
const formats = new Map<string, Intl.DateTimeFormat>()
const styles = {
  day: {dateStyle: 'long', timeZone: 'UTC'},
  month: {month: 'long', year: 'numeric', timeZone: 'UTC'},
  monthName: {month: 'long', timeZone: 'UTC'}
} satisfies Record<string, Intl.DateTimeFormatOptions>

/** The formatter of `style` for `language` (English when `language` is no locale Intl knows). */
function formatter(language: string, style: keyof typeof styles): Intl.DateTimeFormat {
  const key = `${style} ${language}`
  let found = formats.get(key)
  if (!found) {
    try {
      found = new Intl.DateTimeFormat(language, styles[style])
    } catch {
      found = new Intl.DateTimeFormat('en', styles[style])
    }
    formats.set(key, found)
  }
  return found
}

/** A `YYYY-MM-DD` day as readers of `language` write it (`7 October 2026`, `October 7, 2026`). */
export function dayDisplay(date: string, language: string): string {
  return formatter(language, 'day').format(new Date(`${date}T00:00:00Z`))
}

/** A `YYYY-MM` month with its year (`October 2026`). */
export function monthDisplay(month: string, language: string): string {
  return formatter(language, 'month').format(new Date(`${month}-01T00:00:00Z`))
}

/** The name of a `YYYY-MM` month alone (`October`). */
export function monthNameDisplay(month: string, language: string): string {
  return formatter(language, 'monthName').format(new Date(`${month}-01T00:00:00Z`))
}

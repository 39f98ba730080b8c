/**
 * The send journal of one issue: what `send --list` did for each address,
 * one JSON object a line, only ever appended to. Each copy is marked
 * `sending` before its SMTP transaction starts, and `accepted` (the server
 * took it), `failed` (the server refused it, or it never got to the server)
 * or `uncertain` (the connection was lost after the message went, before
 * the server's answer) once it is over.
 *
 * The last mark of an address says where it stands. `sending` as the last
 * mark means the process died during the transaction: the copy may or may
 * not have been delivered, exactly as `uncertain`.
 *
 * A line that is not a whole mark (a write cut short by a crash or a power
 * loss) is skipped: the mark it would have been never counted, which is
 * always the safe reading (a cut `sending` was written before its
 * transaction started; a cut `accepted` leaves `sending`, so uncertain).
 *
 * Pure: the lines' format and their reading. Writing them durably is the
 * pipeline's.
 */

/** Where one address stands. */
export type JournalState = 'sending' | 'accepted' | 'failed' | 'uncertain'

/** One line of the journal. */
export interface JournalMark {
  /** The address, as sent to. */
  email: string
  state: JournalState
  /** ISO time of the mark. */
  at: string
  /** The copy's Message-ID (on `sending`). */
  messageId?: string
  /** The server's answer, or what went wrong (on `accepted`, `failed`, `uncertain`). */
  response?: string
  /** On `failed`: whether the server's refusal was permanent (5xx). */
  permanent?: boolean
}

/** The line for a mark (with its line break). */
export function journalLine(mark: JournalMark): string {
  return JSON.stringify(mark) + '\n'
}

const states = new Set<string>(['sending', 'accepted', 'failed', 'uncertain'])

/** What a journal says. */
export interface JournalReading {
  /** The last mark of each address, by lower-cased address. */
  last: Map<string, JournalMark>
  /** Lines that were not whole marks, skipped (a write cut short). */
  skipped: number
}

/** Read a journal's text. */
export function readJournal(text: string): JournalReading {
  const last = new Map<string, JournalMark>()
  let skipped = 0
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const mark = parseMark(line)
    if (mark) last.set(mark.email.toLowerCase(), mark)
    else skipped++
  }
  return {last, skipped}
}

function parseMark(line: string): JournalMark | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const mark = value as Partial<JournalMark>
  if (typeof mark.email !== 'string' || typeof mark.state !== 'string' || !states.has(mark.state) || typeof mark.at !== 'string') return undefined
  return mark as JournalMark
}

/** Whether a last mark leaves the copy's delivery unknown. */
export function isUncertain(mark: JournalMark | undefined): boolean {
  return mark?.state === 'sending' || mark?.state === 'uncertain'
}

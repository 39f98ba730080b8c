/**
 * A subscriber list, as `send --list FILE` reads it: CSV with a header row
 * naming an `email` column (also `e-mail`, `email address`, `email_address`,
 * as services export them; an optional `name` column and any others), or
 * one address a line (`jo@example.org` or `Jo Example <jo@example.org>`,
 * blank lines and `#` comments skipped). CSV fields may be separated by
 * commas, semicolons or tabs and quoted as RFC 4180 says.
 *
 * Each CSV column is a merge field named by its header, lower-cased with
 * every run of other characters than letters, digits and `_` turned into
 * one `_` (`First Name` is `first_name`).
 *
 * Pure: text in, recipients and problems (each at its line, with a rule
 * id) out. The same reading serves the suppression list.
 */
import {parse} from 'csv-parse/sync'
import addressparser from 'nodemailer/lib/addressparser/index.js'

/** One recipient of a list. */
export interface Recipient {
  /** The address as written (trimmed). */
  address: string
  /** The key two entries for one mailbox share: the address lower-cased. */
  key: string
  /** The `name` column, or the display name of `Name <address>`; `''` when none. */
  name: string
  /** Every column of its CSV row by merge-field name (`email` and `name` included). */
  fields: Record<string, string>
  /** 1-based line of the file where the entry starts. */
  line: number
}

/** Something wrong with an entry or with the file. */
export interface ListProblem {
  line: number
  column: number
  /** `list-address-invalid`, `list-address-duplicate`, `list-csv`, `list-no-email-column`. */
  rule: string
  message: string
  /** The file cannot be read as a list at all: nothing may be sent from it. */
  fatal: boolean
}

/** A list read. */
export interface RecipientList {
  /** Valid, first entry for each address, in file order. */
  recipients: Recipient[]
  problems: ListProblem[]
  /** The merge fields every recipient has: `email`, `name` and the CSV's columns. */
  fieldNames: string[]
}

/** The header of the address column. */
const emailHeader = /^e-?mail(?:[ _-]?address)?$/i

/** The merge-field name of a CSV header (`First Name` → `first_name`). */
export function fieldName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '')
}

const localPart = /^[^\s@<>()[\]\\,;:"]{1,64}$/
const domainLabel = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u

/**
 * Whether `address` is a deliverable mailbox address: a local part without
 * spaces or special characters (not starting or ending with a dot, no two
 * dots in a row), `@`, and a domain of at least two labels whose last is
 * not a number. Quoted local parts and IP-literal domains are not taken.
 */
export function isMailboxAddress(address: string): boolean {
  const at = address.lastIndexOf('@')
  if (at <= 0 || address.length > 254) return false
  const local = address.slice(0, at)
  const labels = address.slice(at + 1).split('.')
  if (!localPart.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false
  if (labels.length < 2 || /^\d+$/.test(labels.at(-1)!)) return false
  return labels.every((label) => domainLabel.test(label))
}

/** Read a list (see the module comment). */
export function parseRecipientList(text: string): RecipientList {
  const body = text.replace(/^\uFEFF/, '')
  const first = body.split(/\r\n?|\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
  const csv = first !== undefined && (/[,;\t]/.test(first) || emailHeader.test(first.trim().replace(/^"|"$/g, '')))
  return csv ? parseCsv(body) : parseLines(body)
}

/** Collects the entries in order, keeping the first of each address. */
class Collector {
  readonly recipients: Recipient[] = []
  readonly problems: ListProblem[] = []
  private readonly seen = new Map<string, number>()

  add(written: string, name: string, fields: Record<string, string>, line: number): void {
    let address = written.trim()
    // `Name <address>` in an address cell or line.
    if (address.includes('<')) {
      const parsed = addressparser(address, {flatten: true})
      if (parsed.length === 1 && parsed[0]!.address) {
        name ||= parsed[0]!.name
        address = parsed[0]!.address
      }
    }
    if (!isMailboxAddress(address)) {
      const shown = written.trim() === '' ? 'an empty address' : `\`${written.trim()}\``
      this.problem(line, 'list-address-invalid', `${shown} is not an email address; skipped`)
      return
    }
    const key = address.toLowerCase()
    const earlier = this.seen.get(key)
    if (earlier !== undefined) {
      this.problem(line, 'list-address-duplicate', `\`${address}\` is already on line ${earlier}; sent once, skipped here`)
      return
    }
    this.seen.set(key, line)
    this.recipients.push({address, key, name, fields: {...fields, email: address, name}, line})
  }

  problem(line: number, rule: string, message: string, fatal = false): void {
    this.problems.push({line, column: 1, rule, message, fatal})
  }
}

function parseLines(body: string): RecipientList {
  const list = new Collector()
  body.split(/\r\n?|\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    list.add(line, '', {}, index + 1)
  })
  return {recipients: list.recipients, problems: list.problems, fieldNames: ['email', 'name']}
}

function parseCsv(body: string): RecipientList {
  const list = new Collector()
  let rows: Array<{record: string[]; raw?: string; info: {lines: number}}>
  try {
    // One kind of line break: the parser miscounts lines of CRLF text that has blank lines.
    rows = parse(body.replace(/\r\n?/g, '\n'), {
      bom: true,
      delimiter: [',', ';', '\t'],
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true
    }) as unknown as typeof rows
  } catch (error) {
    const details = error as {message?: string; lines?: number}
    const line = typeof details.lines === 'number' ? details.lines : 1
    list.problem(line, 'list-csv', `not readable as CSV: ${(details.message ?? String(error)).replace(/\s+at line \d+/, '')}`, true)
    return {recipients: [], problems: list.problems, fieldNames: []}
  }
  // `lines` counts to the end of a record; its text as written (without the blank lines skipped before
  // it) says how many line breaks quoted fields put in it, so where it starts.
  const startLine = (row: (typeof rows)[number]) =>
    row.info.lines - ((row.raw ?? '').replace(/^(?:[ \t]*\n)+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0)
  const [header, ...records] = rows
  const names = (header?.record ?? []).map(fieldName)
  const emailColumn = (header?.record ?? []).findIndex((cell) => emailHeader.test(cell.trim()))
  if (!header || emailColumn < 0) {
    list.problem(
      header ? startLine(header) : 1,
      'list-no-email-column',
      'the first row names no `email` column: a CSV list starts with a header row such as `email,name`',
      true
    )
    return {recipients: [], problems: list.problems, fieldNames: []}
  }
  const nameColumn = names.indexOf('name')
  for (const row of records) {
    const fields: Record<string, string> = {}
    names.forEach((name, index) => {
      if (name !== '' && !(name in fields)) fields[name] = row.record[index] ?? ''
    })
    list.add(row.record[emailColumn] ?? '', nameColumn < 0 ? '' : (row.record[nameColumn] ?? ''), fields, startLine(row))
  }
  const fieldNames = [...new Set(['email', 'name', ...names.filter(Boolean)])]
  return {recipients: list.recipients, problems: list.problems, fieldNames}
}

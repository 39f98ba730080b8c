/**
 * Messages for people and scripts, in two formats:
 * text (`posts/x.md:12:3  error  message  rule-id`, then a summary line) and
 * JSON (one array of `{file, line, column, severity, rule, message}`).
 */
import type {VFile} from 'vfile'

/** One reported problem, as `check --format json` prints it. */
export interface Diagnostic {
  /** Relative to ROOT, `/` separators. */
  file: string
  /** 1-based line in the Markdown source (frontmatter included). */
  line: number
  /** 1-based column. */
  column: number
  severity: 'error' | 'warning'
  /** Kebab-case rule id. */
  rule: string
  message: string
}

/**
 * Collect every message of every file as diagnostics, sorted by file and
 * position. With `strict`, warnings count as errors.
 */
export function collectDiagnostics(files: readonly VFile[], strict = false): Diagnostic[] {
  const list: Diagnostic[] = []
  for (const file of files) {
    for (const message of file.messages) {
      list.push({
        file: (file.path ?? '<stdin>').split('\\').join('/'),
        line: message.line ?? 1,
        column: message.column ?? 1,
        severity: message.fatal === true || strict ? 'error' : 'warning',
        rule: message.ruleId ?? 'letterpress',
        message: oneLine(message.reason)
      })
    }
  }
  return list.sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)
  )
}

/** Counts of a diagnostics list. */
export function countDiagnostics(list: readonly Diagnostic[]): {errors: number; warnings: number} {
  let errors = 0
  for (const item of list) if (item.severity === 'error') errors++
  return {errors, warnings: list.length - errors}
}

/** How `formatText` marks each part of a line (the command line colours them on a terminal); plain by default. */
export interface TextStyle {
  location?: (text: string) => string
  severity?: (severity: Diagnostic['severity']) => string
  rule?: (text: string) => string
}

/** The text format: one line per problem. */
export function formatText(list: readonly Diagnostic[], style: TextStyle = {}): string {
  const {location = String, severity = String, rule = String} = style
  return list
    .map((item) => `${location(`${oneLine(item.file)}:${item.line}:${item.column}`)}  ${severity(item.severity)}  ${oneLine(item.message)}  ${rule(item.rule)}`)
    .join('\n')
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const controls = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g
const escapes: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

/**
 * `text` on one line: every control character (a line break in a link
 * target or a file name a message quotes) written as an escape (`\n`,
 * `\u0007`), so one message stays one line of output.
 */
export function oneLine(text: string): string {
  return text.replace(controls, (char) => escapes[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
}

/** The JSON format: one array, pretty-printed. */
export function formatJson(list: readonly Diagnostic[]): string {
  return JSON.stringify(list, null, 2)
}

/** `3 errors, 2 warnings` with correct plurals. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/**
 * Messages for people and scripts, in DESIGN.md's two formats:
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
        message: message.reason
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

/** The text format: one line per problem. */
export function formatText(list: readonly Diagnostic[]): string {
  return list
    .map((item) => `${item.file}:${item.line}:${item.column}  ${item.severity}  ${item.message}  ${item.rule}`)
    .join('\n')
}

/** The JSON format: one array, pretty-printed. */
export function formatJson(list: readonly Diagnostic[]): string {
  return JSON.stringify(list, null, 2)
}

/** `3 errors, 2 warnings` with correct plurals. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

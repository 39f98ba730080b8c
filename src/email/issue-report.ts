/**
 * What building an issue says: warnings in its issue.json, and the same as
 * messages on the files at fault (posts, the note, templates), each said
 * once however often the issue is built.
 */
import type {VFile} from 'vfile'
import {oneLine} from '../source/report.js'

/** A problem with the issue as a whole, in issue.json. */
export interface IssueWarning {
  /** Kebab-case rule id. */
  rule: string
  message: string
  /** Relative to ROOT. */
  file: string
  line: number
}

/** One thing building an issue found: a warning in issue.json and a message on `file`. */
export interface IssueMessage {
  file: VFile
  /** Kebab-case rule id. */
  rule: string
  message: string
  line: number
  column: number
  /** An error: issue.json lists it under the errors too, and the message is fatal. */
  fatal?: boolean | undefined
}

/** Add `messages` to issue.json's `warnings` (and the fatal ones to `errors`) and to their files, once each. */
export function reportIssueMessages(messages: readonly IssueMessage[], warnings: IssueWarning[], errors: IssueWarning[]): void {
  for (const {file, rule, message, line, column, fatal} of messages) {
    const warning: IssueWarning = {rule, message, file: file.path, line}
    warnings.push(warning)
    if (fatal) errors.push(warning)
    const exists = file.messages.some(
      (other) => other.reason === message && other.ruleId === rule && other.line === line && other.column === column
    )
    if (!exists) file.message(message, {place: {line, column}, ruleId: rule, source: 'letterpress'}).fatal = fatal === true
  }
}

/**
 * Add what rendering a part of the issue said (on the scratch file `from`)
 * to issue.json's `warnings` and, once, to the part's own file `to`.
 */
export function reportRenderedPart(from: VFile, to: VFile, warnings: IssueWarning[]): void {
  for (const message of from.messages) {
    const exists = to.messages.some(
      (other) =>
        other.reason === message.reason &&
        other.ruleId === message.ruleId &&
        other.line === message.line &&
        other.column === message.column
    )
    if (exists) continue
    const copy = to.message(message.reason, {
      place: message.place ?? undefined,
      ruleId: message.ruleId ?? undefined,
      source: message.source ?? 'letterpress'
    })
    copy.fatal = message.fatal
  }
  for (const message of from.messages) {
    warnings.push({rule: message.ruleId ?? 'letterpress', message: oneLine(message.reason), file: to.path, line: message.line ?? 1})
  }
}

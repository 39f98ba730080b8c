/**
 * The email-safety lint's findings in a finished issue.html, attributed to
 * the template lines behind them. The renderer's own output is lint-clean,
 * so what the lint rejects comes from a template: a finding lands on the
 * template file that holds what was found, at its line, else on the main
 * template (`IssueContext.lintFile`).
 */
import type {IssueContext} from './issue-context.js'
import type {IssueMessage} from './issue-report.js'
import type {EmailLintFinding} from './lint.js'

/** `findings` in `html` (the issue of `month`) as warnings on the templates. */
export function lintMessages(
  findings: readonly EmailLintFinding[],
  html: string,
  context: Pick<IssueContext, 'templates' | 'templateFiles' | 'lintFile'>,
  month: string
): IssueMessage[] {
  const htmlLines = html.split(/\r?\n|\r/)
  return findings.map((finding) => {
    // What was found, as written (`<details`, `href="/about/"`, `display:flex`), is
    // usually in a template literally: point at that line.
    const found = /^(?:<[\w-]+|[^\s>;"'=]+\s*(?:=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)|:\s*[^;"'}]+)?)/.exec(
      htmlLines[finding.line - 1]?.slice(finding.column - 1) ?? ''
    )?.[0]
    const place = found === undefined ? undefined : context.templates.locate(found.trim())
    const file = (place && context.templateFiles.get(place.file)) ?? context.lintFile
    const message = `Issue ${month}, issue.html ${finding.line}:${finding.column}: ${finding.message}`
    return {file, rule: finding.rule, message, line: place?.line ?? 1, column: place?.column ?? 1}
  })
}

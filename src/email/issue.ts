/**
 * The monthly issue: which posts go into which month's email (plan.ts),
 * and the build of each issue into its files (compose.ts): issue.mjml,
 * issue.html, issue.txt, issue.eml and issue.json, plus the body HTML of
 * its web archive page, fitted under Gmail's clipping size (compact.ts).
 * This module builds one month's issue or all of them, and is where the
 * rest of letterpress finds the issue's parts.
 */
import type {Site} from '../source/site.js'
import {composeIssue, type IssueBuild} from './compose.js'
import {createIssueContext, type IssueContext} from './issue-context.js'
import {collectIssues} from './plan.js'

export {compactionSteps, htmlSizeLimit, htmlSizeWarning, largestUnder, type CompactionStep} from './compact.js'
export {composeIssue, issueEmlFor, issuePart, type IssueBuild, type IssueCache, type IssueSummary} from './compose.js'
export {createIssueContext, type IssueContext, type IssueContextOptions} from './issue-context.js'
export type {IssueWarning} from './issue-report.js'
export type {PartCache, PartOptions, PartShape, RenderedPart} from './parts.js'
export {collectIssues, emailPosts, type CollectIssuesOptions, type IssuePlan} from './plan.js'

/** An issue that cannot be built (no such month). Content problems are messages instead. */
export class IssueError extends Error {
  override name = 'IssueError'
}

/** Build every month's issue (oldest first). */
export async function buildIssues(site: Site, context?: IssueContext): Promise<IssueBuild[]> {
  const shared = context ?? (await createIssueContext(site))
  const builds: IssueBuild[] = []
  for (const plan of collectIssues(site, {notes: shared.notes, sourceDateEpoch: shared.sourceDateEpoch})) {
    builds.push(await composeIssue(site, plan, shared))
  }
  return builds
}

/**
 * Build one month's issue into its files. Throws `IssueError` when the
 * month has no issue, and a `TemplateError` (naming the template file, line
 * and month) when a template or MJML fails. Content problems become
 * messages on the posts' files and warnings in issue.json.
 */
export async function buildIssue(site: Site, month: string, context?: IssueContext): Promise<IssueBuild> {
  const shared = context ?? (await createIssueContext(site))
  const plans = collectIssues(site, {notes: shared.notes, sourceDateEpoch: shared.sourceDateEpoch})
  const plan = plans.find((candidate) => candidate.month === month)
  if (!plan) {
    const known = plans.map((candidate) => candidate.month)
    throw new IssueError(
      `No issue for ${month}: it has no published post for the email` +
        (known.length > 0 ? ` (issues: ${known.join(', ')})` : ' (there are no issues yet)')
    )
  }
  return composeIssue(site, plan, shared)
}

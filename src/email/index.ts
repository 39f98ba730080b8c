/**
 * The email target: renderer (mdast → email-safe hast/HTML), plain text,
 * the monthly issue (MJML, .eml, issue.json) and the test send.
 */
import type {Root} from 'mdast'
import {createHighlight, type Highlight} from '../render/highlight.js'
import {renderEmailHtml} from './render.js'

export {
  absoluteUrl,
  emailHastToHtml,
  mergeStyles,
  renderEmailHast,
  renderEmailHtml,
  withUtm,
  type EmailRenderOptions,
  type UtmParameters
} from './render.js'
export {
  createEmailHandlers,
  defaultCalloutTitle,
  keyLabel,
  type EmailHandlerOptions,
  type EmailRenderMessage
} from './handlers/index.js'
export {createLinkReferences, renderEmailText, textWidth, wrapText, type LinkReferences, type TextRenderOptions} from './text.js'
export {texToSegments, texToText, segmentsToText, type MathSegment} from './math.js'
export {filterStyle, sanitize, type Removal} from './sanitize.js'
export {isAllowedUrl} from '../source/url-policy.js'
export {bodyWidth, contentWidth, headCss, styleFor, templateStyles} from './styles.js'
export {
  buildIssue,
  buildIssues,
  collectIssues,
  compactionSteps,
  createIssueContext,
  htmlSizeLimit,
  htmlSizeWarning,
  IssueError,
  issueEmlFor,
  type CollectIssuesOptions,
  type CompactionStep,
  type IssueBuild,
  type IssueContext,
  type IssueContextOptions,
  type IssuePlan,
  type IssueSummary,
  type IssueWarning
} from './issue.js'
export {lintEmailHtml, type EmailLintFinding, type EmailLintOptions} from './lint.js'
export {issueNotesFolder, loadIssueNotes, readNote, type IssueNote} from './notes.js'
export {builtInEmailTemplatesDir, createEmailTemplates, type EmailTemplates} from './templates.js'
export {composeEml, issueMessageId, type EmlInput} from './eml.js'
export {sendIssue, SendError, smtpUrlProblem, type SendFailure, type SendIssueOptions, type SendMessage, type SendResult} from './send.js'
export type * from './views.js'

let sharedHighlight: Promise<Highlight> | undefined

/**
 * One Markdown tree as an email HTML fragment (what `renderFragment(md,
 * {target: 'email'})` returns): body only, inline styles, absolute URLs
 * against `baseUrl` (default `https://example.invalid/`, as the email has
 * no relative links). Highlights code with a highlighter shared across
 * calls.
 */
export async function renderEmailFragment(tree: Root, options: {baseUrl?: string | undefined} = {}): Promise<string> {
  sharedHighlight ??= createHighlight()
  const highlight = await sharedHighlight
  await highlight.prepare([tree])
  const baseUrl = options.baseUrl ? (options.baseUrl.endsWith('/') ? options.baseUrl : options.baseUrl + '/') : 'https://example.invalid/'
  return renderEmailHtml(tree, {baseUrl, highlight})
}

/**
 * The words the email templates print around the content, in one place
 * (`labels.*` in the templates): the headings and lines the issue adds
 * around its posts.
 */
export const issueLabels = {
  /** Heading of the list of the issue's posts at its top. */
  inThisIssue: 'In this issue',
  /** Before the subscribe link, for a reader who got the issue from someone else. */
  forwarded: 'Forwarded this?',
  /** The subscribe link's text after `forwarded`. */
  subscribe: 'Subscribe'
} as const

/**
 * The email services an issue can be handed to (`newsletter.provider`),
 * and the merge tags each one fills per subscriber when it sends: the
 * unsubscribe link, the link to the copy it hosts on the web ("view
 * online") and the subscriber's name. The built issue carries the tags of
 * the configured service, so its issue.html can be pasted into, fed to
 * (RSS-to-email) or pushed to that service as it is.
 *
 * Sources, one per service:
 * - buttondown: "Template Variables", docs.buttondown.com (source:
 *   github.com/buttondown/docs, pages/advanced-features/template-variables.mdx):
 *   `unsubscribe_url`, `email_url`, `subscriber.metadata`
 * - mailchimp: "All the Merge Tags Cheat Sheet",
 *   https://mailchimp.com/help/all-the-merge-tags-cheat-sheet/:
 *   `*|UNSUB|*`, `*|ARCHIVE|*`, `*|FNAME|*`
 * - listmonk: "Templating", https://listmonk.app/docs/templating/:
 *   `{{ UnsubscribeURL }}`, `{{ MessageURL }}`, `{{ .Subscriber.Name }}`
 * - kit: Kit's help centre on Liquid personalization and custom email
 *   templates (help.kit.com): `{{ unsubscribe_url }}`,
 *   `{{ subscriber.first_name }}`; no tag for a hosted copy is documented,
 *   so the "view online" link stays the web page
 * - generic: letterpress's own merge fields, which `send --list` fills
 *   (email/merge.ts).
 */

/** The value of `newsletter.provider`. */
export const emailServiceNames = ['generic', 'buttondown', 'mailchimp', 'listmonk', 'kit'] as const

export type EmailServiceName = (typeof emailServiceNames)[number]

/** One service's merge tags, each written as the service reads it. */
export interface EmailServicePreset {
  /** The service's name as people write it. */
  label: string
  /** The subscriber's own unsubscribe URL: `newsletter.unsubscribe`'s default. */
  unsubscribe: string
  /** The URL of the copy the service hosts; `undefined`: the web page on the site. */
  viewOnline: string | undefined
  /** The subscriber's name, for templates that greet the reader (`subscriber.name`). */
  name: string
}

/**
 * Every preset, by `newsletter.provider`. No tag holds `&`, `<`, `>` or a
 * quote: a template prints them HTML-escaped, and they must reach the
 * service as written.
 */
export const emailServices: Readonly<Record<EmailServiceName, EmailServicePreset>> = {
  generic: {label: 'letterpress', unsubscribe: '{{unsubscribe_url}}', viewOnline: undefined, name: '{{name}}'},
  buttondown: {label: 'Buttondown', unsubscribe: '{{ unsubscribe_url }}', viewOnline: '{{ email_url }}', name: '{{ subscriber.metadata.first_name }}'},
  mailchimp: {label: 'Mailchimp', unsubscribe: '*|UNSUB|*', viewOnline: '*|ARCHIVE|*', name: '*|FNAME|*'},
  listmonk: {label: 'Listmonk', unsubscribe: '{{ UnsubscribeURL }}', viewOnline: '{{ MessageURL }}', name: '{{ .Subscriber.Name }}'},
  kit: {label: 'Kit', unsubscribe: '{{ unsubscribe_url }}', viewOnline: undefined, name: '{{ subscriber.first_name }}'}
}

/** Whether `value` names a service of `emailServices`. */
export function isEmailServiceName(value: string): value is EmailServiceName {
  return (emailServiceNames as readonly string[]).includes(value)
}

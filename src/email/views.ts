/**
 * The typed view models the email templates receive (`issue.mjml.liquid`,
 * `issue.txt.liquid`, `web.html.liquid`). Templates never see mdast or the
 * config: only these shapes. Fields ending in `Html` are HTML, printed with
 * `| raw`; fields ending in `Text` are plain text for the text template;
 * everything else is text that the HTML templates escape.
 */

/** A link with a label. */
export interface EmailLinkView {
  name: string
  url: string
}

/** A post shown in full (the lead, and any `email: full` post). */
export interface EmailPostView {
  title: string
  slug: string
  /** Absolute web URL (with campaign parameters when configured). */
  url: string
  /** Web URL without campaign parameters (for the archive page). */
  webUrl: string
  /** `YYYY-MM-DD`. */
  date: string
  /** `September 3, 2026`, in the site's language. */
  dateDisplay: string
  readingMinutes: number
  description: string
  /** Absolute cover image URL, or '' (no cover, or a cover file the site does not have). */
  coverUrl: string
  /** Cover width and height in pixels for the column ('' when unknown). */
  coverWidth: string
  coverHeight: string
  /**
   * Whether the body is only the post's excerpt (up to `<!-- more -->`):
   * the issue was over its size budget, so the template links to the rest
   * ("Continue reading on the web").
   */
  truncated: boolean
  /** The body (or, when `truncated`, the excerpt), email-safe with inline styles. */
  bodyHtml: string
  /** The body as plain text, its "Links:" list included. */
  bodyText: string
  /** The body for the web archive page (no campaign parameters). */
  webBodyHtml: string
}

/**
 * A post shown as a card: title, date, excerpt, "Read on the web"; or,
 * when `IssueView.cardsCompact`, title, date and link only.
 */
export interface EmailCardView {
  title: string
  slug: string
  url: string
  date: string
  dateDisplay: string
  readingMinutes: number
  /** Absolute cover image URL, or '' (no cover, or a cover file the site does not have). */
  coverUrl: string
  coverWidth: string
  coverHeight: string
  /** The cover's size as the card's thumbnail, in pixels ('' when unknown). */
  thumbnailWidth: string
  thumbnailHeight: string
  /**
   * The excerpt, email-safe with inline styles, without a wrapper of its
   * own: the cards share one `div.lp-content`. '' when the cards are compact.
   */
  excerptHtml: string
  /** The excerpt as plain text ('' when the cards are compact). */
  excerptText: string
  webExcerptHtml: string
  /** Web URL without campaign parameters (for the archive page). */
  webUrl: string
}

/** One issue, as every email template sees it. */
export interface IssueView {
  /** `YYYY-MM`. */
  month: string
  number: number
  subject: string
  preheader: string
  /** `September 2026`. */
  monthDisplay: string
  /** `YYYY-MM-DD` of the issue's date. */
  date: string
  /** The issue's web page (with campaign parameters when configured). */
  webUrl: string
  /**
   * The "view in browser" link: the copy the email service hosts, as its
   * merge tag (`newsletter.provider`), else `webUrl`.
   */
  viewOnlineUrl: string
  introHtml: string
  introText: string
  webIntroHtml: string
  outroHtml: string
  outroText: string
  webOutroHtml: string
  /** Posts in full, lead first. */
  leads: EmailPostView[]
  /** The other posts. */
  cards: EmailCardView[]
  /**
   * Whether the cards are a compact list (title, date, link) without
   * excerpts: the issue was over its size budget with them.
   */
  cardsCompact: boolean
  /**
   * Cards left out of the email (a month too big for it even as a compact
   * list): the templates then link to the issue's web page for them.
   */
  cardsMore: number
  /** Numbered link references of the cards' excerpts, as `[n] url` lines. */
  cardsLinksText: string
  /**
   * "In this issue": every post the email shows, leads then cards, each
   * title with its URL. Empty when the email shows one post (or its cards
   * are the compact list, which is such a list already).
   */
  contents: EmailContentsEntry[]
}

/** One line of "In this issue". */
export interface EmailContentsEntry {
  title: string
  /** Absolute web URL (with campaign parameters when configured). */
  url: string
}

/** The site, as the email shows it. */
export interface EmailSiteView {
  /** The newsletter's name. */
  name: string
  /** The site's title. */
  title: string
  /** Absolute site URL (with campaign parameters when configured). */
  url: string
  /** Host name, for "you subscribed at ..." lines. */
  host: string
  description: string
  language: string
  /** Absolute URL of the site's logo (`theme.logo`), or '' when it has none. */
  logoUrl: string
  /** The logo's width and height in the header, in pixels ('' when it has none). */
  logoWidth: string
  logoHeight: string
  /**
   * Absolute URL where people subscribe (`subscribeUrl`), or '' when it is
   * not configured: the "Forwarded this?" line shows only with it.
   */
  subscribeUrl: string
}

/** The footer: why the reader gets this, who sends it, how to leave. */
export interface EmailFooterView {
  /** The postal address, one entry per line ([] when not configured). */
  addressLines: string[]
  social: EmailLinkView[]
  /**
   * The unsubscribe merge tag, printed literally (`| raw`): the sending
   * service replaces it per recipient.
   */
  unsubscribeUrl: string
  /** The site URL where people subscribe (or the site itself). */
  subscribeUrl: string
}

/** Styles the templates need (the same palette the renderer inlines). */
export interface EmailStyleView {
  /** The `<mj-style>` content: dark scheme and small screens. */
  headCss: string
  colors: {
    light: Readonly<Record<string, string>>
    dark: Readonly<Record<string, string>>
  }
  fonts: Readonly<Record<string, string>>
  /** Inline styles of the issue's own elements (`templateStyles`: cards, compact list). */
  inline: Readonly<Record<string, string>>
  bodyWidth: number
  contentPadding: number
  contentWidth: number
}

/** The reader, as the email service fills it in per subscriber. */
export interface EmailSubscriberView {
  /**
   * The subscriber's name as the service's merge tag (`*|FNAME|*`,
   * `{{ .Subscriber.Name }}`; `{{name}}` for `send --list`), for a
   * template that greets the reader.
   */
  name: string
}

/** The whole context of the email templates. */
export interface IssueTemplateContext {
  issue: IssueView
  site: EmailSiteView
  footer: EmailFooterView
  subscriber: EmailSubscriberView
  styles: EmailStyleView
}

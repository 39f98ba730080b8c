/**
 * The email's style table: every inline style and every colour of the
 * email target lives here, and only here (STYLE.md: "inline CSS in exactly
 * one place"). Handlers and passes mark elements with a tag name and an
 * `lp-*` role class; the `inline-styles` pass of `render.ts` asks
 * `styleFor` for the declarations. The head stylesheet (`headCss`: dark
 * scheme and small screens) is generated from the same palette and
 * overrides the inline styles with `!important`, which is the only way a
 * stylesheet beats inline styles.
 *
 * Colours are chosen for contrast in light mode and in clients that invert
 * colours themselves (Gmail's apps, Outlook): dark text on light tints,
 * never information carried by colour alone. Code blocks keep their light
 * background in dark mode: their token colours are inline (one per token,
 * too many bytes to repeat for a second theme), and a light code card on a
 * dark page reads fine.
 */

/** Width of the email body in pixels (MJML's `mj-body` width). */
export const bodyWidth = 600
/** Horizontal padding of the content column, each side. */
export const contentPadding = 24
/** Width available to content (images are capped to it). */
export const contentWidth = bodyWidth - 2 * contentPadding

/** The palette, light and dark; templates receive it too. */
export const colors = {
  light: {
    page: '#f1efe9',
    sheet: '#ffffff',
    text: '#1f2328',
    heading: '#111418',
    muted: '#5b626b',
    link: '#0b57d0',
    border: '#e2dfd8',
    rule: '#d5d9de',
    accent: '#0f6b62',
    codeBackground: '#f6f8fa',
    codeBorder: '#e1e5ea',
    codeText: '#24292e',
    inlineCodeBackground: '#eef0f2',
    mark: '#fff0a0',
    highlightLine: '#fff5b1',
    tableHeader: '#f4f5f7'
  },
  dark: {
    page: '#0e1012',
    sheet: '#17191c',
    text: '#e3e5e8',
    heading: '#f5f6f7',
    muted: '#a3a9b1',
    link: '#8ab4f8',
    border: '#2c3036',
    rule: '#3a3f46',
    accent: '#5cc8bb',
    inlineCodeBackground: '#2a2e34',
    mark: '#6b5a00',
    tableHeader: '#22262b'
  }
} as const

/** Fonts: the system stack (web fonts are stripped by most clients anyway). */
export const fonts = {
  // Unquoted: every name is a run of CSS identifiers, and quotes would be
  // escaped inside the style attribute, costing bytes.
  sans: '-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif',
  mono: 'ui-monospace,SFMono-Regular,Menlo,Consolas,Liberation Mono,monospace',
  math: 'Cambria Math,STIX Two Math,Latin Modern Math,Times New Roman,serif'
} as const

/** Admonition colours as MkDocs Material defines them, by kind (aliases included). */
const calloutAccents: Readonly<Record<string, string>> = {
  note: '#448aff',
  abstract: '#00b0ff',
  info: '#00b8d4',
  tip: '#00bfa5',
  success: '#00c853',
  question: '#64dd17',
  warning: '#ff9100',
  failure: '#ff5252',
  danger: '#ff1744',
  bug: '#f50057',
  example: '#7c4dff',
  quote: '#9e9e9e'
}

/** Material's aliases (`tldr` is `abstract`, `caution` is `warning`, ...). */
const calloutAliases: Readonly<Record<string, string>> = {
  seealso: 'note',
  summary: 'abstract',
  tldr: 'abstract',
  todo: 'info',
  hint: 'tip',
  important: 'tip',
  check: 'success',
  done: 'success',
  help: 'question',
  faq: 'question',
  caution: 'warning',
  attention: 'warning',
  fail: 'failure',
  missing: 'failure',
  error: 'danger',
  cite: 'quote'
}

/** The palette entry a kind uses: itself, its alias, or `note` for unknown kinds (as Material does). */
export function calloutFamily(kind: string): string {
  const lower = kind.toLowerCase()
  if (Object.hasOwn(calloutAccents, lower)) return lower
  return calloutAliases[lower] ?? 'note'
}

/** Mix `color` over `base` at `amount` (0..1), as a hex colour (Outlook ignores rgba). */
export function mix(color: string, base: string, amount: number): string {
  const parse = (hex: string) => [1, 3, 5].map((index) => Number.parseInt(hex.slice(index, index + 2), 16))
  const [r1, g1, b1] = parse(color) as [number, number, number]
  const [r2, g2, b2] = parse(base) as [number, number, number]
  const channel = (a: number, b: number) =>
    Math.round(a * amount + b * (1 - amount))
      .toString(16)
      .padStart(2, '0')
  return `#${channel(r1, r2)}${channel(g1, g2)}${channel(b1, b2)}`
}

function calloutColors(family: string) {
  const accent = calloutAccents[family] ?? calloutAccents['note']!
  return {
    accent,
    lightTitle: mix(accent, colors.light.sheet, 0.1),
    darkTitle: mix(accent, colors.dark.sheet, 0.18)
  }
}

/**
 * Body text. Set once on the content wrapper and inherited by paragraphs and
 * list items (as MJML's own `mj-text` does); repeated only where clients do
 * not inherit: table cells (Outlook) and headings (Outlook's own heading
 * styles would win).
 */
const text = `font-family:${fonts.sans};font-size:16px;line-height:1.6;color:${colors.light.text}`
const block = 'margin:0 0 16px'
const cell = `font-family:${fonts.sans};font-size:14px;line-height:1.5;color:${colors.light.text}`

/** Inline styles by tag name. */
const tagStyles: Readonly<Record<string, string>> = {
  p: block,
  h1: `margin:32px 0 12px;font-family:${fonts.sans};font-size:26px;line-height:1.25;font-weight:700;color:${colors.light.heading}`,
  h2: `margin:32px 0 12px;font-family:${fonts.sans};font-size:21px;line-height:1.3;font-weight:700;color:${colors.light.heading}`,
  h3: `margin:24px 0 8px;font-family:${fonts.sans};font-size:18px;line-height:1.35;font-weight:700;color:${colors.light.heading}`,
  h4: `margin:20px 0 8px;font-family:${fonts.sans};font-size:16px;line-height:1.4;font-weight:700;color:${colors.light.heading}`,
  h5: `margin:16px 0 8px;font-family:${fonts.sans};font-size:15px;line-height:1.4;font-weight:700;color:${colors.light.heading}`,
  h6: `margin:16px 0 8px;font-family:${fonts.sans};font-size:14px;line-height:1.4;font-weight:700;color:${colors.light.muted}`,
  a: `color:${colors.light.link};text-decoration:underline`,
  ul: `${block};padding:0 0 0 24px`,
  ol: `${block};padding:0 0 0 24px`,
  li: 'margin:0 0 6px',
  blockquote: `${block};padding:2px 0 2px 16px;border-left:4px solid ${colors.light.rule};color:${colors.light.muted}`,
  hr: `margin:28px 0;border:0;border-top:1px solid ${colors.light.border};height:0`,
  pre: `margin:0 0 16px;padding:12px 14px;background-color:${colors.light.codeBackground};border:1px solid ${colors.light.codeBorder};border-radius:6px;font-family:${fonts.mono};font-size:13px;line-height:1.55;color:${colors.light.codeText};white-space:pre-wrap;word-break:break-word;overflow-wrap:break-word;text-align:left`,
  // `word-break:normal` undoes MJML's `break-word` on its text blocks: cells break between words only.
  table: 'margin:0;width:100%;border-collapse:collapse;word-break:normal',
  th: `padding:6px 10px;border:1px solid ${colors.light.rule};background-color:${colors.light.tableHeader};font-weight:700;text-align:left;vertical-align:bottom;${cell}`,
  td: `padding:6px 10px;border:1px solid ${colors.light.rule};vertical-align:top;${cell}`,
  mark: `background-color:${colors.light.mark};color:${colors.light.text};padding:0 2px`,
  kbd: `font-family:${fonts.mono};font-size:13px;padding:1px 5px;border:1px solid #c6cbd1;border-bottom-width:2px;border-radius:4px;background-color:${colors.light.codeBackground};color:${colors.light.text};white-space:nowrap`,
  abbr: 'text-decoration:underline dotted',
  sup: 'font-size:75%;line-height:0;vertical-align:super',
  sub: 'font-size:75%;line-height:0;vertical-align:sub',
  dl: block,
  dt: 'margin:0;font-weight:700',
  dd: 'margin:0 0 12px 24px',
  figure: `${block};padding:0`,
  figcaption: `margin:6px 0 0;font-family:${fonts.sans};font-size:14px;line-height:1.45;color:${colors.light.muted};text-align:center`,
  caption: `padding:0 0 6px;font-family:${fonts.sans};font-size:14px;color:${colors.light.muted};text-align:left`
}

/** Inline styles by role class, applied after (and over) the tag's. */
const roleStyles: Readonly<Record<string, string>> = {
  'lp-content': `${text}`,
  'lp-img-block': 'display:block;margin:0 auto',
  'lp-code-inline': `font-family:${fonts.mono};padding:1px 4px;border-radius:4px;background-color:${colors.light.inlineCodeBackground};color:${colors.light.text};font-size:14px`,
  'lp-code-title': `margin:0;padding:6px 14px;background-color:#eaeef2;border:1px solid ${colors.light.codeBorder};border-bottom:0;border-radius:6px 6px 0 0;font-family:${fonts.mono};font-size:12px;line-height:1.5;color:${colors.light.muted}`,
  'lp-code-titled': 'border-radius:0 0 6px 6px',
  'lp-hl': `background-color:${colors.light.highlightLine}`,
  'lp-callout': `${block};width:100%;border-collapse:separate;border-spacing:0;border-radius:4px`,
  'lp-callout-title': `padding:8px 14px;border:0;font-family:${fonts.sans};font-size:15px;line-height:1.4;font-weight:700;color:${colors.light.heading}`,
  'lp-callout-body': `padding:12px 14px 0;border:0;${text}`,
  'lp-tabs': `${block}`,
  'lp-tab-title': `margin:0 0 10px;padding:0 0 4px;border-bottom:2px solid ${colors.light.accent};font-family:${fonts.sans};font-size:14px;line-height:1.4;font-weight:700;color:${colors.light.accent}`,
  'lp-tab': 'margin:0 0 8px',
  'lp-math': `font-family:${fonts.math};font-size:17px;white-space:nowrap`,
  'lp-math-block': `${block};padding:4px 0;font-family:${fonts.math};font-size:19px;line-height:1.5;text-align:center;color:${colors.light.text}`,
  'lp-math-tex': `font-family:${fonts.mono};font-size:14px;padding:1px 4px;border-radius:4px;background-color:${colors.light.inlineCodeBackground}`,
  'lp-footnotes': `margin:32px 0 0;padding:12px 0 0;border-top:1px solid ${colors.light.border}`,
  'lp-footnotes-title': `margin:0 0 8px;font-family:${fonts.sans};font-size:13px;line-height:1.4;font-weight:700;letter-spacing:0.04em;text-transform:uppercase;color:${colors.light.muted}`,
  'lp-footnote': `margin:0 0 6px;font-family:${fonts.sans};font-size:14px;line-height:1.5;color:${colors.light.muted}`,
  'lp-footnote-ref': `font-size:75%;line-height:0;vertical-align:super;color:${colors.light.muted}`,
  'lp-task': `font-family:${fonts.sans}`,
  'lp-task-item': 'list-style-type:none',
  'lp-diagram-link': `${block};font-style:italic;color:${colors.light.muted}`,
  // The box around a table (see the email handlers' `table`): a table
  // wider than the screen scrolls inside it, the page does not.
  'lp-table-box': `${block};width:100%;table-layout:fixed;border-collapse:collapse`,
  'lp-table-box-cell': 'padding:0',
  'lp-table-scroll': 'overflow-x:auto;-webkit-overflow-scrolling:touch',
  'lp-cell-number': 'white-space:nowrap',
  'lp-nowrap': 'white-space:nowrap'
}

/** Roles that are layout, not content: the tag's own style (a data table cell's borders) does not apply. */
const layoutRoles = new Set(['lp-callout', 'lp-callout-title', 'lp-callout-body', 'lp-table-box', 'lp-table-box-cell'])

/**
 * An image at most `width` pixels wide and never wider than its column:
 * `width:100%` keeps its minimum width out of table layout (Gmail's and
 * MJML's columns are tables), `max-width` stops it growing past its size.
 */
function imageStyle(width: string | undefined): string {
  const max = width && /^\d+$/.test(width) ? `max-width:${width}px` : 'max-width:100%'
  return `border:0;width:100%;${max};height:auto;vertical-align:middle`
}

/**
 * Declarations for an element: its tag's, then each role's in class order,
 * then the kind colours. Images also need their `width` attribute.
 */
export function styleFor(tagName: string, classes: readonly string[], width?: string): string {
  const parts: string[] = []
  if (tagName === 'img') parts.push(imageStyle(width))
  const tag = tagStyles[tagName]
  if (tag && !classes.some((name) => layoutRoles.has(name))) parts.push(tag)
  for (const name of classes) {
    const role = roleStyles[name]
    if (role) parts.push(role)
    if (name.startsWith('lp-kind-')) {
      const {accent, lightTitle} = calloutColors(calloutFamily(name.slice('lp-kind-'.length)))
      if (classes.includes('lp-callout')) {
        parts.push(`border:1px solid ${accent};border-left:4px solid ${accent}`)
      } else if (classes.includes('lp-callout-title')) {
        parts.push(`background-color:${lightTitle}`)
      }
    }
  }
  return parts.join(';')
}

/** The height of the site's logo in the email's header, in pixels (a wide logo stops at `logoMaxWidth`). */
export const logoHeight = 48
export const logoMaxWidth = 240
/** The width of a card's thumbnail (its cover), in pixels. */
export const thumbnailWidth = 120

/**
 * Inline styles of the issue's own elements, for the templates to print
 * (`styles.inline.cardTitle`, ...): the cards and the compact list of
 * `partials/cards.html.liquid`. They live here with the palette, and are
 * short on purpose: a month of forty posts repeats them forty times, and
 * Gmail clips a message past 102 KB. Font size, line height and colour
 * are inherited from the `mj-text` around the cards; headings repeat the
 * font because Outlook gives them its own.
 */
export const templateStyles = {
  /** The first card's title. */
  cardTitle: `margin:12px 0 0;font-family:${fonts.sans};font-size:21px;line-height:1.3;font-weight:700`,
  /** Every later card's title: the rule above it separates the cards. */
  cardTitleRuled: `margin:24px 0 0;padding:20px 0 0;border-top:1px solid ${colors.light.border};font-family:${fonts.sans};font-size:21px;line-height:1.3;font-weight:700`,
  /** The link inside a card's title (and a compact item's). */
  titleLink: `color:${colors.light.heading};text-decoration:none`,
  /** Date and reading time under a card's title. */
  cardMeta: `margin:6px 0 12px;font-size:14px;line-height:1.5;color:${colors.light.muted}`,
  /** A card with a thumbnail: title and date beside its cover, the first card, then the rest (ruled above). */
  cardHead: 'margin:12px 0 0;border-collapse:collapse',
  cardHeadRuled: `margin:24px 0 0;border-collapse:collapse;border-top:1px solid ${colors.light.border}`,
  /** The title beside a thumbnail: the row above holds the margins and the rule. */
  cardTitleBeside: `margin:0;font-family:${fonts.sans};font-size:21px;line-height:1.3;font-weight:700`,
  /** A card's thumbnail (its cover): its size comes from its width and height attributes. */
  thumbnail: 'display:block;border:0;border-radius:4px;height:auto;max-width:100%',
  /** "In this issue": its list and each entry's link. */
  contentsList: 'margin:0;padding:0 0 0 20px',
  contentsItem: 'margin:0 0 6px;line-height:1.4',
  contentsLink: `font-weight:600;color:${colors.light.heading};text-decoration:none`,
  /** The "Read on the web" line closing a card. */
  cardMore: 'margin:0;font-size:15px;font-weight:600',
  cardMoreLink: `color:${colors.light.link};text-decoration:none`,
  /** One post of the compact list (title, date, link): the first, then the rest. */
  item: 'margin:0;padding:12px 0 0;line-height:1.4',
  itemRuled: `margin:12px 0 0;padding:12px 0 0;border-top:1px solid ${colors.light.border};line-height:1.4`,
  itemTitle: `font-size:17px;font-weight:700;color:${colors.light.heading};text-decoration:none`,
  itemMeta: `font-size:14px;color:${colors.light.muted}`
} as const

/**
 * The head stylesheet: dark colour scheme (Apple Mail, iOS, Outlook for Mac,
 * Thunderbird honour `prefers-color-scheme`) and small screens. Selectors
 * use the `lp-*` classes the renderer and the templates put on elements.
 */
export function headCss(): string {
  const dark = colors.dark
  const kinds = Object.keys(calloutAccents)
    .map((family) => `.lp-kind-${family}.lp-callout-title{background-color:${calloutColors(family).darkTitle}!important}`)
    .join('\n    ')
  return `
  :root{color-scheme:light dark;supported-color-schemes:light dark}
  @media (prefers-color-scheme: dark){
    body,.lp-page,.lp-page>div{background-color:${dark.page}!important}
    .lp-sheet,.lp-sheet>table,.lp-sheet>table>tbody>tr>td{background-color:${dark.sheet}!important}
    .lp-content,.lp-content p,.lp-content li,.lp-content dd,.lp-content dt,.lp-content td,.lp-content blockquote,.lp-dark-text,.lp-dark-text div,.lp-callout-body,.lp-math-block{color:${dark.text}!important}
    .lp-content h1,.lp-content h2,.lp-content h3,.lp-content h4,.lp-content h5,.lp-content .lp-callout-title,.lp-dark-heading,.lp-dark-heading div,.lp-dark-heading a{color:${dark.heading}!important}
    .lp-content a,.lp-dark-link a{color:${dark.link}!important}
    .lp-dark-muted,.lp-dark-muted div,.lp-dark-muted a,.lp-content h6,.lp-content .lp-footnote,.lp-content .lp-footnote-ref,.lp-content .lp-footnotes-title,.lp-content blockquote,.lp-content figcaption,.lp-content .lp-diagram-link{color:${dark.muted}!important}
    .lp-content th{background-color:${dark.tableHeader}!important;color:${dark.heading}!important}
    .lp-content th,.lp-content td{border-color:${dark.rule}!important}
    .lp-content hr,.lp-footnotes{border-color:${dark.border}!important}
    .lp-code-inline,.lp-math-tex,.lp-content kbd{background-color:${dark.inlineCodeBackground}!important;color:${dark.text}!important}
    .lp-content mark{background-color:${dark.mark}!important;color:${dark.heading}!important}
    .lp-content .lp-tab-title{color:${dark.accent}!important;border-color:${dark.accent}!important}
    .lp-dark-accent div{color:${dark.accent}!important}
    .lp-content .lp-code-title{color:${colors.light.muted}!important}
    .lp-divider p{border-top-color:${dark.border}!important}
    .lp-content .lp-card-title a,.lp-content .lp-item a{color:${dark.heading}!important}
    .lp-content .lp-card-meta{color:${dark.muted}!important}
    .lp-card-title,.lp-item,.lp-card-head{border-color:${dark.border}!important}
    .lp-contents a{color:${dark.heading}!important}
    ${kinds}
  }
  @media only screen and (max-width:480px){
    .lp-content h1{font-size:23px!important}
    .lp-content h2{font-size:19px!important}
    .lp-content pre{font-size:12px!important;padding:10px!important}
    .lp-table th,.lp-table td{padding:5px 6px!important}
    .lp-table .lp-code-inline{font-size:12px!important;padding:1px 2px!important}
    .lp-math-block{font-size:17px!important}
  }`
}

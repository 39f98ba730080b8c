/**
 * Fitting an issue under Gmail's clipping size. An issue.html that would
 * reach 90 KB (`htmlSizeWarning`) is compacted (`compactionSteps`): extra
 * full posts become cards, then cards lose their excerpts, then the lead is
 * cut at its excerpt, then cards are cut, stopping at the first form under
 * 90 KB. Each step is an `email-size-compacted` warning, and only a most
 * compact form over 102 KB (`htmlSizeLimit`) is an error.
 */
import type {VFile} from 'vfile'
import type {Post} from '../source/post.js'
import type {IssueMessage} from './issue-report.js'
import type {IssueParts} from './parts.js'

/** Issue HTML size that draws a warning (bytes): Gmail clips at about 102 KB. */
export const htmlSizeWarning = 90 * 1024
/** Issue HTML size that is an error (bytes): beyond it Gmail clips the message. */
export const htmlSizeLimit = 102 * 1024

/**
 * One step of fitting an issue under its size budget, in the order they
 * are tried: `email: full` posts other than the lead become cards; then
 * the cards lose their excerpts (a compact list: title, date, link); then
 * the lead is cut at its excerpt, with a link to the rest; then only as
 * many cards are listed as fit, with a link to the rest on the web.
 */
export type CompactionStep = 'full-posts-as-cards' | 'cards-without-excerpts' | 'lead-excerpt' | 'cards-cut'

/** The steps, in the order `buildIssue` tries them. */
export const compactionSteps: readonly CompactionStep[] = ['full-posts-as-cards', 'cards-without-excerpts', 'lead-excerpt', 'cards-cut']

/** The shape an issue is rendered in: its plan, or a compacted form of it. */
export interface IssueForm {
  leads: Post[]
  cards: Post[]
  /** Cards show title, date and link only. */
  compactCards: boolean
  /** Leads are cut at their excerpt. */
  leadExcerpt: boolean
  /** Only the first this many cards are listed, then a link to the rest on the web (all when undefined). */
  cardsShown?: number
}

/** A form of the issue, rendered. */
export interface RenderedForm {
  form: IssueForm
  mjml: string
  html: string
  /** UTF-8 size of `html`. */
  bytes: number
}

/** A compaction step taken: the size before it, and the forms before and after. */
export interface TakenStep {
  step: CompactionStep
  bytes: number
  before: IssueForm
  after: IssueForm
}

/**
 * The largest count in 0..`count` whose render stays under `target` bytes,
 * given the renders of 0 (under it) and of `count` (not under it), for
 * renders that grow with the count (cards shown: each adds bytes). The
 * search guesses from the bytes per item so far (a few renders, where
 * halving takes one per doubling of the count) and halves every other step,
 * so that uneven items cannot make it slow.
 */
export async function largestUnder<T extends {bytes: number}>(
  count: number,
  target: number,
  none: T,
  all: T,
  at: (count: number) => Promise<T>
): Promise<{count: number; value: T}> {
  let low = {count: 0, value: none}
  let high = {count, value: all}
  for (let step = 0; high.count - low.count > 1; step++) {
    const span = high.count - low.count
    const guess =
      step % 2 === 0
        ? low.count + Math.floor(((target - low.value.bytes) / (high.value.bytes - low.value.bytes)) * span)
        : low.count + Math.ceil(span / 2)
    const tried = Math.min(high.count - 1, Math.max(low.count + 1, guess))
    const value = await at(tried)
    if (value.bytes < target) low = {count: tried, value}
    else high = {count: tried, value}
  }
  return low
}

/**
 * Render the plan as it is, then take one compaction step after another
 * while the email would draw the size warning; a step that changes nothing
 * is skipped. Returns the form the email ends in and the steps taken.
 */
export async function fitIssue(
  planned: IssueForm,
  render: (form: IssueForm) => Promise<RenderedForm>,
  order: (a: Post, b: Post) => number,
  excerptShorter: (post: Post) => boolean
): Promise<{rendered: RenderedForm; taken: TakenStep[]}> {
  let current = await render(planned)
  const taken: TakenStep[] = []
  for (const step of compactionSteps) {
    if (current.bytes < htmlSizeWarning) break
    const next = compactForm(current.form, step, order, excerptShorter)
    if (!next) continue
    const bytes = current.bytes
    const before = current.form
    const previous = current
    current = await render(next)
    if (step === 'cards-cut') {
      // Keep as many cards as fit under the budget; when even none do, as many as keep it unclipped.
      const target = current.bytes < htmlSizeWarning ? htmlSizeWarning : current.bytes < htmlSizeLimit ? htmlSizeLimit : undefined
      if (target !== undefined) {
        if (previous.bytes < target) {
          // Every card fits after all: nothing to cut.
          current = previous
          continue
        }
        const form = next
        current = (await largestUnder(form.cards.length, target, current, previous, (shown) => render({...form, cardsShown: shown}))).value
      }
    }
    taken.push({step, bytes, before, after: current.form})
  }
  return {rendered: current, taken}
}

/**
 * The form after `step`, or `undefined` when the step changes nothing
 * (a single lead, no cards, a lead whose excerpt is not shorter).
 */
function compactForm(
  form: IssueForm,
  step: CompactionStep,
  order: (a: Post, b: Post) => number,
  excerptShorter: (post: Post) => boolean
): IssueForm | undefined {
  switch (step) {
    case 'full-posts-as-cards':
      if (form.leads.length < 2) return undefined
      return {...form, leads: form.leads.slice(0, 1), cards: [...form.cards, ...form.leads.slice(1)].sort(order)}
    case 'cards-without-excerpts':
      return form.cards.length === 0 || form.compactCards ? undefined : {...form, compactCards: true}
    case 'lead-excerpt':
      return form.leadExcerpt || !form.leads.some(excerptShorter) ? undefined : {...form, leadExcerpt: true}
    case 'cards-cut':
      // How many cards still fit is searched for by the caller; this is the most it can cut.
      return form.cards.length === 0 || form.cardsShown !== undefined ? undefined : {...form, cardsShown: 0}
  }
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

/**
 * Each compaction step taken, as an `email-size-compacted` warning on the
 * posts it changed, or on `issueFile` (the note, else the lead) for a step
 * on the issue as a whole.
 */
export function compactionMessages(
  taken: readonly TakenStep[],
  month: string,
  issueFile: VFile,
  excerptShorter: (post: Post) => boolean
): IssueMessage[] {
  const messages: IssueMessage[] = []
  const compacted = (file: VFile, line: number, message: string) => {
    messages.push({file, rule: 'email-size-compacted', message, line, column: 1})
  }
  for (const {step, bytes, before, after} of taken) {
    const why = `issue.html of ${month} would be ${kb(bytes)}, over the ${kb(htmlSizeWarning)} budget that keeps it under Gmail's ${kb(htmlSizeLimit)} clipping size`
    if (step === 'full-posts-as-cards') {
      for (const post of before.leads.filter((lead) => !after.leads.includes(lead))) {
        compacted(post.file, emailKeyLine(post), `\`email: full\` post shown as a card in issue ${month}: ${why}`)
      }
    } else if (step === 'cards-without-excerpts') {
      const count = after.cards.length
      compacted(issueFile, 1, `Issue ${month} lists its ${count} card${count === 1 ? '' : 's'} by title, date and link, without excerpts: ${why}`)
    } else if (step === 'cards-cut') {
      const shown = after.cardsShown ?? after.cards.length
      const rest = after.cards.length - shown
      compacted(
        issueFile,
        1,
        `Issue ${month} lists ${shown} of its ${after.cards.length} cards, then links to the ${rest} other${rest === 1 ? '' : 's'} on the web: ${why}`
      )
    } else {
      for (const post of after.leads.filter(excerptShorter)) {
        const end = excerptEnd(post)
        compacted(post.file, end.line, `Lead post cut at ${end.what} in issue ${month}, with a link to continue on the web: ${why}`)
      }
    }
  }
  return messages
}

/**
 * The size warning of an issue whose email, as compact as it gets, still
 * reaches `htmlSizeWarning` (an error past `htmlSizeLimit`), on the part
 * that takes the most room, with what to do about it. None for an email
 * under the warning size.
 */
export function sizeMessages(
  month: string,
  rendered: RenderedForm,
  taken: readonly TakenStep[],
  parts: IssueParts,
  noteFile: VFile | undefined,
  issueFile: VFile
): IssueMessage[] {
  const {form, bytes} = rendered
  if (bytes < htmlSizeWarning) return []
  // What to do next depends on what takes the room in the form that is sent.
  const {intro, outro, partOf, excerptShorter} = parts
  const sizes: Array<{file: VFile; bytes: number; hint: string}> = [
    ...(intro ? [{file: noteFile!, bytes: Buffer.byteLength(intro.html), hint: 'shorten the note'}] : []),
    ...(outro ? [{file: noteFile!, bytes: Buffer.byteLength(outro.html), hint: 'shorten the note'}] : []),
    ...form.leads.map((post) => {
      const truncated = form.leadExcerpt && excerptShorter(post)
      return {
        file: post.file,
        bytes: Buffer.byteLength(partOf(post, truncated ? 'excerpt' : 'full').html),
        hint: truncated ? 'move its `<!-- more -->` up' : 'show it as a card (`email: card`)'
      }
    }),
    ...(form.compactCards
      ? []
      : form.cards.map((post) => ({file: post.file, bytes: Buffer.byteLength(partOf(post, 'excerpt').bareHtml), hint: 'shorten its excerpt'})))
  ]
  const largest = [...sizes].sort((a, b) => b.bytes - a.bytes)[0]
  const over = bytes > htmlSizeLimit
  const message =
    `issue.html of ${month} is ${kb(bytes)}` +
    (taken.length > 0 ? ` even compacted (${taken.map((entry) => entry.step).join(', ')})` : '') +
    ': ' +
    (over ? `over Gmail's ${kb(htmlSizeLimit)}, so Gmail clips it` : `close to Gmail's ${kb(htmlSizeLimit)} clipping limit`) +
    (largest ? `; the largest part is ${largest.file.path} (${kb(largest.bytes)}): ${largest.hint}` : '') +
    (form.compactCards && form.cards.length > 0 ? `; the ${form.cards.length} posts listed by title could move to another month` : '')
  return [{file: largest?.file ?? issueFile, rule: over ? 'email-size-limit' : 'email-size', message, line: 1, column: 1, fatal: over}]
}

/** The 1-based line of a post's `email:` frontmatter key (else 1), where a demotion is reported. */
function emailKeyLine(post: Post): number {
  const yaml = post.tree.children.find((node) => node.type === 'yaml')
  if (!yaml?.position) return 1
  const index = yaml.value.split(/\r?\n/).findIndex((line) => /^email\s*:/.test(line))
  return index === -1 ? yaml.position.start.line : yaml.position.start.line + 1 + index
}

/** Where a post's excerpt ends, as the lead cut reports it: the marker's line, or how the excerpt was chosen. */
function excerptEnd(post: Post): {line: number; what: string} {
  if (post.excerptLength !== undefined) {
    return {line: post.tree.children[post.excerptLength]?.position?.start.line ?? 1, what: 'its `<!-- more -->` excerpt'}
  }
  const what = post.description
    ? 'its description (it has no `<!-- more -->`)'
    : 'its first paragraph (it has no `<!-- more -->`)'
  return {line: 1, what}
}

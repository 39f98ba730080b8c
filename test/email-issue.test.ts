import fs from 'node:fs'
import path from 'node:path'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {simpleParser} from 'mailparser'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {
  buildIssue,
  buildIssues,
  collectIssues,
  createIssueContext,
  htmlSizeLimit,
  htmlSizeWarning,
  IssueError,
  largestUnder,
  type IssueBuild
} from '../src/email/issue.js'
import fc from 'fast-check'
import {TemplateError} from '../src/web/templates.js'
import {paragraph, writeBigMonth, writeLongRead} from './fixtures/email/big-month.js'
import {fixtureConfig, fixtureRoot, loadFixtureSite} from './fixtures/email/site.js'
import {contentDated} from './helpers/files.js'

const dated = contentDated('email')

/** A copy of the fixture site to change freely. */
function copyFixture(): string {
  const dir = dated.folder()
  fs.cpSync(fixtureRoot, dir, {recursive: true})
  return dir
}

function file(build: IssueBuild, name: string): string {
  const value = build.files.get(name)
  if (value === undefined) throw new Error(`no ${name}`)
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8')
}

describe('collectIssues', () => {
  it('should plan one numbered issue per month with email posts, oldest posts first', async () => {
    const site = await loadFixtureSite()
    const context = await createIssueContext(site)
    const plans = collectIssues(site, {notes: context.notes, sourceDateEpoch: undefined})
    expect(plans.map((plan) => [plan.month, plan.number])).toEqual([
      ['2026-05', 1],
      ['2026-06', 2]
    ])
    const [may, june] = plans
    // Pages, drafts and `email: false` posts stay out.
    expect(may!.posts.map((post) => post.slug)).toEqual(['canary-checklist', 'drift-notes'])
    expect(may!.leads.map((post) => post.slug)).toEqual(['canary-checklist'])
    expect(may!.cards.map((post) => post.slug)).toEqual(['drift-notes'])
    // `email: card` is never the lead.
    expect(june!.leads).toEqual([])
    expect(june!.cards.map((post) => post.slug)).toEqual(['shadow-deploys'])
  })

  it('should take subject and preheader from the note, else from the lead', async () => {
    const site = await loadFixtureSite()
    const context = await createIssueContext(site)
    const [may, june] = collectIssues(site, {notes: context.notes})
    expect(may!.subject).toBe('Field Notes #1: canaries and drift')
    expect(may!.preheader).toBe('Two posts about the first hour after a release.')
    // No lead in June (`email: card`): the first card's title.
    expect(june!.subject).toBe('Shadow deployments on a budget')
    expect(june!.preheader).toBe('Mirroring a slice of traffic to a candidate model without doubling the bill.')
  })

  it('should date an issue from its newest post at 09:00 UTC, or from SOURCE_DATE_EPOCH', async () => {
    const site = await loadFixtureSite()
    expect(collectIssues(site, {sourceDateEpoch: undefined})[0]!.date.toISOString()).toBe('2026-05-20T09:00:00.000Z')
    expect(collectIssues(site, {sourceDateEpoch: 1_800_000_000})[0]!.date.toISOString()).toBe('2027-01-15T08:00:00.000Z')
  })

  it('should include drafts only when asked, and honour newest-first order', async () => {
    const withDrafts = await loadFixtureSite({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, order: 'newest'}}, {drafts: true})
    const [may] = collectIssues(withDrafts)
    expect(may!.posts.map((post) => post.slug)).toEqual(['unfinished', 'drift-notes', 'canary-checklist'])
    expect(may!.leads[0]!.slug).toBe('unfinished')
  })
})

describe('editorial notes', () => {
  it('should let a note choose the lead, or none, and warn about what it cannot use', async () => {
    const root = copyFixture()
    fs.writeFileSync(path.join(root, 'issues/2026-05.md'), '---\nlead: drift-notes\ncolour: teal\n---\n\nIntro only.\n')
    fs.writeFileSync(path.join(root, 'issues/2026-06.md'), '---\nlead: none\n---\n')
    fs.writeFileSync(path.join(root, 'issues/2026-08.md'), 'Nothing was published in August.\n')
    fs.writeFileSync(path.join(root, 'issues/summer.md'), 'Not a month.\n')
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const context = await createIssueContext(site)
    const [may, june] = collectIssues(site, {notes: context.notes})
    expect(may!.leads.map((post) => post.slug)).toEqual(['drift-notes'])
    expect(may!.cards.map((post) => post.slug)).toEqual(['canary-checklist'])
    expect(may!.note?.intro).toHaveLength(1)
    expect(may!.note?.outro).toEqual([])
    expect(june!.leads).toEqual([])
    const messages = context.files.flatMap((file) => file.messages.map((message) => `${file.path}:${message.line}:${message.ruleId}`))
    expect(messages).toEqual(
      expect.arrayContaining(['issues/2026-05.md:3:issue-note-key', 'issues/2026-08.md:1:issue-note-unused', 'issues/summer.md:1:issue-note-name'])
    )
    // Planning again adds nothing twice.
    collectIssues(site, {notes: context.notes})
    expect(context.files.flatMap((file) => file.messages)).toHaveLength(messages.length)
  })
})

describe('buildIssue', () => {
  it('should write the five files of an issue and summarise it', async () => {
    const site = await loadFixtureSite()
    const build = await buildIssue(site, '2026-05')
    expect([...build.files.keys()]).toEqual(['issue.mjml', 'issue.html', 'issue.txt', 'issue.eml', 'issue.json'])
    const summary = JSON.parse(file(build, 'issue.json'))
    expect(summary).toEqual(build.summary)
    expect(summary).toMatchObject({
      month: '2026-05',
      number: 1,
      subject: 'Field Notes #1: canaries and drift',
      preheader: 'Two posts about the first hour after a release.',
      posts: [
        {slug: 'canary-checklist', title: 'A canary checklist for model releases', url: 'https://notes.example/posts/canary-checklist/'},
        {slug: 'drift-notes', title: 'Notes on drift alerts that people read', url: 'https://notes.example/posts/drift-notes/'}
      ]
    })
    expect(summary.bytes.html).toBe(Buffer.byteLength(file(build, 'issue.html')))
    expect(summary.bytes.text).toBe(Buffer.byteLength(file(build, 'issue.txt')))
    // The iframe in the lead post is reported at its line, in issue.json and on the post.
    expect(summary.warnings).toContainEqual(
      expect.objectContaining({rule: 'email-html-removed', file: 'posts/2026/05/canary-checklist.md', line: 56})
    )
  })

  it('should keep the whole compiled email inside the email contract', async () => {
    const site = await loadFixtureSite()
    const build = await buildIssue(site, '2026-05')
    const html = file(build, 'issue.html')
    const tree = fromHtml(html)
    const body = (() => {
      let found: Element | undefined
      visit(tree, 'element', (node) => {
        if (node.tagName === 'body') found = node
      })
      return found!
    })()
    visit(body, 'element', (node) => {
      expect(['details', 'summary', 'script', 'svg', 'math', 'iframe', 'form', 'input']).not.toContain(node.tagName)
      const style = node.properties['style']
      if (typeof style === 'string') expect(style).not.toMatch(/display\s*:\s*(inline-)?(flex|grid)/i)
      const href = node.properties['href']
      if (href !== undefined && href !== '{{unsubscribe_url}}') expect(String(href)).toMatch(/^(https?:\/\/|mailto:)/)
      if (node.tagName === 'img') {
        expect(String(node.properties['src'])).toMatch(/^https?:\/\//)
        expect(String(node.properties['width'] ?? '')).toMatch(/^\d+$/)
        expect(typeof node.properties['alt']).toBe('string')
      }
    })
    expect(html).toContain('href="{{unsubscribe_url}}"')
    expect(html).toContain('https://notes.example/newsletter/2026-05/')
    expect(html).toContain('<meta name="color-scheme" content="light dark">')
    expect(html).toContain('prefers-color-scheme: dark')
    expect(html).toContain('Two posts about the first hour after a release.')
    expect(html).toContain('1 Example Lane<br>0000 Sampletown')
    expect(html).toContain('href="https://notes.example/feed.xml"')
    expect(html).toContain('Hello! This month is about the <strong>first hour</strong>')
    expect(html).toContain('Reply to this email if your team does it differently.')
    expect(html).toContain('Read on the web')
    // The cover image was measured: 1200 × 600 scaled into the 552 px column, its email copy twice that wide at most.
    expect(html).toMatch(/<img[^>]+src="https:\/\/notes\.example\/assets\/pipeline-png-1104\.jpg"[^>]+width="552"/)
    expect(html).not.toMatch(/fonts\.googleapis/)
  })

  it('should write the plain-text part with titles, numbered links and the footer', async () => {
    const site = await loadFixtureSite()
    const build = await buildIssue(site, '2026-05')
    const text = file(build, 'issue.txt')
    expect(text).toMatch(/^Field Notes\nIssue #1 · May 2026\nView in your browser: https:\/\/notes\.example\/newsletter\/2026-05\/\n/)
    expect(text).toContain('A canary checklist for model releases')
    expect(text).toContain('Notes on drift alerts that people read')
    expect(text).toMatch(/registry docs \[\d+\]/)
    expect(text).toMatch(/Links:\n\[1\] https:\/\/notes\.example\/posts\/canary-checklist\/#after-the-switch/)
    expect(text).toContain('[Warning] Freeze the feature views')
    expect(text).toContain('[Image: Diagram of the canary pipeline]')
    expect(text).toContain('Read on the web: https://notes.example/posts/drift-notes/')
    expect(text).toContain('\n-- \n')
    expect(text).toContain('Unsubscribe: {{unsubscribe_url}}')
    for (const line of text.split('\n')) {
      if ([...line].length <= 72) continue
      // Only code (indented) and lines holding an unbreakable URL may be longer.
      expect(line.startsWith('    ') || /https?:\/\/\S{20,}/.test(line), line).toBe(true)
    }
  })

  it('should compose an .eml a mail parser reads with both parts and every header', async () => {
    const site = await loadFixtureSite()
    const build = await buildIssue(site, '2026-05')
    const eml = build.files.get('issue.eml')!
    const raw = Buffer.from(eml)
    const mail = await simpleParser(raw)
    expect(mail.subject).toBe('Field Notes #1: canaries and drift')
    expect(mail.from?.value[0]).toEqual({name: 'Field Notes', address: 'letters@notes.example'})
    expect(mail.date?.toISOString()).toBe('2026-05-20T09:00:00.000Z')
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@notes\.example>$/)
    expect(mail.text?.trim()).toBe(file(build, 'issue.txt').trim())
    expect(mail.html).toBe(file(build, 'issue.html'))
    const head = raw.toString('utf8').split('\r\n\r\n')[0]!
    expect(head).toMatch(/^MIME-Version: 1\.0$/m)
    expect(head).toMatch(/^Content-Type: multipart\/alternative;/m)
    expect(head).toMatch(/^List-Unsubscribe: <\{\{unsubscribe_url\}\}>$/m)
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
    expect(raw.toString('utf8')).toMatch(/Content-Type: text\/plain[\s\S]*Content-Type: text\/html/)
  })

  it('should add a mailto unsubscribe target when one is configured', async () => {
    const site = await loadFixtureSite()
    const context = await createIssueContext(site, {unsubscribeMailto: 'leave@notes.example'})
    const build = await buildIssue(site, '2026-05', context)
    const head = Buffer.from(build.files.get('issue.eml')!).toString('utf8').split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ')
    expect(head).toMatch(/^List-Unsubscribe: <\{\{unsubscribe_url\}\}>, <mailto:leave@notes\.example>$/m)
  })

  it('should produce the same bytes on every run', async () => {
    const first = await buildIssues(await loadFixtureSite())
    const second = await buildIssues(await loadFixtureSite())
    expect(first.length).toBe(2)
    for (const [index, build] of first.entries()) {
      const other = second[index]!
      for (const [name, content] of build.files) {
        expect(Buffer.from(other.files.get(name)!).equals(Buffer.from(content)), name).toBe(true)
      }
      expect(other.webHtml).toBe(build.webHtml)
    }
  })

  it('should give the web archive page the same content with plain links', async () => {
    const site = await loadFixtureSite({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, utm: {source: 'letter', medium: 'email'}}})
    const build = await buildIssue(site, '2026-05')
    expect(build.webHtml).toContain('A canary checklist for model releases')
    expect(build.webHtml).toContain('Hello! This month is about the <strong>first hour</strong>')
    expect(build.webHtml).not.toContain('utm_')
    expect(file(build, 'issue.html')).toContain('utm_source=letter&#x26;utm_medium=email&#x26;utm_campaign=2026-05')
    expect(file(build, 'issue.txt')).toContain('?utm_source=letter&utm_medium=email&utm_campaign=2026-05')
  })

  it('should refuse a month without an issue', async () => {
    const site = await loadFixtureSite()
    await expect(buildIssue(site, '2026-07')).rejects.toThrow(IssueError)
    await expect(buildIssue(site, '2026-07')).rejects.toThrow(/2026-05, 2026-06/)
  })
})

describe('email templates', () => {
  it('should let ROOT/templates/email override a built-in file of the same name', async () => {
    const root = copyFixture()
    fs.mkdirSync(path.join(root, 'templates/email/partials'), {recursive: true})
    fs.writeFileSync(
      path.join(root, 'templates/email/partials/footer.mjml.liquid'),
      '<mj-section><mj-column><mj-text>Our own footer for {{ site.name }}. <a href="{{ footer.unsubscribeUrl | raw }}">Leave</a></mj-text></mj-column></mj-section>\n'
    )
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const build = await buildIssue(site, '2026-05')
    expect(file(build, 'issue.html')).toContain('Our own footer for Field Notes.')
    expect(file(build, 'issue.html')).not.toContain('You are receiving')
  })

  it('should name the template file, line and month when Liquid fails', async () => {
    const root = copyFixture()
    fs.mkdirSync(path.join(root, 'templates/email/partials'), {recursive: true})
    const partial = path.join(root, 'templates/email/partials/cards.html.liquid')
    fs.writeFileSync(partial, '<div>\n{%- for card in issue.cards %}\n<h2>{{ card.titel }}</h2>\n{%- endfor %}\n</div>\n')
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const error = await buildIssue(site, '2026-05').then(
      () => undefined,
      (caught: unknown) => caught
    )
    expect(error).toBeInstanceOf(TemplateError)
    const templateError = error as TemplateError
    expect(templateError.file).toBe(partial)
    expect(templateError.line).toBe(3)
    expect(templateError.message).toContain('issue 2026-05')
    expect(templateError.message).toContain('titel')
  })

  it('should trace an MJML validation error back to the template line', async () => {
    const root = copyFixture()
    fs.mkdirSync(path.join(root, 'templates/email/partials'), {recursive: true})
    const partial = path.join(root, 'templates/email/partials/header.mjml.liquid')
    fs.writeFileSync(partial, '<mj-section>\n  <mj-column>\n    <mj-txt color="red">{{ site.name }}</mj-txt>\n  </mj-column>\n</mj-section>\n')
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const error = (await buildIssue(site, '2026-05').catch((caught: unknown) => caught)) as TemplateError
    expect(error).toBeInstanceOf(TemplateError)
    expect(error.file).toBe(partial)
    expect(error.line).toBe(3)
    expect(error.message).toMatch(/mj-txt/)
    expect(error.message).toContain('issue 2026-05')
  })
})

describe('largestUnder (how many cards fit)', () => {
  it('should find the most items under the budget in a few renders, however uneven the items', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({min: 1, max: 5000}), {minLength: 1, maxLength: 600}),
        fc.integer({min: 0, max: 2000}),
        fc.double({min: 0, max: 1, noNaN: true}),
        async (sizes, base, where) => {
          // Bytes with n items shown: a fixed part plus each item's own.
          const totals = [base]
          for (const size of sizes) totals.push(totals.at(-1)! + size)
          const all = totals.at(-1)!
          const target = base + 1 + Math.floor(where * (all - base - 1))
          fc.pre(target > base && target <= all)
          let renders = 0
          const found = await largestUnder(sizes.length, target, {bytes: base}, {bytes: all}, async (count) => {
            renders++
            return {bytes: totals[count]!}
          })
          // The brute-force answer: the last count still under the target.
          let expected = 0
          while (expected + 1 <= sizes.length && totals[expected + 1]! < target) expected++
          expect(found.count).toBe(expected)
          expect(found.value.bytes).toBe(totals[expected])
          expect(renders).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(sizes.length + 1)) + 2)
        }
      ),
      {numRuns: 300}
    )
  })

  it('should need far fewer renders than halving when the items are alike', async () => {
    let renders = 0
    const found = await largestUnder(415, 90_000, {bytes: 9_000}, {bytes: 9_000 + 415 * 400}, async (count) => {
      renders++
      return {bytes: 9_000 + count * 400}
    })
    expect(found.count).toBe(202)
    expect(renders).toBeLessThanOrEqual(3)
  })
})

describe('size budget', () => {
  function siteWithMonthOf(count: number, full: number[] = []): string {
    const root = copyFixture()
    writeBigMonth(root, '2026-03', count, full)
    return root
  }

  function siteWithPostOf(paragraphs: number): string {
    const root = copyFixture()
    writeLongRead(root, paragraphs)
    return root
  }

  function compactedWarnings(build: IssueBuild) {
    return build.summary.warnings.filter((warning) => warning.rule === 'email-size-compacted')
  }

  it('should build an issue as planned when it fits, with no compaction', async () => {
    const build = await buildIssue(await loadFixtureSite(), '2026-05')
    expect(build.compaction).toEqual([])
    expect(compactedWarnings(build)).toEqual([])
    const html = file(build, 'issue.html')
    expect(html).toContain('class="lp-card-title"')
    expect(html).not.toContain('class="lp-item"')
    expect(html).not.toContain('Continue reading on the web')
    expect(file(build, 'issue.txt')).toContain('Read on the web: https://notes.example/posts/drift-notes/')
  })

  it('should fit a 45-post month under the budget: extra full posts become cards, then cards lose their excerpts', async () => {
    const root = siteWithMonthOf(45, [3, 20])
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const build = await buildIssue(site, '2026-03')
    expect(build.compaction).toEqual(['full-posts-as-cards', 'cards-without-excerpts'])
    expect(build.errors).toEqual([])
    expect(build.summary.bytes.html).toBeLessThan(htmlSizeWarning)
    expect(build.summary.warnings.map((warning) => warning.rule)).not.toContain('email-size')

    // One warning per step: on the post that lost its full form (at its `email:` line), then on the issue.
    const warnings = compactedWarnings(build)
    expect(warnings).toEqual([
      {rule: 'email-size-compacted', file: 'posts/2026/03/report-20.md', line: 4, message: expect.stringMatching(/^`email: full` post shown as a card in issue 2026-03: issue\.html of 2026-03 would be \d+\.\d KB, over the 90\.0 KB budget/)},
      {rule: 'email-size-compacted', file: 'posts/2026/03/report-03.md', line: 1, message: expect.stringMatching(/^Issue 2026-03 lists its 44 cards by title, date and link, without excerpts: issue\.html of 2026-03 would be \d+\.\d KB/)}
    ])
    const demoted = site.all.find((post) => post.slug === 'report-20')!
    expect(demoted.file.messages.map((message) => [message.ruleId, message.line, message.fatal])).toContainEqual(['email-size-compacted', 4, false])

    // The HTML and the plain text show the same form: the lead in full, 44 titles with dates and links.
    const html = file(build, 'issue.html')
    const text = file(build, 'issue.txt')
    expect(html.match(/class="lp-item"/g)).toHaveLength(44)
    expect(html).not.toContain('class="lp-card-title"')
    expect(html).toContain('Read this post on the web')
    expect(text).not.toContain('Read on the web:')
    expect(text).toMatch(/\nField report 20: canary rollout in practice\nMarch 21, 2026 · \d+ min read\nhttps:\/\/notes\.example\/posts\/report-20\/\n/)
    for (const post of build.summary.posts) {
      expect(html, post.slug).toContain(`href="${post.url}"`)
      expect(text, post.slug).toContain(post.url)
    }
    expect(build.summary.posts[0]!.slug).toBe('report-03')
    // Cards stay in date order, the demoted post among them.
    const dates = build.summary.posts.slice(1).map((post) => site.all.find((candidate) => candidate.slug === post.slug)!.date)
    expect(dates).toEqual([...dates].sort())
    expect(build.lint).toEqual([])

    const again = await buildIssue(await loadFixtureSite(fixtureConfig, {}, root), '2026-03')
    for (const [name, content] of build.files) expect(Buffer.from(again.files.get(name)!).equals(Buffer.from(content)), name).toBe(true)
  }, 60_000)

  it('should list as many cards as fit and link to the rest of a month too big even as a list', async () => {
    const root = siteWithMonthOf(400)
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const build = await buildIssue(site, '2026-03')
    expect(build.compaction).toEqual(['cards-without-excerpts', 'lead-excerpt', 'cards-cut'])
    expect(build.errors).toEqual([])
    expect(build.summary.bytes.html).toBeLessThan(htmlSizeWarning)
    const html = file(build, 'issue.html')
    const text = file(build, 'issue.txt')
    const listed = html.match(/class="lp-item"/g)!.length - 1
    expect(listed).toBeGreaterThan(100)
    expect(listed).toBeLessThan(399)
    const rest = 399 - listed
    expect(html).toContain(`And ${rest} more this month: read them all on the web`)
    expect(html).toContain('href="https://notes.example/newsletter/2026-03/')
    expect(text).toContain(`And ${rest} more this month, on the web:\nhttps://notes.example/newsletter/2026-03/`)
    expect(compactedWarnings(build).at(-1)!.message).toMatch(
      new RegExp(`^Issue 2026-03 lists ${listed} of its 399 cards, then links to the ${rest} others on the web: issue\\.html of 2026-03 would be`)
    )
    // One more card would not have fitted.
    expect(build.lint).toEqual([])
    // Every post is still on the issue's web page and in issue.json.
    expect(build.summary.posts).toHaveLength(400)
    expect(build.webHtml.match(/class="lp-issue-card"/g)).toHaveLength(399)
  }, 120_000)

  it('should cut a long lead at its `<!-- more -->` with a link to the rest, after compacting the cards', async () => {
    const site = await loadFixtureSite(fixtureConfig, {}, siteWithPostOf(300))
    const build = await buildIssue(site, '2026-05')
    expect(build.compaction).toEqual(['cards-without-excerpts', 'lead-excerpt'])
    expect(build.errors).toEqual([])
    expect(build.summary.bytes.html).toBeLessThan(htmlSizeWarning)
    expect(compactedWarnings(build).map((warning) => [warning.file, warning.line])).toEqual([
      ['issues/2026-05.md', 1],
      // The marker's own line: after 5 lines of frontmatter, a blank line and two paragraphs with theirs.
      ['posts/2026/05/long-read.md', 11]
    ])
    expect(compactedWarnings(build)[1]!.message).toMatch(/^Lead post cut at its `<!-- more -->` excerpt in issue 2026-05, with a link to continue on the web/)
    const html = file(build, 'issue.html')
    expect(html).toContain('Paragraph 1:')
    expect(html).not.toContain('Paragraph 2:')
    expect(html).toContain('Continue reading on the web')
    const text = file(build, 'issue.txt')
    expect(text).not.toContain('Paragraph 2:')
    expect(text).toContain('Continue reading on the web: https://notes.example/posts/long-read/')
  })

  it('should warn when even the most compact form is near the limit, and fail only beyond it', async () => {
    async function withNoteOf(paragraphs: number) {
      const root = siteWithPostOf(300)
      const intro = Array.from({length: paragraphs}, (_, index) => paragraph(index, 2)).join('\n\n')
      fs.writeFileSync(path.join(root, 'issues/2026-05.md'), `---\nsubject: Long note\n---\n\n${intro}\n`)
      const site = await loadFixtureSite(fixtureConfig, {}, root)
      const context = await createIssueContext(site)
      return {build: await buildIssue(site, '2026-05', context), context}
    }

    const {build: near} = await withNoteOf(98)
    expect(near.summary.bytes.html).toBeGreaterThanOrEqual(htmlSizeWarning)
    expect(near.summary.bytes.html).toBeLessThanOrEqual(htmlSizeLimit)
    expect(near.compaction).toEqual(['cards-without-excerpts', 'lead-excerpt'])
    expect(near.errors).toEqual([])
    expect(near.summary.warnings).toContainEqual(
      expect.objectContaining({rule: 'email-size', file: 'issues/2026-05.md', message: expect.stringMatching(/even compacted \(cards-without-excerpts, lead-excerpt\).*shorten the note/)})
    )

    const {build: over, context} = await withNoteOf(120)
    expect(over.summary.bytes.html).toBeGreaterThan(htmlSizeLimit)
    expect(over.errors).toEqual([expect.objectContaining({rule: 'email-size-limit', file: 'issues/2026-05.md'})])
    expect(JSON.parse(file(over, 'issue.json')).warnings.map((warning: {rule: string}) => warning.rule)).toEqual(
      expect.arrayContaining(['email-size-compacted', 'email-size-limit'])
    )
    const note = context.files.find((candidate) => candidate.path === 'issues/2026-05.md')!
    expect(note.messages.some((message) => message.ruleId === 'email-size-limit' && message.fatal)).toBe(true)
  }, 60_000)
})

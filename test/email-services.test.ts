/**
 * Handing the issue to an email service: `newsletter.provider` writes that
 * service's merge tags into issue.html and issue.txt (unsubscribe, view
 * online, the subscriber's name in a template that greets), a bad value is
 * a config error with its own rule, and the site publishes its issues as
 * an RSS feed for RSS-to-email campaigns, linked from the newsletter page.
 */
import {parseFeed} from '@rowanmanning/feed-parser'
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {buildIssue, createIssueContext, type IssueBuild} from '../src/email/issue.js'
import {loadConfig} from '../src/source/config.js'
import {emailServiceNames, emailServices, type EmailServiceName} from '../src/source/email-services.js'
import {fixtureConfig, fixtureRoot, loadFixtureSite} from './fixtures/email/site.js'
import {removeBuiltSites, sampleSite} from './helpers/site.js'
import {contentDated} from './helpers/files.js'

const dated = contentDated('services')
afterAll(() => removeBuiltSites())

function part(build: IssueBuild, name: string): string {
  const value = build.files.get(name)
  return typeof value === 'string' ? value : Buffer.from(value ?? '').toString('utf8')
}

async function issueFor(provider: EmailServiceName | undefined, root = fixtureRoot): Promise<IssueBuild> {
  const site = await loadFixtureSite({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, ...(provider ? {provider} : {})}}, {}, root)
  return buildIssue(site, '2026-05', await createIssueContext(site))
}

/** A copy of the email fixture site whose footer greets the reader by name. */
function greetingSite(): string {
  const root = dated.folder()
  fs.cpSync(fixtureRoot, root, {recursive: true})
  const partials = path.join(root, 'templates', 'email', 'partials')
  fs.mkdirSync(partials, {recursive: true})
  const footer = fs.readFileSync(path.join(import.meta.dirname, '..', 'templates', 'email', 'partials', 'footer.mjml.liquid'), 'utf8')
  fs.writeFileSync(path.join(partials, 'footer.mjml.liquid'), footer.replace('<mj-column>', '<mj-column>\n    <mj-text padding="0">Hello {{ subscriber.name }},</mj-text>'))
  return root
}

describe('newsletter.provider', () => {
  it('should keep letterpress\'s own merge fields by default', async () => {
    const generic = await issueFor(undefined)
    const html = part(generic, 'issue.html')
    expect(html).toContain('href="{{unsubscribe_url}}"')
    expect(html).toContain('href="https://notes.example/newsletter/2026-05/"')
    expect(part(generic, 'issue.txt')).toContain('Unsubscribe: {{unsubscribe_url}}')
  })

  it.each(emailServiceNames.filter((name) => name !== 'generic'))('should write %s\'s merge tags into issue.html and issue.txt', async (name) => {
    const preset = emailServices[name]
    const built = await issueFor(name)
    const html = part(built, 'issue.html')
    const text = part(built, 'issue.txt')
    expect(html).toContain(`href="${preset.unsubscribe}"`)
    expect(text).toContain(`Unsubscribe: ${preset.unsubscribe}`)
    const viewOnline = preset.viewOnline ?? 'https://notes.example/newsletter/2026-05/'
    // Header and footer both link to the copy online; the text part names it once.
    expect(html.split(`href="${viewOnline}"`).length - 1).toBe(2)
    expect(text).toContain(`View in your browser: ${viewOnline}`)
    // No field only `send --list` fills is left for the service to trip over.
    if (preset.unsubscribe !== '{{ unsubscribe_url }}') expect(html + text).not.toMatch(/\{\{\s*unsubscribe_url\s*\}\}/)
    expect(html + text).not.toMatch(/\{\{\s*(?:email|name)\s*\}\}/)
    // Service tags are not links the email lint should complain about.
    expect(built.lint).toEqual([])
  })

  it('should write the exact tags of each service the docs name', () => {
    expect(emailServices.mailchimp).toMatchObject({unsubscribe: '*|UNSUB|*', viewOnline: '*|ARCHIVE|*', name: '*|FNAME|*'})
    expect(emailServices.listmonk).toMatchObject({unsubscribe: '{{ UnsubscribeURL }}', viewOnline: '{{ MessageURL }}', name: '{{ .Subscriber.Name }}'})
    expect(emailServices.buttondown).toMatchObject({unsubscribe: '{{ unsubscribe_url }}', viewOnline: '{{ email_url }}'})
    for (const preset of Object.values(emailServices)) {
      for (const tag of [preset.unsubscribe, preset.viewOnline ?? '', preset.name]) expect(tag).not.toMatch(/[&<>"']/)
    }
  })

  it('should greet the reader with the service\'s name tag in a template that uses subscriber.name', async () => {
    const root = greetingSite()
    expect(part(await issueFor('mailchimp', root), 'issue.html')).toContain('Hello *|FNAME|*,')
    expect(part(await issueFor('listmonk', root), 'issue.html')).toContain('Hello {{ .Subscriber.Name }},')
    expect(part(await issueFor(undefined, root), 'issue.html')).toContain('Hello {{name}},')
  })

  it('should let an explicit newsletter.unsubscribe win over the provider\'s tag', async () => {
    const site = await loadFixtureSite({
      ...fixtureConfig,
      newsletter: {...fixtureConfig.newsletter, provider: 'mailchimp', unsubscribe: 'https://notes.example/leave'}
    })
    const html = part(await buildIssue(site, '2026-05', await createIssueContext(site)), 'issue.html')
    expect(html).toContain('href="https://notes.example/leave"')
    expect(html).toContain('href="*|ARCHIVE|*"')
  })

  it('should refuse an unknown provider at its line, with its rule, and build as generic', async () => {
    const root = dated.folder()
    fs.writeFileSync(path.join(root, 'letterpress.yml'), 'title: T\nnewsletter:\n  provider: sendgrid\n')
    const {config, file} = await loadConfig(root)
    expect(config.newsletter.provider).toBe('generic')
    expect(file.messages.map((message) => [message.ruleId, message.line, message.column])).toEqual([['config-newsletter-provider', 3, 13]])
    expect(file.messages[0]!.reason).toContain('"sendgrid" is not an email service letterpress knows; use one of generic, buttondown, mailchimp, listmonk, kit')
  })
})

describe('the feed of issues', () => {
  it('should publish every issue in full at /newsletter/feed.xml, linked from the newsletter page', async () => {
    const site = await sampleSite()
    const issues = fs.readdirSync(path.join(site.out, 'email')).sort().reverse()
    expect(issues.length).toBeGreaterThan(0)
    const xml = fs.readFileSync(path.join(site.site, 'newsletter', 'feed.xml'), 'utf8')
    const feed = parseFeed(xml)
    expect(feed.items.map((item) => item.url)).toEqual(issues.map((month) => `https://shadowtraffic.example/newsletter/${month}/`))
    for (const [index, item] of feed.items.entries()) {
      const summary = JSON.parse(fs.readFileSync(path.join(site.out, 'email', issues[index]!, 'issue.json'), 'utf8')) as {subject: string; posts: Array<{title: string; url: string}>}
      expect(item.title).toBe(summary.subject)
      // The whole issue: every post it holds, linked absolutely.
      for (const post of summary.posts) expect(item.content).toContain(`href="${post.url}"`)
      expect(item.content).not.toMatch(/(?:href|src)="\//)
    }
    expect(xml).toContain('<content:encoded>')
    const page = fs.readFileSync(path.join(site.site, 'newsletter', 'index.html'), 'utf8')
    expect(page).toMatch(/<link rel="alternate" type="application\/rss\+xml" title="[^"]*" href="\/newsletter\/feed\.xml">/)
  })
})

describe('the feed of issues, built again', () => {
  it('should follow an edit to a post of an issue, and stay byte for byte when nothing of the issues changed', async () => {
    const {build} = await import('../src/pipeline/build.js')
    const root = dated.folder()
    fs.cpSync(fixtureRoot, root, {recursive: true})
    fs.writeFileSync(path.join(root, 'letterpress.json'), JSON.stringify(fixtureConfig))
    const out = path.join(root, 'dist')
    const feedOf = () => fs.readFileSync(path.join(out, 'site', 'newsletter', 'feed.xml'), 'utf8')
    expect((await build({root, outDir: out})).errors).toBe(0)
    const first = feedOf()
    const drift = path.join(root, 'posts', '2026', '05', 'drift-notes.md')
    const text = fs.readFileSync(drift, 'utf8')
    expect(first).toContain('Notes on drift alerts that people read')

    // A post of no issue: the feed stays as it was.
    fs.appendFileSync(path.join(root, 'posts', 'about.md'), '\nA second line about the letter.\n')
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(feedOf()).toBe(first)

    // A post of the issue: its new title is in the feed at once.
    fs.writeFileSync(drift, text.replace('title: Notes on drift alerts that people read', 'title: Drift alerts, read at last'))
    expect((await build({root, outDir: out})).errors).toBe(0)
    const second = feedOf()
    expect(second).toContain('Drift alerts, read at last')
    expect(second).not.toContain('Notes on drift alerts that people read')
    expect(parseFeed(second).items.map((item) => item.url)).toEqual(parseFeed(first).items.map((item) => item.url))
  })
})

describe('send with an email service set', () => {
  it('should refuse to send an issue whose merge tags only the service fills', async () => {
    const root = dated.folder()
    fs.cpSync(fixtureRoot, root, {recursive: true})
    fs.writeFileSync(path.join(root, 'letterpress.json'), JSON.stringify({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, provider: 'mailchimp'}}))
    const {send} = await import('../src/pipeline/newsletter.js')
    const {SendError} = await import('../src/email/index.js')
    const sending = send({root, month: '2026-05', to: ['reader@example.org'], smtp: 'smtp://127.0.0.1:9'})
    await expect(sending).rejects.toBeInstanceOf(SendError)
    await expect(sending).rejects.toThrow(/made for Mailchimp .*newsletter\.provider: mailchimp/)
  })
})

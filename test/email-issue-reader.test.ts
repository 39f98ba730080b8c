/**
 * What a reader sees of an issue, read from the built issue.html (parsed as
 * a mail client's parser does) and issue.eml (through a mail parser): the
 * subject, the "In this issue" list, the logo, the "Forwarded this?" line,
 * the cards' thumbnails, and the plain-text part's headings, strikethrough
 * and tables.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {simpleParser} from 'mailparser'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {buildIssue, type IssueBuild} from '../src/email/issue.js'
import {reportSubjectTemplate, subjectTemplateRule} from '../src/email/subject.js'
import {check} from '../src/pipeline/check.js'
import {loadConfig, type Config} from '../src/source/config.js'
import {fixtureConfig, fixtureRoot, loadFixtureSite} from './fixtures/email/site.js'
import {contentDated} from './helpers/files.js'

const dated = contentDated('reader')

function tempDir(): string {
  const dir = dated.folder()
  return dir
}

/** A copy of the fixture site with `posts` (path under posts/ → Markdown) added or replaced, and no editorial note. */
function site(posts: Record<string, string> = {}): string {
  const root = tempDir()
  fs.cpSync(fixtureRoot, root, {recursive: true})
  fs.rmSync(path.join(root, 'issues'), {recursive: true, force: true})
  for (const [relative, markdown] of Object.entries(posts)) {
    fs.mkdirSync(path.dirname(path.join(root, 'posts', relative)), {recursive: true})
    fs.writeFileSync(path.join(root, 'posts', relative), markdown)
  }
  return root
}

async function issue(root: string, month: string, config: Config = fixtureConfig): Promise<IssueBuild> {
  return buildIssue(await loadFixtureSite(config, {}, root), month)
}

function part(build: IssueBuild, name: string): string {
  const value = build.files.get(name)!
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8')
}

function elements(html: string, test: (element: Element) => boolean): Element[] {
  const found: Element[] = []
  visit(fromHtml(html) as Root, 'element', (node) => {
    if (test(node)) found.push(node)
  })
  return found
}

function text(node: Element | Root): string {
  let value = ''
  visit(node, 'text', (child) => {
    value += child.value
  })
  return value.replace(/\s+/g, ' ').trim()
}

/** The "In this issue" list: its entries' titles and links, `undefined` when the issue has none. */
function contents(html: string): Array<{title: string; href: string}> | undefined {
  const list = elements(html, (element) => element.tagName === 'ul' && String(element.properties['className']).includes('lp-contents'))[0]
  if (!list) return undefined
  const links: Element[] = []
  visit(list, 'element', (node) => {
    if (node.tagName === 'a') links.push(node)
  })
  return links.map((link) => ({title: text(link), href: String(link.properties['href'])}))
}

const lead = (title: string, extra = '') => `---\ntitle: ${title}\ndate: 2026-08-03\n${extra}---\n\nThe lead's first paragraph.\n`
const card = (title: string, day: string, extra = '') => `---\ntitle: ${title}\ndate: 2026-08-${day}\nemail: card\n${extra}---\n\nA card's excerpt.\n`

describe('the issue as its reader sees it', () => {
  it('should take the subject from newsletter.subject, else the lead post\'s title', async () => {
    const root = site({'2026/08/lead.md': lead('Canaries at dawn'), '2026/08/other.md': card('Drift at dusk', '10')})
    const plain = await simpleParser(Buffer.from(part(await issue(root, '2026-08'), 'issue.eml')))
    expect(plain.subject).toBe('Canaries at dawn')
    const config = {...fixtureConfig, newsletter: {...fixtureConfig.newsletter, subject: '{{ newsletter.name }} #{{ issue.number }} ({{ issue.month }}): {{ lead.title }}'}}
    const built = await issue(root, '2026-08', config)
    const templated = await simpleParser(Buffer.from(part(built, 'issue.eml')))
    expect(templated.subject).toBe('Field Notes #3 (August 2026): Canaries at dawn')
    expect(elements(part(built, 'issue.html'), (element) => element.tagName === 'title').map(text)).toEqual(['Field Notes #3 (August 2026): Canaries at dawn'])
  })

  it('should reject a broken newsletter.subject at its line in the config, with a rule id', async () => {
    const root = site()
    fs.writeFileSync(
      path.join(root, 'letterpress.yml'),
      'title: Field Notes\nbaseUrl: https://notes.example/\nnewsletter:\n  name: Field Notes\n  subject: "{{ lead.titel }} {{ issue.number"\n'
    )
    const {config, file} = await loadConfig(root)
    reportSubjectTemplate(config, file)
    const [message] = file.messages
    expect(message?.ruleId).toBe(subjectTemplateRule)
    expect(message?.fatal).toBe(true)
    expect(message?.line).toBe(5)
    expect(message?.reason).toMatch(/^Setting `newsletter\.subject` in letterpress\.yml: .* is not a working Liquid template/)
    // An unknown variable says which ones there are.
    fs.writeFileSync(path.join(root, 'letterpress.yml'), 'title: Field Notes\nnewsletter:\n  subject: "{{ name }}: {{ lead.title }}"\n')
    const unknown = await loadConfig(root)
    reportSubjectTemplate(unknown.config, unknown.file)
    expect(unknown.file.messages[0]?.reason).toMatch(/undefined variable: name.*`newsletter\.name`, `issue\.number`, `issue\.month` and `lead\.title`/)
    expect(unknown.file.messages[0]?.line).toBe(3)
    // `check` reports it as an error, never a stack trace.
    const result = await check({root})
    expect(result.errors).toBeGreaterThan(0)
    expect(result.diagnostics.some((diagnostic) => diagnostic.rule === subjectTemplateRule && diagnostic.line === 3)).toBe(true)
    // A good template is no message.
    const good = {config: {...unknown.config, newsletter: {...unknown.config.newsletter, subject: '{{ lead.title }} · #{{ issue.number }}'}}, file: new VFile({path: 'letterpress.yml'})}
    reportSubjectTemplate(good.config, good.file)
    expect(good.file.messages).toEqual([])
  })

  it('should list the issue\'s posts at its top only when it has more than one', async () => {
    const root = site({'2026/08/lead.md': lead('Canaries at dawn'), '2026/08/other.md': card('Drift at dusk', '10')})
    const html = part(await issue(root, '2026-08'), 'issue.html')
    expect(contents(html)).toEqual([
      {title: 'Canaries at dawn', href: 'https://notes.example/posts/lead/'},
      {title: 'Drift at dusk', href: 'https://notes.example/posts/other/'}
    ])
    expect(html).toContain('In this issue')
    // Before the first post's title.
    expect(html.indexOf('In this issue')).toBeLessThan(html.indexOf('>Canaries at dawn</a></h1>'))
    expect(part(await issue(root, '2026-08'), 'issue.txt')).toMatch(/In this issue:\n- Canaries at dawn\n- Drift at dusk\n/)
    const single = await issue(root, '2026-06')
    expect(contents(part(single, 'issue.html'))).toBeUndefined()
    expect(part(single, 'issue.html')).not.toContain('In this issue')
    expect(part(single, 'issue.txt')).not.toContain('In this issue')
  })

  it('should show a card\'s cover as a thumbnail with an absolute URL, size and alt, and no image at all for a missing cover', async () => {
    const root = site({
      '2026/08/lead.md': lead('Canaries at dawn', 'cover: /assets/missing-lead.png\n'),
      '2026/08/with-cover.md': card('Drift at dusk', '10', 'cover: /assets/pipeline.png\n'),
      '2026/08/missing-cover.md': card('Queues at noon', '12', 'cover: /assets/missing.png\n'),
      '2026/08/no-cover.md': card('Budgets at night', '14')
    })
    const loaded = await loadFixtureSite(fixtureConfig, {}, root)
    // The load says so at the `cover:` line (the email shows nothing for it).
    const missing = loaded.files.find((file) => file.path.endsWith('missing-cover.md'))!
    expect(missing.messages.map((message) => message.ruleId)).toContain('image-missing')
    const html = part(await buildIssue(loaded, '2026-08'), 'issue.html')
    const images = elements(html, (element) => element.tagName === 'img')
    for (const image of images) {
      expect(String(image.properties['src'] ?? ''), 'every image has a source').toMatch(/^https:\/\//)
      expect(String(image.properties['alt'] ?? ''), `alt of ${String(image.properties['src'])}`).not.toBe('')
    }
    expect(images.some((image) => String(image.properties['src']).includes('missing'))).toBe(false)
    const thumbnails = images.filter((image) => image.properties['src'] === 'https://notes.example/assets/pipeline-png-1104.jpg')
    expect(thumbnails).toHaveLength(1)
    expect(thumbnails[0]!.properties['alt']).toBe('Drift at dusk')
    expect(Number(thumbnails[0]!.properties['width'])).toBeGreaterThan(0)
    expect(Number(thumbnails[0]!.properties['height'])).toBeGreaterThan(0)
    // Every card keeps its title, with or without an image.
    for (const title of ['Drift at dusk', 'Queues at noon', 'Budgets at night']) expect(html).toContain(`>${title}</a></h2>`)
  })

  it('should show the site\'s logo in the header, absolute, with the site\'s title as alt, and none without a logo', async () => {
    const root = site()
    const withLogo = {...fixtureConfig, theme: {logo: 'assets/pipeline.png'}}
    const html = part(await issue(root, '2026-05', withLogo), 'issue.html')
    const logos = elements(html, (element) => element.tagName === 'img' && element.properties['alt'] === 'Field Notes')
    expect(logos).toHaveLength(1)
    expect(logos[0]!.properties['src']).toBe('https://notes.example/assets/pipeline.png')
    expect(Number(logos[0]!.properties['height'])).toBe(48)
    expect(Number(logos[0]!.properties['width'])).toBeGreaterThan(0)
    const without = part(await issue(root, '2026-05'), 'issue.html')
    expect(elements(without, (element) => element.tagName === 'img' && element.properties['alt'] === 'Field Notes')).toEqual([])
  })

  it('should say "Forwarded this? Subscribe" in both parts only when subscribeUrl is set', async () => {
    const root = site()
    const built = await issue(root, '2026-05', {...fixtureConfig, subscribeUrl: 'https://notes.example/join/'})
    const html = part(built, 'issue.html')
    const links = elements(html, (element) => element.tagName === 'a' && element.properties['href'] === 'https://notes.example/join/' && text(element) === 'Subscribe')
    expect(links).toHaveLength(1)
    expect(html).toContain('Forwarded this?')
    const mail = await simpleParser(Buffer.from(part(built, 'issue.eml')))
    expect(mail.text).toContain('Forwarded this? Subscribe: https://notes.example/join/')
    const plain = await issue(root, '2026-05')
    expect(part(plain, 'issue.html')).not.toContain('Forwarded this?')
    expect(part(plain, 'issue.txt')).not.toContain('Forwarded this?')
  })

  it('should write headings, strikethrough and tables in the text part as a reader reads them', async () => {
    const body =
      'The ~~old~~ new plan.\n\n### Details that matter\n\nA paragraph.\n\n' +
      '| Signal | Owner | Threshold |\n| --- | --- | ---: |\n| latency | on-call | 250 ms |\n| drift score | data team | 0.2 |\n'
    const root = site({'2026/08/lead.md': `---\ntitle: Canaries at dawn\ndate: 2026-08-03\n---\n\n${body}`})
    const mail = await simpleParser(Buffer.from(part(await issue(root, '2026-08'), 'issue.eml')))
    const value = mail.text!
    expect(value).not.toMatch(/^#+ /m)
    expect(value).toContain('Details that matter\n~~~~~~~~~~~~~~~~~~~')
    expect(value).toContain('The old new plan.')
    expect(value).not.toContain('~~old~~')
    expect(value).toContain(
      ['Signal       Owner      Threshold', '-----------  ---------  ---------', 'latency      on-call       250 ms', 'drift score  data team        0.2'].join('\n')
    )
  })
})

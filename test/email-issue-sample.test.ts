/**
 * The monthly issue of the project's own sample site (ROOT is the project
 * root: posts/ and letterpress.yml), rendered in memory as `build` does:
 * every month's issue.eml read back by a real mail parser, the plain-text
 * part checked against the posts' own links, issue.json against the
 * contract, every issue.html through the email lint, and two builds
 * compared byte for byte.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Root} from 'mdast'
import {simpleParser, type ParsedMail} from 'mailparser'
import {visit} from 'unist-util-visit'
import {beforeAll, describe, expect, it} from 'vitest'
import {z} from 'zod'
import {renderOutputs, type RenderedSite} from '../src/pipeline/build.js'
import {loadConfig} from '../src/source/config.js'
import {absoluteUrl, withUtm} from '../src/email/render.js'
import {collectIssues, htmlSizeLimit, htmlSizeWarning, type IssuePlan} from '../src/email/issue.js'
import {lintEmailHtml} from '../src/email/lint.js'
import {loadIssueNotes} from '../src/email/notes.js'
import {createParser} from '../src/source/parse.js'
import type {Post} from '../src/source/post.js'
import type {OutputContent} from '../src/pipeline/write.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** issue.json with the fields letterpress promises, and nothing else. */
const issueJson = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    number: z.number().int().positive(),
    subject: z.string().min(1),
    preheader: z.string().min(1),
    posts: z.array(z.object({slug: z.string().min(1), title: z.string().min(1), url: z.url()}).strict()).min(1),
    bytes: z.object({html: z.number().int().positive(), text: z.number().int().positive()}).strict(),
    warnings: z.array(
      z.object({rule: z.string().regex(/^[a-z\d]+(-[a-z\d]+)*$/), message: z.string(), file: z.string(), line: z.number().int().positive()}).strict()
    )
  })
  .strict()

async function renderSample(): Promise<RenderedSite> {
  const {config, file} = await loadConfig(projectRoot)
  const rendered = await renderOutputs(config, file)
  if (rendered.failed) throw new Error('the sample site did not build')
  return rendered
}

/** One output's bytes (a copied asset is read from its source). */
function bytes(value: OutputContent | undefined): Buffer {
  if (value === undefined) throw new Error('missing output')
  if (typeof value === 'string') return Buffer.from(value)
  if (value instanceof Uint8Array) return Buffer.from(value)
  return fs.readFileSync(value.copyFrom)
}

function text(value: OutputContent | undefined): string {
  return bytes(value).toString('utf8')
}

/**
 * Every link a post's tree holds, as the email must print it: absolute
 * (site paths against the site, anchors against the post's page), with
 * the issue's campaign parameters on the site's own links.
 */
function expectedLinks(tree: Root, baseUrl: string, pageUrl: string, utm: Parameters<typeof withUtm>[2]): string[] {
  const definitions = new Map<string, string>()
  visit(tree, 'definition', (node) => {
    definitions.set(node.identifier.toUpperCase(), node.url)
  })
  const urls: string[] = []
  visit(tree, (node) => {
    let url: string | undefined
    if (node.type === 'link') url = node.url
    else if (node.type === 'linkReference') url = definitions.get(node.identifier.toUpperCase())
    if (url === undefined) return
    const absolute = absoluteUrl(url, baseUrl, pageUrl)
    if (absolute !== undefined) urls.push(withUtm(absolute, baseUrl, utm))
  })
  return urls
}

let first: RenderedSite
let second: RenderedSite
let plans: IssuePlan[]
const mails = new Map<string, ParsedMail>()
const savedEpoch = process.env['SOURCE_DATE_EPOCH']

beforeAll(async () => {
  // The dates below are the content's own.
  delete process.env['SOURCE_DATE_EPOCH']
  try {
    first = await renderSample()
    second = await renderSample()
  } finally {
    if (savedEpoch !== undefined) process.env['SOURCE_DATE_EPOCH'] = savedEpoch
  }
  const {notes} = await loadIssueNotes(projectRoot, createParser())
  plans = collectIssues(first.site, {notes, sourceDateEpoch: undefined})
  for (const plan of plans) {
    mails.set(plan.month, await simpleParser(bytes(first.outputs.get(`email/${plan.month}/issue.eml`))))
  }
}, 120_000)

describe('the sample site\'s monthly issues', () => {
  it('should have an issue for every month with a published post, and all five files of each', () => {
    const months = [...new Set(first.site.published.filter((post) => !post.page && !post.draft && post.email !== false).map((post) => post.month!))]
    expect(plans.map((plan) => plan.month)).toEqual(months.sort())
    expect(plans.length).toBeGreaterThanOrEqual(3)
    for (const plan of plans) {
      for (const name of ['issue.mjml', 'issue.html', 'issue.txt', 'issue.eml', 'issue.json']) {
        expect(first.outputs.has(`email/${plan.month}/${name}`), `${plan.month}/${name}`).toBe(true)
      }
      expect(first.outputs.has(`site/newsletter/${plan.month}/index.html`)).toBe(true)
    }
    expect(first.outputs.has('site/newsletter/index.html')).toBe(true)
  })

  it('should compose an .eml with a text and an html part and every header the contract names', () => {
    for (const plan of plans) {
      const mail = mails.get(plan.month)!
      const month = plan.month
      expect(mail.subject, month).toBe(plan.subject)
      expect(mail.from?.value[0]?.address, month).toBe('letters@shadowtraffic.example')
      expect(mail.date?.toISOString(), month).toBe(plan.date.toISOString())
      expect(mail.messageId, month).toMatch(/^<[0-9a-f]{32}@shadowtraffic\.example>$/)
      expect(mail.headers.get('mime-version'), month).toBe('1.0')
      expect(mail.headers.get('content-type'), month).toMatchObject({value: 'multipart/alternative'})
      const lines = mail.headerLines.map((header) => header.line.replace(/\r?\n[ \t]+/g, ' '))
      expect(lines, month).toContain('List-Unsubscribe: <{{unsubscribe_url}}>')
      expect(lines, month).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
      // Test sends go to --to only: the message itself names no recipient.
      expect(mail.to, month).toBeUndefined()
      expect(mail.text?.trim(), month).toBe(text(first.outputs.get(`email/${month}/issue.txt`)).trim())
      expect(mail.html, month).toBe(text(first.outputs.get(`email/${month}/issue.html`)))
    }
  })

  it('should carry every post title and every link of the issue in the plain-text part', () => {
    const {config} = first
    const baseUrl = config.baseUrl!
    for (const plan of plans) {
      const plain = mails.get(plan.month)!.text!
      const utm = config.newsletter.utm.source || config.newsletter.utm.medium || config.newsletter.utm.campaign
        ? {...config.newsletter.utm, campaign: config.newsletter.utm.campaign ?? plan.month}
        : undefined
      const pageUrl = (post: Post) => new URL(post.url.replace(/^\//, ''), baseUrl).href
      for (const post of plan.posts) {
        expect(plain, `${plan.month}: title of ${post.slug}`).toContain(post.title)
        expect(plain, `${plan.month}: URL of ${post.slug}`).toContain(withUtm(pageUrl(post), baseUrl, utm))
      }
      // Posts that go in whole bring every link they hold.
      for (const post of plan.leads) {
        const links = expectedLinks(post.tree, baseUrl, pageUrl(post), utm)
        expect(links.length, `${post.slug} has links to check`).toBeGreaterThan(0)
        for (const url of links) expect(plain, `${plan.month}: ${post.slug} links to ${url}`).toContain(url)
      }
      expect(plain).toContain('Unsubscribe: {{unsubscribe_url}}')
    }
  })

  it('should write issue.json in the contract\'s shape, matching the issue', () => {
    for (const plan of plans) {
      const json: unknown = JSON.parse(text(first.outputs.get(`email/${plan.month}/issue.json`)))
      const summary = issueJson.parse(json)
      expect(summary.month).toBe(plan.month)
      expect(summary.number).toBe(plan.number)
      expect(summary.subject).toBe(plan.subject)
      expect(summary.preheader).toBe(plan.preheader)
      expect(summary.posts.map((post) => post.slug)).toEqual(plan.posts.map((post) => post.slug))
      expect(summary.bytes.html).toBe(Buffer.byteLength(text(first.outputs.get(`email/${plan.month}/issue.html`))))
      expect(summary.bytes.text).toBe(Buffer.byteLength(text(first.outputs.get(`email/${plan.month}/issue.txt`))))
      // The sample is the showcase: it builds without a warning.
      expect(summary.warnings).toEqual([])
    }
  })

  it('should keep every issue.html under Gmail\'s clipping size, with the unsubscribe merge tag left literal', () => {
    for (const plan of plans) {
      const html = text(first.outputs.get(`email/${plan.month}/issue.html`))
      expect(Buffer.byteLength(html), plan.month).toBeLessThan(htmlSizeLimit)
      expect(html).toContain('href="{{unsubscribe_url}}"')
      expect(text(first.outputs.get(`email/${plan.month}/issue.txt`))).toContain('{{unsubscribe_url}}')
      expect(text(first.outputs.get(`email/${plan.month}/issue.mjml`))).toContain('{{unsubscribe_url}}')
    }
  })

  it('should show every issue as planned: no compaction, every lead whole, every card with its excerpt', () => {
    for (const plan of plans) {
      const html = text(first.outputs.get(`email/${plan.month}/issue.html`))
      const plain = text(first.outputs.get(`email/${plan.month}/issue.txt`))
      expect(Buffer.byteLength(html), plan.month).toBeLessThan(htmlSizeWarning)
      expect(html.match(/Read this post on the web/g) ?? [], plan.month).toHaveLength(plan.leads.length)
      expect(html.match(/class="lp-card-title"/g) ?? [], plan.month).toHaveLength(plan.cards.length)
      expect(html.match(/Read on the web (?:&rarr;|\u2192)/g) ?? [], plan.month).toHaveLength(plan.cards.length)
      expect(plain.match(/^Read on the web: /gm) ?? [], plan.month).toHaveLength(plan.cards.length)
      expect(html, plan.month).not.toContain('class="lp-item"')
      expect(html, plan.month).not.toContain('Continue reading on the web')
      expect(plain, plan.month).not.toContain('Continue reading on the web')
    }
  })

  it('should pass the email lint in every issue', () => {
    for (const plan of plans) {
      const html = text(first.outputs.get(`email/${plan.month}/issue.html`))
      expect(lintEmailHtml(html), plan.month).toEqual([])
    }
  })

  it('should render the same bytes twice', () => {
    const names = (rendered: RenderedSite) =>
      [...rendered.outputs.keys()].filter((name) => name.startsWith('email/') || name.startsWith('site/newsletter/')).sort()
    expect(names(second)).toEqual(names(first))
    for (const name of names(first)) {
      const a = bytes(first.outputs.get(name))
      const b = bytes(second.outputs.get(name))
      expect(a.equals(b), name).toBe(true)
    }
  })
})

/**
 * Every HTML page of the sample site, built with and without drafts, checked
 * by the Nu Html Checker (vnu, the W3C validator) in one JVM run.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {htmlFiles, projectRoot, removeBuiltSites, sampleSite, type BuiltSite} from './helpers/site.js'
import {hasJava} from './helpers/tools.js'

const vnuJar = path.join(projectRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar')
const available = hasJava()

/** One message of `vnu --format json`. */
interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error'
  subType?: string
  url?: string
  message: string
  firstLine?: number
  lastLine?: number
  firstColumn?: number
  lastColumn?: number
  extract?: string
}

/**
 * Warnings we accept, each with its reason. The web view of a newsletter
 * issue (newsletter/YYYY-MM/) shows the email's own body, as subscribers got
 * it; that body is built with the presentational table attributes Outlook
 * and older clients need, which HTML5 calls obsolete but still renders.
 */
const acceptedWarnings: Array<{page: RegExp; message: RegExp}> = [
  {
    page: /^newsletter\/\d{4}-\d{2}\/index\.html$/,
    message: /^The “(width|cellpadding|cellspacing|border)” attribute on the “table” element is obsolete\./
  }
]

/** A message as a block a person can act on: file:line:column, the message, the source lines around it. */
function describeMessage(message: VnuMessage, file: string | undefined, name: string): string {
  const line = message.lastLine ?? message.firstLine ?? 0
  const head = `${name}:${line}:${message.firstColumn ?? message.lastColumn ?? 0}  ${message.subType ?? message.type}  ${message.message}`
  if (!file || !fs.existsSync(file) || line === 0) return head
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  const from = Math.max(1, (message.firstLine ?? line) - 2)
  const to = Math.min(lines.length, line + 2)
  const around: string[] = []
  for (let number = from; number <= to; number++) {
    const marker = number === line ? '>' : ' '
    const text = lines[number - 1] ?? ''
    around.push(`${marker} ${String(number).padStart(5)} | ${text.length > 200 ? text.slice(0, 200) + '…' : text}`)
  }
  return `${head}\n${around.join('\n')}`
}

describe.skipIf(!available)('the sample site under the Nu Html Checker', () => {
  const sites = new Map<'published' | 'drafts', BuiltSite>()
  const messages = new Map<string, VnuMessage[]>()
  const files = new Map<string, string>()
  let canaryDir = ''
  let canary = ''

  beforeAll(async () => {
    // One after the other: both builds share ROOT/.cache.
    sites.set('published', await sampleSite())
    sites.set('drafts', await sampleSite({drafts: true}))

    // A page with one known error, checked in the same run: proves the
    // checker really ran and that its file URLs map back to our files.
    canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-vnu-'))
    canary = path.join(canaryDir, 'canary.html')
    fs.writeFileSync(canary, '<!doctype html>\n<html lang="en">\n<head><title>canary</title></head>\n<body>\n<p><div>block in a paragraph</div></p>\n</body>\n</html>\n')

    for (const [kind, site] of sites) {
      for (const relative of htmlFiles(site.site)) {
        files.set(path.join(site.site, relative), `${kind}:${relative}`)
      }
    }
    files.set(canary, 'canary')
    for (const file of files.keys()) messages.set(file, [])

    // vnu exits 1 when it finds errors; its JSON report is on stderr either way.
    const run = promisify(execFile)
    let report: string
    try {
      const done = await run('java', ['-jar', vnuJar, '--format', 'json', '--skip-non-html', ...files.keys()], {
        maxBuffer: 64 * 1024 * 1024
      })
      report = done.stderr
    } catch (error) {
      report = (error as {stderr?: string}).stderr ?? ''
      if (!report.trim().startsWith('{')) throw error
    }
    const parsed = JSON.parse(report) as {messages: VnuMessage[]}
    for (const message of parsed.messages) {
      const file = message.url?.startsWith('file:') ? fileURLToPath(message.url) : undefined
      const list = file ? messages.get(file) : undefined
      if (!list) throw new Error(`vnu reported on something we did not ask about: ${JSON.stringify(message)}`)
      list.push(message)
    }
  }, 240_000)

  afterAll(() => {
    removeBuiltSites()
    if (canaryDir) fs.rmSync(canaryDir, {recursive: true, force: true})
  })

  it('should see the known error of the canary page (the checker really ran)', () => {
    const found = messages.get(canary)!.filter((message) => message.type === 'error')
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]!.lastLine).toBe(5)
  })

  for (const kind of ['published', 'drafts'] as const) {
    it(`should find no errors in any page of the site built ${kind === 'drafts' ? 'with' : 'without'} --drafts`, () => {
      const site = sites.get(kind)!
      const pages = htmlFiles(site.site)
      // The sample site is not trivially small: posts, pages, tags, archive, newsletter, 404, a redirect.
      expect(pages.length).toBeGreaterThan(30)
      const problems: string[] = []
      for (const relative of pages) {
        const file = path.join(site.site, relative)
        for (const message of messages.get(file) ?? []) {
          if (message.type === 'error' || message.type === 'non-document-error') {
            problems.push(describeMessage(message, file, relative))
          }
        }
      }
      expect(problems.join('\n\n'), `${problems.length} errors`).toBe('')
    })

    it(`should give no warnings but the accepted ones (site built ${kind === 'drafts' ? 'with' : 'without'} --drafts)`, () => {
      const site = sites.get(kind)!
      const problems: string[] = []
      for (const relative of htmlFiles(site.site)) {
        const file = path.join(site.site, relative)
        for (const message of messages.get(file) ?? []) {
          if (message.type !== 'info' || message.subType !== 'warning') continue
          const accepted = acceptedWarnings.some((rule) => rule.page.test(relative) && rule.message.test(message.message))
          if (!accepted) problems.push(describeMessage(message, file, relative))
        }
      }
      expect(problems.join('\n\n'), `${problems.length} warnings`).toBe('')
    })
  }

  it('should check the draft post page when drafts are on', () => {
    expect(htmlFiles(sites.get('drafts')!.site)).toContain('posts/shadow-deployments/index.html')
    expect(htmlFiles(sites.get('published')!.site)).not.toContain('posts/shadow-deployments/index.html')
  })
})

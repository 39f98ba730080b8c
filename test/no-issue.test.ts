/**
 * Posts whose date puts them in no issue (before `newsletter.start`) or in
 * an issue that cannot go out yet (a month after today's): the setting, the
 * planning of issues, and what `check`, `build` and `issue` say about them.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest'
import {check} from '../src/pipeline/check.js'
import {main, type CliIo} from '../src/cli.js'
import {parseConfig, resolveConfig} from '../src/source/config.js'
import {collectIssues, createIssueContext} from '../src/email/issue.js'
import {noIssueListLimit, reportIssueCoverage} from '../src/email/coverage.js'
import {issue, NewsletterError} from '../src/pipeline/newsletter.js'
import type {Diagnostic} from '../src/source/report.js'
import {loadSite} from '../src/source/site.js'
import {fixtureConfig, loadFixtureSite} from './fixtures/email/site.js'
import {projectRoot, removeBuiltSites, tempSite} from './helpers/site.js'

/** 2024-07-15T00:00:00Z: "today" for every test that does not say otherwise. */
const july2024 = '1721001600'
const savedEpoch = process.env['SOURCE_DATE_EPOCH']
const roots: string[] = []

beforeEach(() => {
  process.env['SOURCE_DATE_EPOCH'] = july2024
})
afterEach(() => {
  if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH']
  else process.env['SOURCE_DATE_EPOCH'] = savedEpoch
})
afterAll(() => {
  for (const dir of roots.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
  removeBuiltSites()
})

/**
 * A ROOT on disk to check (the shared helpers build their sites and do not
 * hand out the ROOT, which `check` and `issue` need).
 */
function writeRoot(posts: Record<string, string>, config = ''): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-no-issue-'))
  roots.push(root)
  for (const [relative, content] of Object.entries(posts)) {
    const file = path.join(root, 'posts', relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  if (config) fs.writeFileSync(path.join(root, 'letterpress.yml'), config)
  return root
}

function post(title: string, date: string, extra = ''): string {
  return `---\ntitle: ${title}\ndate: ${date}\n${extra}---\n\nA note on ${title.toLowerCase()} and the feature store behind it.\n`
}

const startConfig = 'title: Batch Notes\nbaseUrl: https://batch.example/\nnewsletter:\n  start: 2024-06\n'

/** Posts around a June 2024 start, with "today" in July 2024. */
const startPosts: Record<string, string> = {
  // In no issue: dated May, before the start.
  'old-retraining.md': post('Old retraining', '2024-05-20'),
  // MkDocs Material's date mapping: still reported at its `date:` key.
  'mapped-dates.md': '---\ntitle: Mapped dates\ntags: [ops]\ndate:\n  created: 2024-04-02\n---\n\nLabel drift, counted weekly.\n',
  // Quiet: for the web only, a page, a draft.
  'web-only.md': post('Web only', '2024-05-21', 'email: false\n'),
  'about.md': '---\ntitle: About\npage: true\n---\n\nWho writes this.\n',
  'draft-idea.md': post('Draft idea', '2024-05-22', 'draft: true\n'),
  // In the first issue (June) and the second (July): quiet.
  'june-rollout.md': post('June rollout', '2024-06-03'),
  'july-canary.md': post('July canary', '2024-07-09'),
  // In September's issue, which cannot go out in July.
  'september-plan.md': post('September plan', '2024-09-02')
}

function ours(list: readonly Diagnostic[]): Diagnostic[] {
  return list.filter((entry) => entry.rule === 'post-no-issue' || entry.rule === 'post-future-issue')
}

function cliIo(): {io: CliIo; out: () => string; err: () => string} {
  let out = ''
  let err = ''
  return {
    io: {
      stdout: (text) => void (out += text),
      stderr: (text) => void (err += text),
      stdin: async () => new Uint8Array()
    },
    out: () => out,
    err: () => err
  }
}

describe('newsletter.start in letterpress.yml', () => {
  it('should accept a month and default to none', () => {
    const file = new VFile({path: 'letterpress.yml'})
    const user = parseConfig(startConfig, file)
    expect(file.messages).toEqual([])
    expect(resolveConfig('/site', user).newsletter.start).toBe('2024-06')
    expect(resolveConfig('/site', {}).newsletter.start).toBeUndefined()
  })

  it.each([
    ['2024-13', 'not a month'],
    ['2024-6', 'one-digit month'],
    ['2024-06-01', 'a day'],
    ['2024', 'a number to YAML'],
    ['June 2024', 'words']
  ])('should reject %s (%s) as a config error at its line and column', (value) => {
    const file = new VFile({path: 'letterpress.yml'})
    parseConfig(`title: Batch Notes\nnewsletter:\n  name: Batch\n  start: ${value}\n`, file)
    expect(file.messages).toHaveLength(1)
    const [message] = file.messages
    expect(message!.fatal).toBe(true)
    expect(message!.ruleId).toBe('config-invalid')
    expect([message!.line, message!.column]).toEqual([4, 10])
    expect(message!.reason).toContain('newsletter.start')
    expect(message!.reason).toContain('YYYY-MM')
  })

  it('should make `check` fail on a bad start, at the setting', async () => {
    const root = writeRoot({'a.md': post('A', '2024-06-01')}, 'newsletter:\n  start: 2024-00\n')
    const result = await check({root})
    expect(result.errors).toBe(1)
    expect(result.diagnostics).toEqual([
      expect.objectContaining({file: 'letterpress.yml', line: 2, column: 10, severity: 'error', rule: 'config-invalid'})
    ])
  })
})

describe('collectIssues with newsletter.start', () => {
  it('should plan no issue before the start and number issues from it', async () => {
    const all = collectIssues(await loadFixtureSite(), {sourceDateEpoch: undefined})
    expect(all.map((plan) => [plan.month, plan.number])).toEqual([
      ['2026-05', 1],
      ['2026-06', 2]
    ])
    const site = await loadFixtureSite({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, start: '2026-06'}})
    expect(collectIssues(site, {sourceDateEpoch: undefined}).map((plan) => [plan.month, plan.number])).toEqual([['2026-06', 1]])
  })

  it('should plan every month when the start is before the first post', async () => {
    const site = await loadFixtureSite({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, start: '2020-01'}})
    expect(collectIssues(site).map((plan) => [plan.month, plan.number])).toEqual([
      ['2026-05', 1],
      ['2026-06', 2]
    ])
  })

  it('should say why an editorial note for a month before the start is not used', async () => {
    const site = await loadFixtureSite({...fixtureConfig, newsletter: {...fixtureConfig.newsletter, start: '2026-06'}})
    const context = await createIssueContext(site)
    const may = context.notes.get('2026-05')
    expect(may).toBeDefined()
    collectIssues(site, {notes: context.notes})
    const unused = may!.file.messages.filter((message) => message.ruleId === 'issue-note-unused')
    expect(unused.map((message) => message.reason)).toEqual([
      'Issue note for 2026-05, but issues start at 2026-06 (`newsletter.start`): it is not used'
    ])
  })

  it('should build issues from the start on, numbered from 1', async () => {
    // --future: the September post is dated after "today" (July 2024), and published only with it.
    const built = await tempSite(startPosts, startConfig, {future: true})
    const months = fs.readdirSync(path.join(built.out, 'email')).sort()
    expect(months).toEqual(['2024-06', '2024-07', '2024-09'])
    const june = JSON.parse(fs.readFileSync(path.join(built.out, 'email', '2024-06', 'issue.json'), 'utf8'))
    expect([june.month, june.number]).toEqual(['2024-06', 1])
    expect(fs.existsSync(path.join(built.site, 'newsletter', '2024-05'))).toBe(false)
    // The web side is untouched: the May post and the September post are published.
    expect(fs.existsSync(path.join(built.site, 'posts', 'old-retraining', 'index.html'))).toBe(true)
    expect(fs.existsSync(path.join(built.site, 'posts', 'september-plan', 'index.html'))).toBe(true)
  })
})

describe('check: posts in no issue, posts in a future issue', () => {
  it('should warn at the date line of each post before the start and each post in a future month', async () => {
    const result = await check({root: writeRoot(startPosts, startConfig), future: true})
    expect(result.errors).toBe(0)
    const found = ours(result.diagnostics)
    expect(found.map((entry) => [entry.file, entry.line, entry.column, entry.severity, entry.rule])).toEqual([
      ['posts/mapped-dates.md', 4, 1, 'warning', 'post-no-issue'],
      ['posts/old-retraining.md', 3, 1, 'warning', 'post-no-issue'],
      ['posts/september-plan.md', 3, 1, 'warning', 'post-future-issue']
    ])
    const [mapped, old, september] = found
    expect(mapped!.message).toContain('Dated 2024-04')
    expect(old!.message).toBe(
      'Dated 2024-05, before `newsletter.start`: this post is in no issue, as issues start at 2024-06; ' +
        'add `email: false` if it is for the web only, or set an earlier `newsletter.start`'
    )
    expect(september!.message).toBe(
      'Dated 2024-09-02, after the current month (2024-07): its issue 2024-09 cannot go out before 2024-09; ' +
        'built with --future, the web site publishes the post now'
    )
  })

  it('should say nothing about dates when there is no start and nothing is in the future', async () => {
    process.env['SOURCE_DATE_EPOCH'] = String(Date.UTC(2030, 0, 1) / 1000)
    const result = await check({root: writeRoot(startPosts, 'title: Batch Notes\n')})
    expect(ours(result.diagnostics)).toEqual([])
  })

  it('should report future posts only in a month after today, by SOURCE_DATE_EPOCH', async () => {
    process.env['SOURCE_DATE_EPOCH'] = String(Date.UTC(2024, 8, 30, 23, 59) / 1000)
    const result = await check({root: writeRoot(startPosts, startConfig), future: true})
    expect(ours(result.diagnostics).filter((entry) => entry.rule === 'post-future-issue')).toEqual([])
  })

  it('should take today from the clock when SOURCE_DATE_EPOCH is not set, or from `now`', async () => {
    delete process.env['SOURCE_DATE_EPOCH']
    const root = writeRoot({'far.md': post('Far', '2999-01-01')})
    const site = await loadSite(resolveConfig(root, {}, {future: true}))
    const configFile = new VFile({path: 'letterpress.yml'})
    expect(reportIssueCoverage(site, configFile).future.map((entry) => entry.slug)).toEqual(['far'])
    expect(reportIssueCoverage(site, configFile, {now: new Date(2999, 0, 15)}).future).toEqual([])
    // Called again, it adds nothing twice.
    expect(site.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'post-future-issue')).toHaveLength(1)
  })

  it(`should list at most ${noIssueListLimit} posts one by one, the nearest the start, and count the rest at the setting`, async () => {
    const posts: Record<string, string> = {}
    // 25 posts, one a week from 2023-12-04 to 2024-05-20.
    for (let week = 0; week < 25; week++) {
      const date = new Date(Date.UTC(2023, 11, 4 + 7 * week)).toISOString().slice(0, 10)
      posts[`archive/${date}-note.md`] = post(`Note ${week}`, date)
    }
    posts['june.md'] = post('June', '2024-06-10')
    const result = await check({root: writeRoot(posts, startConfig)})
    const found = ours(result.diagnostics)
    expect(found).toHaveLength(noIssueListLimit + 1)
    const listed = found.filter((entry) => entry.file.startsWith('posts/'))
    expect(listed).toHaveLength(noIssueListLimit)
    // The 5 oldest (2023-12-04 ... 2024-01-01) are counted, not listed.
    expect(listed.map((entry) => entry.file).sort()[0]).toBe('posts/archive/2024-01-08-note.md')
    const summary = found.find((entry) => entry.file === 'letterpress.yml')
    expect(summary).toEqual({
      file: 'letterpress.yml',
      line: 4,
      column: 10,
      severity: 'warning',
      rule: 'post-no-issue',
      message:
        '5 more posts, dated 2023-12 to 2024-01, are in no issue, as issues start at 2024-06; ' +
        `only the ${noIssueListLimit} dated nearest 2024-06 are listed one by one. ` +
        'Add `email: false` to them if they are for the web only, or set an earlier `newsletter.start`'
    })
  })

  it('should print the warnings in the JSON format and the text format, and exit 0', async () => {
    const root = writeRoot(startPosts, startConfig)
    const json = cliIo()
    expect(await main(['check', '--root', root, '--format', 'json', '--future'], json.io)).toBe(0)
    const list: unknown = JSON.parse(json.out())
    expect(Array.isArray(list)).toBe(true)
    const entries = ours(list as Diagnostic[])
    expect(entries).toHaveLength(3)
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual(['column', 'file', 'line', 'message', 'rule', 'severity'])
    }
    expect(entries[1]).toEqual({
      file: 'posts/old-retraining.md',
      line: 3,
      column: 1,
      severity: 'warning',
      rule: 'post-no-issue',
      message: expect.stringContaining('issues start at 2024-06')
    })

    const text = cliIo()
    expect(await main(['check', '--root', root, '--future'], text.io)).toBe(0)
    expect(text.out()).toMatch(/^posts\/old-retraining\.md:3:1 {2}warning {2}Dated 2024-05, .* {2}post-no-issue$/m)
    expect(text.out()).toMatch(/^posts\/september-plan\.md:3:1 {2}warning {2}Dated 2024-09-02, .* {2}post-future-issue$/m)
  })

  it('should make the warnings errors under --strict', async () => {
    const result = await check({root: writeRoot(startPosts, startConfig), strict: true})
    expect(ours(result.diagnostics).every((entry) => entry.severity === 'error')).toBe(true)
    expect(result.errors).toBeGreaterThanOrEqual(3)
  })

  it('should report them even when another error stops the issues from being built', async () => {
    const root = writeRoot({...startPosts, 'undated.md': '---\ntitle: Undated\n---\n\nNo date here.\n'}, startConfig)
    const result = await check({root, future: true})
    expect(result.diagnostics.some((entry) => entry.rule === 'date-missing')).toBe(true)
    expect(ours(result.diagnostics)).toHaveLength(3)
  })

  it('should find nothing to say about the sample site', async () => {
    // "Today" is the clock (or the environment's SOURCE_DATE_EPOCH), as for an author.
    if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH']
    else process.env['SOURCE_DATE_EPOCH'] = savedEpoch
    const result = await check({root: projectRoot})
    expect(result.errors).toBe(0)
    expect(ours(result.diagnostics)).toEqual([])
  })

  it('should be reported by build too', async () => {
    const built = await tempSite(startPosts, startConfig, {future: true})
    expect(ours(built.result.diagnostics).map((entry) => [entry.file, entry.line, entry.rule])).toEqual([
      ['posts/mapped-dates.md', 4, 'post-no-issue'],
      ['posts/old-retraining.md', 3, 'post-no-issue'],
      ['posts/september-plan.md', 3, 'post-future-issue']
    ])
  })
})

describe('issue YYYY-MM before newsletter.start', () => {
  it('should be a usage error, like a month without posts, naming the start', async () => {
    const root = writeRoot(startPosts, startConfig)
    await expect(issue({root, month: '2024-05'})).rejects.toThrow(NewsletterError)

    const before = cliIo()
    expect(await main(['issue', '2024-05', '--root', root], before.io)).toBe(2)
    expect(before.err()).toBe(
      'letterpress: No issue for 2024-05: issues start at 2024-06 (`newsletter.start` in letterpress.yml); ' +
        'set an earlier `newsletter.start` to build it\n'
    )
    const empty = cliIo()
    expect(await main(['issue', '2024-08', '--root', root], empty.io)).toBe(2)
    expect(empty.err()).toMatch(/^letterpress: No issue for 2024-08: /)
    expect(fs.existsSync(path.join(root, 'dist', 'email', '2024-05'))).toBe(false)
  })

  it('should still build the first month from the start, as issue 1', async () => {
    const root = writeRoot(startPosts, startConfig)
    const result = await issue({root, month: '2024-06'})
    expect(result.errors).toBe(0)
    expect(result.issue?.summary.number).toBe(1)
    expect(result.issue?.summary.posts.map((entry) => entry.slug)).toEqual(['june-rollout'])
  })
})

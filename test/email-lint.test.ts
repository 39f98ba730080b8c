import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {check} from '../src/pipeline/check.js'
import {buildIssue, createIssueContext} from '../src/email/issue.js'
import {lintEmailHtml, type EmailLintFinding} from '../src/email/lint.js'
import {fixtureConfig, fixtureRoot, loadFixtureSite} from './fixtures/email/site.js'

const temporary: string[] = []
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, {recursive: true, force: true})
})

/** `rule line:column` of each finding, for compact expectations. */
function brief(findings: EmailLintFinding[]): string[] {
  return findings.map((finding) => `${finding.rule} ${finding.line}:${finding.column}`)
}

/** A minimal, clean email document around `body`. */
function documentWith(body: string, head = ''): string {
  return `<!doctype html>\n<html>\n<head>\n<title>Issue</title>${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`
}

describe('lintEmailHtml', () => {
  it('should find nothing in email-safe HTML', () => {
    const html = documentWith(
      [
        '<table role="presentation" width="100%"><tr><td style="padding:0 24px;display:block;color:#1f2328">',
        '<p>A <a href="https://notes.example/posts/x/">post</a>, a <a href="mailto:tove@notes.example">reply</a>.</p>',
        '<img src="https://notes.example/assets/p.png" width="552" alt="">',
        '<a href="{{unsubscribe_url}}">Unsubscribe</a> <a href="{{ list.unsubscribe }}">Leave</a>',
        '<!--[if mso]><v:rect style="position:absolute" href="x.png"></v:rect><![endif]-->',
        '</td></tr></table>'
      ].join('\n'),
      '<style>@media (max-width:480px){.lp-content pre{font-size:12px!important}} /* display:flex */</style>'
    )
    expect(lintEmailHtml(html)).toEqual([])
  })

  it('should report each element email clients drop, at its line and column', () => {
    const names = ['details', 'summary', 'script', 'svg', 'math', 'iframe', 'form', 'input', 'object', 'embed']
    const body = names.map((name) => (name === 'input' || name === 'embed' ? `  <${name}>` : `  <${name}></${name}>`)).join('\n')
    const findings = lintEmailHtml(documentWith(body))
    expect(findings.map((finding) => finding.rule)).toEqual(names.map(() => 'email-element'))
    expect(findings.map((finding) => finding.message.match(/^`<(\w+)>`/)?.[1])).toEqual(names)
    // The body starts on line 7, each element on its own line, two spaces in.
    expect(findings.map((finding) => `${finding.line}:${finding.column}`)).toEqual(names.map((_, index) => `${7 + index}:3`))
  })

  it('should report event-handler attributes at the attribute', () => {
    const findings = lintEmailHtml('<p>Hi <a href="https://a.example/" onclick="go()">there</a></p>\n<img src="https://a.example/i.png" width="10" alt="" onerror="x()">')
    expect(brief(findings)).toEqual(['email-event-handler 1:36', 'email-event-handler 2:54'])
    expect(findings[0]!.message).toContain('`onclick`')
  })

  it('should report flex and grid layout in style attributes and style blocks, at the declaration', () => {
    const html = [
      '<html><head><style>',
      '.a{color:red}',
      '.row { display: flex }',
      '.grid{display:inline-grid}',
      '</style></head><body>',
      '<div style="color:red;display:flex">x</div>',
      "<div style='DISPLAY : grid'>y</div>",
      '<div style="display:inline-flex">z</div>',
      '<div style="display:block">fine</div>',
      '</body></html>'
    ].join('\n')
    const findings = lintEmailHtml(html)
    expect(brief(findings)).toEqual([
      'email-css-layout 3:8',
      'email-css-layout 4:7',
      'email-css-layout 6:23',
      'email-css-layout 7:13',
      'email-css-layout 8:13'
    ])
    expect(findings[0]!.message).toMatch(/`display:flex` in a `<style>` block/)
    expect(findings[2]!.message).toMatch(/`display:flex` in the `style` of `<div>`/)
  })

  it('should report fixed and absolute positioning, but not relative or static', () => {
    const html = '<div style="position:fixed;top:0">a</div><div style="position: absolute">b</div><div style="position:relative">c</div>'
    expect(brief(lintEmailHtml(html))).toEqual(['email-css-position 1:13', 'email-css-position 1:54'])
    const block = lintEmailHtml('<style>\n.x{position:absolute}\n</style>')
    expect(brief(block)).toEqual(['email-css-position 2:4'])
  })

  it('should still find a declaration hidden behind a character reference, at its attribute', () => {
    const findings = lintEmailHtml('<div style="display&#58;flex">x</div>')
    expect(brief(findings)).toEqual(['email-css-layout 1:6'])
  })

  it('should report relative and non-web URLs in href, src, background, srcset and url()', () => {
    const html = [
      '<a href="/posts/x/">site path</a>',
      '<a href="#top">anchor</a>',
      '<a href="javascript:alert(1)">script</a>',
      '<img src="assets/p.png" width="10" alt="">',
      '<table background="bg.png"><tr><td>x</td></tr></table>',
      '<img src="https://a.example/1x.png" srcset="https://a.example/2x.png 2x, data:image/png;base64,AAAA 3x" width="10" alt="">',
      '<div style="background-image:url(\'/bg.png\')">x</div>',
      '<a href="ftp://files.example/x">ftp</a>',
      '<a href="//cdn.example/x">protocol-relative</a>',
      '<a href="">empty</a>'
    ].join('\n')
    const findings = lintEmailHtml(html)
    expect(brief(findings)).toEqual([
      'email-url 1:4',
      'email-url 2:4',
      'email-url 3:4',
      'email-url 4:6',
      'email-url 5:8',
      'email-url 6:37',
      'email-url 7:30',
      'email-url 8:4',
      'email-url 9:4',
      'email-url 10:4'
    ])
    expect(findings[0]!.message).toMatch(/`href` of `<a>` `\/posts\/x\/` is relative/)
    expect(findings[2]!.message).toMatch(/uses `javascript:`/)
    expect(findings[5]!.message).toMatch(/`srcset` of `<img>` `data:image/)
  })

  it('should accept configured placeholders as URLs', () => {
    const html = '<a href="*|UNSUB|*">Leave</a>'
    expect(brief(lintEmailHtml(html))).toEqual(['email-url 1:4'])
    expect(lintEmailHtml(html, {placeholders: ['*|UNSUB|*']})).toEqual([])
  })

  it('should report images without width or alt (an empty alt is fine)', () => {
    const html = [
      '<img src="https://a.example/a.png" alt="A chart">',
      '<img src="https://a.example/b.png" width="300">',
      '<img src="https://a.example/c.png" width="" alt="">',
      '<img src="https://a.example/d.png" width="300" alt="">'
    ].join('\n')
    const findings = lintEmailHtml(html)
    expect(brief(findings)).toEqual(['email-img-width 1:1', 'email-img-alt 2:1', 'email-img-width 3:1'])
    expect(findings[0]!.message).toContain('https://a.example/a.png')
  })

  it('should count lines the way editors do, whatever the line endings', () => {
    const findings = lintEmailHtml('<p>one</p>\r\n<p>two</p>\r<p>three</p>\n  <details></details>')
    expect(brief(findings)).toEqual(['email-element 4:3'])
  })
})

describe('the lint in the issue build', () => {
  it('should find nothing in the issues the built-in templates make', async () => {
    const site = await loadFixtureSite()
    const context = await createIssueContext(site)
    for (const month of ['2026-05', '2026-06']) {
      const build = await buildIssue(site, month, context)
      expect(build.lint).toEqual([])
      expect(lintEmailHtml(String(build.files.get('issue.html')))).toEqual([])
    }
    expect([...context.templateFiles.values()].flatMap((file) => file.messages)).toEqual([])
  })

  it('should put what a template adds into issue.json and onto the template line that holds it, and `check` should show it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-email-lint-'))
    temporary.push(root)
    fs.cpSync(fixtureRoot, root, {recursive: true})
    fs.mkdirSync(path.join(root, 'templates/email/partials'), {recursive: true})
    fs.writeFileSync(
      path.join(root, 'templates/email/partials/footer.mjml.liquid'),
      '<mj-section><mj-column><mj-text>\n  <a href="/about/">About us</a> <a href="{{ footer.unsubscribeUrl | raw }}">Leave</a>\n</mj-text></mj-column></mj-section>\n'
    )
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const context = await createIssueContext(site)
    const build = await buildIssue(site, '2026-05', context)
    expect(build.lint).toEqual([expect.objectContaining({rule: 'email-url', message: expect.stringContaining('`/about/` is relative')})])
    const {line, column} = build.lint[0]!
    const html = String(build.files.get('issue.html'))
    expect(html.split('\n')[line - 1]!.slice(column - 1)).toMatch(/^href="\/about\/"/)
    const footer = 'templates/email/partials/footer.mjml.liquid'
    expect(build.summary.warnings).toContainEqual({
      rule: 'email-url',
      message: expect.stringMatching(new RegExp(`^Issue 2026-05, issue\\.html ${line}:${column}: `)),
      file: footer,
      line: 2
    })
    expect(JSON.parse(String(build.files.get('issue.json'))).warnings).toEqual(build.summary.warnings)
    const messages = () =>
      [...context.templateFiles.values()].flatMap((file) => file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.ruleId}`))
    expect(messages()).toEqual([`${footer}:2:6 email-url`])
    // Building again reports nothing twice.
    await buildIssue(site, '2026-05', context)
    expect(messages()).toHaveLength(1)

    const checked = await check({root})
    expect(checked.diagnostics).toContainEqual({
      file: footer,
      line: 2,
      column: 6,
      severity: 'warning',
      rule: 'email-url',
      message: expect.stringContaining('`/about/` is relative')
    })
  })

  it('should point at the main template when no template line holds what was found', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-email-lint-'))
    temporary.push(root)
    fs.cpSync(fixtureRoot, root, {recursive: true})
    fs.mkdirSync(path.join(root, 'templates/email/partials'), {recursive: true})
    // The relative URL comes from a variable: no template holds it literally.
    fs.writeFileSync(
      path.join(root, 'templates/email/partials/footer.mjml.liquid'),
      '<mj-section><mj-column><mj-text><a href="{{ issue.month }}/">Archive</a> <a href="{{ footer.unsubscribeUrl | raw }}">Leave</a></mj-text></mj-column></mj-section>\n'
    )
    const site = await loadFixtureSite(fixtureConfig, {}, root)
    const context = await createIssueContext(site)
    const build = await buildIssue(site, '2026-05', context)
    expect(build.lint).toEqual([expect.objectContaining({rule: 'email-url', message: expect.stringContaining('`2026-05/` is relative')})])
    expect(context.lintFile.path).toBe(fileURLToPath(new URL('../templates/email/issue.mjml.liquid', import.meta.url)))
    expect(context.lintFile.messages.map((message) => [message.line, message.ruleId])).toEqual([[1, 'email-url']])
  })
})

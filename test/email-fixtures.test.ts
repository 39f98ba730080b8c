/**
 * Fixture cases for the email renderer: each folder of
 * test/fixtures/email/cases holds `input.md` and the expected `email.html`
 * (the body fragment) and `email.txt` (the plain-text part). Regenerate with
 * `UPDATE_EMAIL_FIXTURES=1 npx vitest run test/email-fixtures.test.ts`, then
 * review the diff: never regenerate blindly.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'
import {renderEmailHtml} from '../src/email/render.js'
import {renderEmailText} from '../src/email/text.js'
import {createHighlight, type Highlight} from '../src/render/highlight.js'
import {parsePost} from './fixtures/email/site.js'

const casesDir = fileURLToPath(new URL('./fixtures/email/cases/', import.meta.url))
const update = process.env['UPDATE_EMAIL_FIXTURES'] === '1'
const options = {baseUrl: 'https://notes.example/', pageUrl: 'https://notes.example/posts/case/', utm: {source: 'letter', medium: 'email', campaign: '2026-05'}}
let highlight: Highlight

beforeAll(async () => {
  highlight = await createHighlight()
})

describe('email fixtures', () => {
  for (const name of fs.readdirSync(casesDir).sort()) {
    const dir = path.join(casesDir, name)
    it(`should render ${name} as expected`, async () => {
      const {tree} = await parsePost(fs.readFileSync(path.join(dir, 'input.md'), 'utf8'), `2026/05/${name}.md`)
      await highlight.prepare([tree])
      const html = renderEmailHtml(tree, {...options, highlight}) + '\n'
      const text = renderEmailText(tree, options) + '\n'
      if (update) {
        fs.writeFileSync(path.join(dir, 'email.html'), html)
        fs.writeFileSync(path.join(dir, 'email.txt'), text)
      }
      expect(html).toBe(fs.readFileSync(path.join(dir, 'email.html'), 'utf8'))
      expect(text).toBe(fs.readFileSync(path.join(dir, 'email.txt'), 'utf8'))
    })
  }
})

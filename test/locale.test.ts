/**
 * The site's `language` chooses the words of the web theme and the email:
 * every shipped table is complete (the keys and placeholders of English),
 * a region falls back to its language then to English, an unknown
 * language or string key is a warning at its config line, `strings:`
 * overrides a word, and the sample site built in German and in French
 * shows those words where a reader sees them (home page, a post, the 404
 * page, an issue and its text part). English output is pinned byte for
 * byte by output-stability.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {createLiquidFolders, TemplateError} from '../src/render/liquid.js'
import {loadConfig} from '../src/source/config.js'
import {createStrings, en, placeholders, pluralCategories, shippedTables, tablesFor} from '../src/source/strings/index.js'
import {projectRoot} from './helpers/site.js'
import {messageLines, tempRoots} from './helpers/files.js'

const {root, remove} = tempRoots('locale')
afterAll(remove)
const messages = messageLines

const post = '---\ntitle: First light\ndate: 2026-03-01\ntags: [kiln]\n---\n\nThe kiln reached cone six.\n\n<!-- more -->\n\nMore.\n'

describe('the shipped tables', () => {
  const english = Object.keys(en).sort()

  for (const [language, table] of Object.entries(shippedTables)) {
    it(`${language} has every key of English with the same placeholders`, () => {
      expect(Object.keys(table).sort()).toEqual(english)
      for (const key of english) {
        const message = table[key]!
        expect(placeholders(message), `${language} ${key}`).toEqual(placeholders(en[key as keyof typeof en]))
        if (typeof message !== 'string') {
          expect(message.other, `${language} ${key} has an \`other\` form`).toBeTypeOf('string')
          for (const category of Object.keys(message)) expect(pluralCategories).toContain(category)
        }
        // A string English gives a count to takes plural forms; the others are one text.
        expect(typeof message === 'string', `${language} ${key}: text or plural forms as in English`).toBe(typeof en[key as keyof typeof en] === 'string')
      }
    })
  }
})

describe('choosing a table', () => {
  it('falls back from a region to its language, then to English', () => {
    expect(tablesFor('de-AT')).toEqual([shippedTables['de'], en])
    expect(tablesFor('fr_CA')).toEqual([shippedTables['fr'], en])
    expect(tablesFor('xx')).toEqual([en])
    expect(createStrings('de-AT').text('site.skipLink')).toBe('Zum Inhalt springen')
    expect(createStrings('xx').text('site.skipLink')).toBe('Skip to content')
  })

  it('chooses the plural form by Intl.PluralRules and fills named placeholders', () => {
    const de = createStrings('de')
    expect(de.text('term.postCount', {count: 1})).toBe('1 Beitrag')
    expect(de.text('term.postCount', {count: 5})).toBe('5 Beiträge')
    expect(createStrings('fr').text('term.postCount', {count: 0})).toBe('0 article')
    expect(createStrings('en').text('pagination.status', {page: 2, pages: 7})).toBe('Page 2 of 7')
  })

  it('takes a site override over the table, and English where the override has no key', () => {
    const strings = createStrings('en', {'post.minutesRead': {one: 'minute read', other: 'minutes read'}})
    expect(strings.text('post.minutesRead', {count: 1})).toBe('minute read')
    expect(strings.text('post.minutesRead', {count: 5})).toBe('minutes read')
    expect(strings.text('post.next')).toBe('Next')
  })
})

describe('the `t` filter', () => {
  it('escapes the words and values in HTML, keeps the markup of `Html` values, and leaves text alone', async () => {
    const dir = root({
      'page.liquid': "{% capture linkHtml %}<a href=\"/x\">{{ title }}</a>{% endcapture %}<p>{{ 'redirect.body' | t: linkHtml: linkHtml }} {{ 'redirect.title' | t: title: title }}</p>",
      'page.txt.liquid': "{{ 'redirect.title' | t: title: title }}"
    })
    const folders = createLiquidFolders({dirs: [dir], strings: createStrings('en')})
    expect(await folders.render('page', {title: 'Tom & Jerry'}, 'test')).toBe(
      '<p>This page has moved to <a href="/x">Tom &amp; Jerry</a>. Moved: Tom &amp; Jerry</p>'
    )
    expect(await folders.render('page.txt', {title: 'Tom & Jerry'}, 'test', {escape: false})).toBe('Moved: Tom & Jerry')
  })

  it('fails at its template line on an unknown key', async () => {
    const dir = root({'page.liquid': "<p>\n{{ 'post.nxt' | t }}</p>"})
    const error = await createLiquidFolders({dirs: [dir]}).render('page', {}, 'test').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TemplateError)
    expect((error as TemplateError).line).toBe(2)
    expect((error as TemplateError).reason).toContain('Unknown string `post.nxt`')
  })
})

describe('the config', () => {
  it('warns at the line of a language without a table, and of an unknown or ill-formed string', async () => {
    const dir = root({
      'letterpress.yml': [
        'title: Kiln notes',
        'language: xx',
        'strings:',
        '  post.continueReading: Read on',
        '  post.contineReading: Read on',
        "  pagination.status: 'Page {page} of {total}'",
        '  list.empty: {one: nothing, other: nothing}',
        ''
      ].join('\n')
    })
    const {config, file} = await loadConfig(dir)
    expect(messages(file)).toEqual([
      '5:24 config-string-invalid Unknown string `post.contineReading`: did you mean `post.continueReading`? (in `strings:` of letterpress.yml); it is not used',
      '6:22 config-string-invalid String `pagination.status` uses `{total}`, which it is not given; its placeholders: `{page}`, `{pages}` (in `strings:` of letterpress.yml); it is not used',
      '7:15 config-string-invalid String `list.empty` is not given a count: write it as one text, not as plural forms (in `strings:` of letterpress.yml); it is not used',
      '2:11 config-language-unknown No strings for language `xx` (in letterpress.yml): the theme and the email use English words; letterpress ships en, de and fr, and `strings:` can give the words of any other language'
    ])
    expect(file.messages.every((message) => !message.fatal)).toBe(true)
    expect(config.strings).toEqual({'post.continueReading': 'Read on'})
  })

  it('takes a region of a shipped language without a warning', async () => {
    const {file} = await loadConfig(root({'letterpress.yml': 'title: Kiln notes\nlanguage: de-AT\n'}))
    expect(messages(file)).toEqual([])
  })
})

describe('a small site', () => {
  it('shows its own `strings:` and, in an unknown language, English words', async () => {
    const dir = root({
      'letterpress.yml': 'title: Kiln notes\nbaseUrl: https://kiln.example/\nlanguage: xx\nstrings:\n  post.continueReading: Read on\n',
      'posts/first-light.md': post
    })
    const out = path.join(dir, 'out')
    const result = await build({root: dir, outDir: out})
    expect(result.diagnostics.map((entry) => entry.rule)).toContain('config-language-unknown')
    const home = fs.readFileSync(path.join(out, 'site', 'index.html'), 'utf8')
    expect(home).toContain('<html lang="xx">')
    expect(home).toContain('>Read on<span class="visually-hidden">')
    expect(home).toContain('>Skip to content<')
  })
})

/** The sample site, its config's `language` set to `language`, built into a temporary folder. */
async function sampleIn(language: string): Promise<string> {
  if (!fs.existsSync(path.join(projectRoot, 'posts')) || !fs.existsSync(path.join(projectRoot, 'letterpress.yml'))) return ''
  const dir = root({})
  fs.cpSync(path.join(projectRoot, 'posts'), path.join(dir, 'posts'), {recursive: true})
  const config = fs.readFileSync(path.join(projectRoot, 'letterpress.yml'), 'utf8').replace(/^language: .*$/m, `language: ${language}`)
  fs.writeFileSync(path.join(dir, 'letterpress.yml'), config)
  const out = path.join(dir, 'out')
  const result = await build({root: dir, outDir: out})
  expect(result.errors).toBe(0)
  return out
}

/** The issues the sample built, by month. */
function issueMonths(out: string): string[] {
  return fs.readdirSync(path.join(out, 'email')).sort()
}

describe.each([
  {
    language: 'de',
    home: ['<html lang="de">', '>Zum Inhalt springen<', '&nbsp;Min. Lesezeit<', '>Weiterlesen<span', '>Ältere Beiträge <', 'Seite 1 von 2', '>Per E-Mail abonnieren<', 'aria-label="Schlagwörter"'],
    post: ['>Auf dieser Seite</summary>', 'data-table="Tabelle" data-table-of="Tabelle: {columns}"', 'aria-label="Permalink zu dieser Überschrift"', '>Fußnoten</h2>', 'aria-label="Zurück zum Verweis 1"', '<span class="authors">Von Tove Marlow, Ravi Anand</span>', '>Vorheriger</span>', '>Nächster</span>'],
    notFound: ['<title>Seite nicht gefunden</title>', '>Fehler 404<', 'Versuchen Sie es mit den <a href="/">neuesten Beiträgen</a> oder dem <a href="/archive/">Archiv</a>.'],
    email: ['Ausgabe 2 &middot;', '>Im Browser ansehen</a>', 'Außerdem in diesem Monat', '>Abbestellen</a>', 'Sie erhalten Shadow Traffic, weil Sie sich auf <a'],
    text: ['Ausgabe 2 · September 2026\nIm Browser ansehen: https://', '\nAUSSERDEM IN DIESEM MONAT\n', '\nIm Web lesen: https://', '\nAbbestellen: ', ' Min. Lesezeit\n']
  },
  {
    language: 'fr',
    home: ['<html lang="fr">', '>Aller au contenu<', '&nbsp;min de lecture<', '>Lire la suite<span', '>Articles plus anciens <', 'Page 1 sur 2', "S'abonner par courriel"],
    post: ['>Sur cette page</summary>', 'data-table="Tableau" data-table-of="Tableau\u00a0: {columns}"', 'aria-label="Lien permanent vers ce titre"', '>Notes de bas de page</h2>', '>Précédent</span>', '>Suivant</span>'],
    notFound: ['<title>Page introuvable</title>', '>Erreur 404<', 'Essayez les <a href="/">derniers articles</a> ou les <a href="/archive/">archives</a>.'],
    email: ['Numéro 2 &middot;', '>Voir dans le navigateur</a>', 'Aussi ce mois-ci', '>Se désabonner</a>', 'Vous recevez Shadow Traffic car vous vous êtes abonné sur <a'],
    text: ['Numéro 2 · septembre 2026\nVoir dans votre navigateur : https://', '\nAUSSI CE MOIS-CI\n', '\nLire sur le web : https://', '\nSe désabonner : ', ' min de lecture\n']
  }
])('the sample site in $language', ({language, home, post, notFound, email, text}) => {
  let out = ''
  const read = (relative: string) => fs.readFileSync(path.join(out, ...relative.split('/')), 'utf8')

  it('builds', {timeout: 240_000}, async () => {
    out = await sampleIn(language)
  })

  it('shows the language’s words on the home page, a post and the 404 page', ({skip}) => {
    if (!out) skip()
    const homeHtml = read('site/index.html')
    for (const expected of home) expect(homeHtml).toContain(expected)
    expect(homeHtml).not.toMatch(/Skip to content|min read|Continue reading|Older posts|Subscribe by email|Follow by feed/)
    const postHtml = read('site/posts/evaluating-llm-features/index.html')
    for (const expected of post) expect(postHtml).toContain(expected)
    expect(postHtml).not.toMatch(/On this page|Permalink to this heading|>Footnotes<|Back to reference|Related posts|>By /)
    const notFoundHtml = read('site/404.html')
    for (const expected of notFound) expect(notFoundHtml).toContain(expected)
    expect(notFoundHtml).not.toMatch(/This page is not here|latest posts|Page not found/)
    const newsletterHtml = read('site/newsletter/index.html')
    expect(newsletterHtml).toContain({de: 'title="Shadow Traffic: die Ausgaben (RSS)"', fr: 'title="Shadow Traffic : les numéros (RSS)"'}[language])
    expect(newsletterHtml).not.toMatch(/the issues \(RSS\)/)
  })

  it('shows them in the email and its text part', ({skip}) => {
    if (!out) skip()
    const month = issueMonths(out)[1]!
    const html = read(`email/${month}/issue.html`)
    for (const expected of email) expect(html).toContain(expected)
    expect(html).not.toMatch(/View in browser|Unsubscribe<|Also this month|min read|You are receiving/)
    const plain = read(`email/${month}/issue.txt`)
    for (const expected of text) expect(plain).toContain(expected)
    expect(plain).not.toMatch(/View in your browser|ALSO THIS MONTH|Read on the web|Unsubscribe:|min read/)
  })
})

/**
 * The `theme:` settings as a site owner uses them: each setting reaches
 * every page (logo, favicon, accent, links, head HTML, stylesheets, the
 * comments slot), and a mistake in one is an error at its line with a rule
 * id, never a broken page. Also the warning for a site without a title.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {colourProblem} from '../src/source/colour.js'
import {loadConfig} from '../src/source/config.js'
import {messageLines, tempRoots} from './helpers/files.js'

const {root, remove} = tempRoots('theme')
afterAll(remove)
const messages = messageLines

const post = '---\ntitle: First light\ndate: 2026-03-01\n---\n\nThe kiln reached cone six.\n'
const page = '---\ntitle: About\npage: true\n---\n\nWho writes here.\n'
const svgLogo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>\n'

/** Build a site and read one of its pages. */
async function built(files: Record<string, string>) {
  const dir = root(files)
  const result = await build({root: dir})
  const read = (relative: string) => fs.readFileSync(path.join(dir, 'dist', 'site', relative), 'utf8')
  return {dir, result, read}
}

describe('colourProblem', () => {
  it('should take the CSS colours people write for an accent', () => {
    for (const colour of ['#0d6a61', '#FFF', '#0d6a61cc', 'teal', 'RebeccaPurple', 'rgb(13 106 97)', 'rgba(13, 106, 97, 0.9)', 'hsl(174deg 78% 23%)', 'oklch(48% 0.09 185)', 'oklch(0.5 0.1 185 / 80%)', 'color(display-p3 0.1 0.4 0.4)']) {
      expect(colourProblem(colour), colour).toBeUndefined()
    }
  })

  it('should refuse what is not one, and anything that could leave a style element', () => {
    for (const colour of ['#12345', 'tealish', 'rgb(1, 2)', 'rgb(1 2 3 4 5)', 'red; } body { display: none', '</style><script>', 'url(x.png)', 'var(--accent)', 'color(p3 1 0 0)']) {
      expect(colourProblem(colour), colour).toMatch(/CSS colour|colour space/)
    }
  })
})

describe('theme settings in letterpress.yml', () => {
  it('should say at its line, with its rule id, that an accent is no colour', async () => {
    const dir = root({'letterpress.yml': 'title: Kiln notes\ntheme:\n  accent: "#12345"\n'})
    const {file} = await loadConfig(dir)
    expect(messages(file)).toEqual([
      '3:11 config-colour Setting `theme.accent` in letterpress.yml: "#12345" is not a CSS colour: write one like #0d6a61, rgb(13 106 97), oklch(48% 0.09 185) or teal'
    ])
    expect(file.messages[0]!.fatal).toBe(true)
  })

  it('should point at the dark colour and at a misspelt key of the light and dark form', async () => {
    const dir = root({'letterpress.yml': 'title: Kiln notes\ntheme:\n  accent:\n    light: teal\n    drak: "#8fe0d5"\n'})
    const {file} = await loadConfig(dir)
    expect(messages(file)).toEqual(['5:5 config-invalid Unknown setting `theme.accent.drak` in letterpress.yml; did you mean `theme.accent.dark`?'])
    const bad = root({'letterpress.yml': 'title: Kiln notes\ntheme:\n  accent:\n    light: teal\n    dark: night\n'})
    expect(messages((await loadConfig(bad)).file)).toEqual([
      '5:11 config-colour Setting `theme.accent.dark` in letterpress.yml: "night" is not a CSS colour: write one like #0d6a61, rgb(13 106 97), oklch(48% 0.09 185) or teal'
    ])
  })

  it('should check each navigation link and name what a nav entry may be', async () => {
    const dir = root({
      'letterpress.yml': [
        'title: Kiln notes',
        'theme:',
        '  nav:',
        '    - auto',
        '    - {title: Glazes, url: glazes/}',
        '    - About: about.md',
        '    - {titel: Shop, url: https://shop.example/}',
        '    - home',
        '    - {title: Run, url: "javascript:alert(1)"}',
        ''
      ].join('\n')
    })
    const {file} = await loadConfig(dir)
    expect(messages(file)).toEqual([
      '5:28 config-invalid Setting `theme.nav.1.url` in letterpress.yml: `glazes/` must be a path on the site starting with `/` (`/about/`) or an absolute URL (`https://…`)',
      '6:7 config-invalid Setting `theme.nav.2.url` in letterpress.yml: `about.md` is a Markdown file: write the URL of its page, like `/about/`',
      '7:7 config-invalid Setting `theme.nav.3.title` in letterpress.yml: Invalid input: expected string, received undefined',
      '7:8 config-invalid Unknown setting `theme.nav.titel` in letterpress.yml; did you mean `theme.nav.title`?',
      '8:7 config-invalid Setting `theme.nav.4` in letterpress.yml: expected `auto` (the automatic links) or a link such as `{title: About, url: /about/}`',
      expect.stringMatching(/^9:25 url-unsafe Setting `theme\.nav\.5\.url` in letterpress\.yml: URL `javascript:alert\(1\)` uses `javascript:`/)
    ])
  })

  it('should say at its line that a theme file is missing, and refuse paths that leave ROOT', async () => {
    const dir = root({'letterpress.yml': 'title: Kiln notes\ntheme:\n  logo: assets/logo.svg\n  stylesheet:\n    - site.css\n    - extra.css\n', 'extra.css': 'p {}\n'})
    const {file} = await loadConfig(dir)
    expect(messages(file)).toEqual([
      '3:9 config-file-missing Setting `theme.logo` in letterpress.yml: no file `assets/logo.svg` in the content folder or ROOT',
      '5:7 config-file-missing Setting `theme.stylesheet` in letterpress.yml: no file `site.css` in the content folder or ROOT'
    ])
    const outside = root({'letterpress.yml': 'title: Kiln notes\ntheme:\n  favicon: ../secret.png\n  stylesheet: theme.scss\n'})
    expect(messages((await loadConfig(outside)).file)).toEqual([
      '3:12 config-invalid Setting `theme.favicon` in letterpress.yml: `../secret.png` must stay inside ROOT and name no hidden file or folder (no `..`, no `.name`)',
      '4:15 config-invalid Setting `theme.stylesheet` in letterpress.yml: `theme.scss` must be a .css file'
    ])
  })

  it('should read an MkDocs project’s logo, favicon, extra_css and social links', async () => {
    const dir = root({
      'mkdocs.yml': [
        'site_name: Kiln notes',
        'theme:',
        '  name: material',
        '  logo: images/logo.svg',
        '  favicon: images/favicon.png',
        'extra_css:',
        '  - https://cdn.example/fonts.css',
        '  - css/site.css',
        'extra:',
        '  social:',
        '    - {icon: fontawesome/brands/mastodon, link: "https://social.example/@kiln"}',
        ''
      ].join('\n'),
      'docs/images/logo.svg': svgLogo,
      'docs/css/site.css': 'p {}\n'
    })
    const {config, file} = await loadConfig(dir)
    expect(messages(file)).toEqual([
      '5:12 config-file-missing Setting `theme.favicon` in mkdocs.yml: no file `images/favicon.png` in the content folder or ROOT'
    ])
    expect(config.theme.logo).toMatchObject({url: '/images/logo.svg', copy: false})
    expect(config.theme.stylesheets.map((entry) => entry.url)).toEqual(['/css/site.css'])
    expect(config.theme.footerLinks).toEqual([{title: 'Mastodon', url: 'https://social.example/@kiln'}])
  })
})

describe('a site built with theme settings', () => {
  it('should show the logo, make an SVG logo the favicon, set the accent and add head HTML, stylesheets, links and comments', async () => {
    const {result, read, dir} = await built({
      'letterpress.yml': [
        'title: Kiln notes',
        'baseUrl: https://kiln.example/notes/',
        'theme:',
        '  logo: assets/logo.svg',
        '  accent: "#8a3ffc"',
        '  nav:',
        '    - {title: Glazes, url: /tags/}',
        '    - auto',
        '    - Shop: https://shop.example/',
        '  footerLinks:',
        '    - {title: Mastodon, url: "https://social.example/@kiln"}',
        '  head: <meta name="fediverse:creator" content="@kiln@social.example">',
        '  stylesheet: brand/site.css',
        '  comments: <div class="giscus"></div>',
        ''
      ].join('\n'),
      'posts/first.md': post,
      'posts/about.md': page,
      'posts/assets/logo.svg': svgLogo,
      'brand/site.css': '.site-title { letter-spacing: 0.02em; }\n'
    })
    expect(result.errors).toBe(0)
    const home = read('index.html')
    expect(home).toContain('<img class="site-logo" src="/notes/assets/logo.svg" alt="" height="32">Kiln notes</a>')
    expect(home).toContain('<link rel="icon" href="/notes/assets/logo.svg" type="image/svg+xml">')
    expect(home).toContain('<style>:root{--accent:#8a3ffc;')
    expect(home).toContain('<meta name="fediverse:creator" content="@kiln@social.example">\n</head>')
    // The site's stylesheet comes after the theme's, so it wins; its version changes its URL.
    expect(home).toMatch(/theme\.css\?v=\w+">[\s\S]*<link rel="stylesheet" href="\/notes\/brand\/site\.css\?v=\w{10}">/)
    expect(fs.readFileSync(path.join(dir, 'dist', 'site', 'brand', 'site.css'), 'utf8')).toContain('letter-spacing')
    // The navigation in the order written, with the automatic links where it says `auto`.
    const nav = [...home.matchAll(/<li><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/li>/g)].map((match) => `${match[2]} ${match[1]}`)
    expect(nav.slice(0, 6)).toEqual([
      'Glazes /notes/tags/',
      'About /notes/about/',
      'Archive /notes/archive/',
      'Tags /notes/tags/',
      'Newsletter /notes/newsletter/',
      'Shop https://shop.example/'
    ])
    expect(home).toContain('<nav class="footer-links" aria-label="Footer">')
    expect(home).toContain('<a href="https://social.example/@kiln">Mastodon</a>')
    // The comments slot follows each post, and only posts.
    expect(read('posts/first/index.html')).toContain('<section class="comments" aria-label="Comments">\n<div class="giscus"></div>')
    expect(home).not.toContain('giscus')
    expect(read('about/index.html')).not.toContain('giscus')
  })

  it('should link a favicon given, a raster logo as the icon, and without either a monogram that needs no request', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
    const given = await built({'letterpress.yml': 'title: Kiln notes\ntheme:\n  favicon: icon.ico\n  logo: logo.png\n', 'posts/first.md': post, 'posts/icon.ico': 'ico', 'posts/logo.png': png.toString('latin1')})
    expect(given.read('index.html')).toContain('<link rel="icon" href="/icon.ico" type="image/x-icon">')
    const raster = await built({'letterpress.yml': 'title: Kiln notes\ntheme:\n  logo: logo.png\n', 'posts/first.md': post, 'posts/logo.png': 'png'})
    expect(raster.read('index.html')).toContain('<link rel="icon" href="/logo.png" type="image/png">')
    const none = await built({'letterpress.yml': 'title: Kiln notes\ntheme:\n  accent: teal\n', 'posts/first.md': post})
    const icon = /<link rel="icon" href="data:image\/svg\+xml,([^"]+)" type="image\/svg\+xml">/.exec(none.read('index.html'))
    expect(icon).not.toBeNull()
    expect(decodeURIComponent(icon![1]!)).toMatch(/fill="teal"\/><text [^>]+>K<\/text><\/svg>$/)
  })
})

describe('a site without a title', () => {
  it('should warn once, on the config file, and suggest the setting', async () => {
    const dir = root({'letterpress.yml': 'baseUrl: https://kiln.example/\n'})
    const {file} = await loadConfig(dir)
    expect(messages(file)).toEqual([
      "1:1 config-title-missing No `title` in letterpress.yml: the site, its feeds and its newsletter are called “letterpress”; add `title: Your site's name`"
    ])
    expect(file.messages[0]!.fatal).toBeFalsy()
  })

  it('should warn without a config file too, and not when the config names the site', async () => {
    const bare = await loadConfig(root({'posts/first.md': post}))
    expect(bare.file.messages.map((message) => message.ruleId)).toEqual(['config-title-missing'])
    const named = await loadConfig(root({'letterpress.yml': 'title: Kiln notes\n'}))
    expect(named.file.messages).toEqual([])
  })
})

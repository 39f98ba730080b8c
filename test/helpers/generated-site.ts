/**
 * A generated site of many posts, made from the sample site's own posts:
 * copy k of the sample's post folders goes to posts/set-k/ (so the posts'
 * relative links still find each other), each post with its own title, slug,
 * aliases and a date k years earlier. The site then has pagination, tags,
 * categories, archive years, related posts, many monthly issues and every
 * construct the sample posts use. Deterministic: the same `count` always
 * writes the same files.
 */
import fs from 'node:fs'
import path from 'node:path'
import {parseDocument} from 'yaml'
import {projectRoot} from './site.js'

const sampleDir = path.join(projectRoot, 'posts', '2026')

/** Write a site of `count` posts into `root` (posts/ and letterpress.yml); returns `root`. */
export function writeGeneratedSite(root: string, count: number): string {
  const sources = samplePosts()
  fs.mkdirSync(path.join(root, 'posts'), {recursive: true})
  fs.cpSync(path.join(projectRoot, 'posts', 'assets'), path.join(root, 'posts', 'assets'), {recursive: true})
  for (let at = 0; at < count; at++) {
    const set = Math.floor(at / sources.length)
    const source = sources[at % sources.length]!
    const folder = path.join(root, 'posts', `set-${set + 1}`, source.month)
    fs.mkdirSync(folder, {recursive: true})
    for (const image of source.images) fs.copyFileSync(image, path.join(folder, path.basename(image)))
    fs.writeFileSync(path.join(folder, source.name), copyOf(source.text, set, source.name))
  }
  fs.copyFileSync(path.join(projectRoot, 'letterpress.yml'), path.join(root, 'letterpress.yml'))
  return root
}

/** The post's text with its frontmatter made that of copy `set`. */
function copyOf(text: string, set: number, name: string): string {
  const end = text.indexOf('\n---', 4)
  const document = parseDocument(text.slice(4, end))
  const title = String(document.get('title'))
  const slug = String(document.get('slug') ?? name.replace(/^\d{4}-\d{2}-\d{2}-/, '').replace(/\.md$/, ''))
  const date = document.get('date')
  const day = String(typeof date === 'object' && date !== null && 'get' in date ? (date as {get(key: string): unknown}).get('created') : date).slice(0, 10)
  const year = Number(day.slice(0, 4)) - set
  document.set('title', set === 0 ? title : `${title} (${set + 1})`)
  document.set('slug', `${slug}-${set + 1}`)
  document.set('date', `${year}${day.slice(4)}`)
  document.delete('updated')
  const aliases = document.get('aliases')
  if (aliases) document.set('aliases', [`/old/${set + 1}/${slug}/`])
  return `---\n${String(document)}${text.slice(end + 1)}`
}

function samplePosts(): Array<{month: string; name: string; text: string; images: string[]}> {
  const posts = []
  for (const month of fs.readdirSync(sampleDir).sort()) {
    const dir = path.join(sampleDir, month)
    const names = fs.readdirSync(dir).sort()
    const images = names.filter((name) => !name.endsWith('.md')).map((name) => path.join(dir, name))
    for (const name of names.filter((entry) => entry.endsWith('.md'))) {
      posts.push({month, name, text: fs.readFileSync(path.join(dir, name), 'utf8').replace(/\r\n/g, '\n'), images})
    }
  }
  return posts
}

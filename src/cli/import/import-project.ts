/**
 * `letterpress init --from DIR [TARGET]`: an MkDocs, Astro or Hugo project
 * becomes a letterpress site. Its config gives letterpress.yml; its posts
 * and the files they show are copied under TARGET/posts/ in the shape that
 * keeps their links working. The posts' frontmatter is read by letterpress
 * as those tools write it, so posts are copied as they are, except Hugo's
 * TOML frontmatter (`+++`), which is written as YAML.
 */
import {existsSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {parse as parseToml} from 'smol-toml'
import type {VFile} from 'vfile'
import {stringify} from 'yaml'
import {configFileName, configFileNames} from '../../source/config.js'
import {planImport, UnknownProjectError, type CopyStep, type ImportPlan} from './sources.js'

/** Why an import did not start: `usage` (exit 2) or `exists` (TARGET has a site already, exit 1). */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'exists'
  ) {
    super(message)
  }
}

/** What `importProject` did. */
export interface ImportResult {
  tool: ImportPlan['tool']
  /** Absolute path of the letterpress.yml written. */
  configPath: string
  posts: number
  assets: number
  /** Messages about the project's config (a setting that could not be read). */
  file: VFile
}

/**
 * Import the project in `from` into `target` (created if needed). Refuses a
 * TARGET that has letterpress.yml or posts/ already; writes posts/ aside and
 * moves it in place, then letterpress.yml, so a failure leaves no half site.
 */
export async function importProject(options: {from: string; target: string}): Promise<ImportResult> {
  const from = path.resolve(options.from)
  const target = path.resolve(options.target)
  const stat = await fs.stat(from).catch(() => undefined)
  if (!stat?.isDirectory()) throw new ImportError(`${options.from} is not a folder`, 'usage')
  for (const name of [...configFileNames, 'posts']) {
    if (existsSync(path.join(target, name))) throw new ImportError(`${path.join(options.target, name)} exists already; import into an empty folder`, 'exists')
  }
  let plan: ImportPlan
  try {
    plan = await planImport(from)
  } catch (error) {
    if (error instanceof UnknownProjectError) throw new ImportError(error.message, 'usage')
    throw error
  }

  await fs.mkdir(target, {recursive: true})
  const staging = await fs.mkdtemp(path.join(target, '.posts-'))
  const counts = {posts: 0, assets: 0}
  try {
    for (const step of plan.copies) await copyStep(step, path.join(staging, ...step.to.split('/').filter(Boolean)), counts, target)
    await fs.rename(staging, path.join(target, 'posts'))
  } catch (error) {
    await fs.rm(staging, {recursive: true, force: true})
    throw error
  }
  const configPath = path.join(target, configFileName)
  await fs.writeFile(configPath, configText(plan, options.from))
  return {tool: plan.tool, configPath, posts: counts.posts, assets: counts.assets, file: plan.file}
}

/** letterpress.yml from the plan's settings, with a line saying where it came from. */
function configText(plan: ImportPlan, from: string): string {
  const header = `# From ${path.basename(path.resolve(from))}/${plan.configFile} by \`letterpress init --from\`; see the README for every setting.\n`
  return header + stringify(plan.settings, {lineWidth: 0})
}

/** Copy one folder of the project; a file that exists already (two sources for one place) keeps the first. */
async function copyStep(step: CopyStep, into: string, counts: {posts: number; assets: number}, target: string): Promise<void> {
  const under = typeof step.markdown === 'object' ? step.markdown.under : ''
  const skip = new Set([path.resolve(target)])
  for (const relative of await listFiles(step.from, skip)) {
    const markdown = /\.md$/i.test(relative)
    if (markdown && (step.markdown === 'none' || (under && !relative.startsWith(under + '/')))) continue
    // Hugo's section lists (`_index.md`) are not posts.
    if (markdown && path.posix.basename(relative) === '_index.md') continue
    const destination = path.join(into, ...relative.split('/'))
    if (existsSync(destination)) continue
    await fs.mkdir(path.dirname(destination), {recursive: true})
    if (markdown) {
      await fs.writeFile(destination, yamlFrontmatter(await fs.readFile(path.join(step.from, ...relative.split('/')), 'utf8')))
      counts.posts++
    } else {
      await fs.copyFile(path.join(step.from, ...relative.split('/')), destination)
      counts.assets++
    }
  }
}

/** Every file under `dir` (relative, `/` separators), skipping dot-files, node_modules and `skip` folders. */
async function listFiles(dir: string, skip: Set<string>): Promise<string[]> {
  const found: string[] = []
  async function visit(folder: string, rel: string): Promise<void> {
    for (const entry of await fs.readdir(folder, {withFileTypes: true})) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const child = path.join(folder, entry.name)
      const childRel = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory() && !skip.has(path.resolve(child))) await visit(child, childRel)
      else if (entry.isFile()) found.push(childRel)
    }
  }
  await visit(dir, '')
  return found.sort()
}

/**
 * A post with TOML frontmatter (`+++`, Hugo) written with YAML frontmatter;
 * any other text as it is. TOML dates keep the form they were written in.
 */
export function yamlFrontmatter(text: string): string {
  const match = /^\+\+\+[ \t]*\r?\n([\s\S]*?)\r?\n\+\+\+[ \t]*(?:\r?\n|$)/.exec(text)
  if (!match) return text
  let data: unknown
  try {
    data = parseToml(match[1]!)
  } catch {
    // Left as it is: the build then says where the post's frontmatter is wrong.
    return text
  }
  // TomlDate's JSON form is its text as written (`2026-01-14`, `2026-01-14T09:00:00+02:00`).
  const plain: unknown = JSON.parse(JSON.stringify(data))
  return `---\n${stringify(plain, {lineWidth: 0})}---\n${text.slice(match[0].length)}`
}

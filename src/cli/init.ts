/**
 * `letterpress init [DIR]`: a starter site copied from the package's
 * `starter/` folder (settings, sample posts, a page, an image, .gitignore,
 * package.json scripts and a GitHub Pages workflow).
 *
 * The starter is kept as real files rather than strings in code, so it is
 * built and checked like any site. npm leaves `.gitignore` files out of a
 * package, so dot-names are stored with a `dot-` prefix (`dot-gitignore`,
 * `dot-github/`) and get their dot back here.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {configFileName, configFilesIn} from '../source/config.js'

/** Options for `initSite`. */
export interface InitOptions {
  /** The folder to write into (made when missing). */
  dir: string
  /** Write into a folder that is not empty, keeping every file already there. */
  force?: boolean
  /** The letterpress version the new package.json depends on (`^version`). */
  version: string
}

/** What `initSite` did. */
export interface InitResult {
  /** Absolute path of the site. */
  dir: string
  /** Files written, relative to `dir`, `/` separators. */
  written: string[]
  /** Files of the starter that were there already and were left as they were (only with `force`). */
  kept: string[]
}

/**
 * Why nothing was written: `usage` (DIR is a file, or cannot be made) exits
 * 2; `not-empty` (DIR holds files and no `--force`) exits 1.
 */
export class InitError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'not-empty'
  ) {
    super(message)
  }
}

/** Entries that do not make a folder "not empty": a fresh `git init` leaves one. */
const ignorable = new Set(['.git'])

/** The package's starter folder (beside lib/ when installed, beside src/ in a checkout). */
const starterDir = fileURLToPath(new URL('../../starter/', import.meta.url))

/**
 * Write the starter site into `options.dir`. Never overwrites a file: a
 * folder that holds anything (but `.git`) is refused unless `force`, and
 * with `force` the starter's files that exist already are kept and listed.
 */
export async function initSite(options: InitOptions): Promise<InitResult> {
  const dir = path.resolve(options.dir)
  const present = await folderEntries(dir)
  const crowded = present.filter((name) => !ignorable.has(name))
  if (crowded.length > 0 && !options.force) {
    const shown = crowded.slice(0, 5).join(', ') + (crowded.length > 5 ? ` and ${crowded.length - 5} more` : '')
    throw new InitError(
      `${dir} is not empty (it holds ${shown}); init writes into an empty folder, or pass --force to add the starter's ` +
        'files beside what is there (existing files are never overwritten)',
      'not-empty'
    )
  }
  const files = await starterFiles()
  const written: string[] = []
  const kept: string[] = []
  // A config under another name (`letterpress.yaml`) is the site's config: a second one beside it would be an error.
  const ownConfig = configFilesIn(dir)[0]
  for (const {source, target} of files) {
    if (target === configFileName && ownConfig !== undefined && ownConfig !== configFileName) {
      kept.push(ownConfig)
      continue
    }
    const destination = path.join(dir, ...target.split('/'))
    const bytes = target === 'package.json' ? sitePackage(await fs.readFile(source, 'utf8'), dir, options.version) : await fs.readFile(source)
    await fs.mkdir(path.dirname(destination), {recursive: true})
    try {
      // `wx`: a file that appeared since the check above is kept, not overwritten.
      await fs.writeFile(destination, bytes, {flag: 'wx'})
      written.push(target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      kept.push(target)
    }
  }
  return {dir, written, kept}
}

/** The names in `dir`, `[]` when it does not exist yet (it is made). */
async function folderEntries(dir: string): Promise<string[]> {
  try {
    const stat = await fs.stat(dir)
    if (!stat.isDirectory()) throw new InitError(`${dir} is a file, not a folder`, 'usage')
  } catch (error) {
    if (error instanceof InitError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      try {
        await fs.mkdir(dir, {recursive: true})
      } catch (made) {
        throw new InitError(`cannot make ${dir}: ${(made as NodeJS.ErrnoException).code ?? (made as Error).message}`, 'usage')
      }
      return []
    }
    throw new InitError(`cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'usage')
  }
  return (await fs.readdir(dir)).sort()
}

/** Every file of the starter: where it is, and its path in the new site (dot-names restored). */
async function starterFiles(): Promise<Array<{source: string; target: string}>> {
  const files: Array<{source: string; target: string}> = []
  const walk = async (folder: string, prefix: string) => {
    const entries = await fs.readdir(folder, {withFileTypes: true})
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const name = entry.name.startsWith('dot-') ? `.${entry.name.slice(4)}` : entry.name
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) await walk(full, `${prefix}${name}/`)
      else files.push({source: full, target: prefix + name})
    }
  }
  await walk(starterDir, '')
  return files
}

/** The starter's package.json for a site in `dir`: named after the folder, depending on this letterpress. */
function sitePackage(text: string, dir: string, version: string): string {
  const pkg = JSON.parse(text) as {name?: string; dependencies?: Record<string, string>}
  pkg.name = packageName(path.basename(dir)) ?? pkg.name
  pkg.dependencies = {...pkg.dependencies, letterpress: `^${version}`}
  return JSON.stringify(pkg, null, 2) + '\n'
}

/** A valid npm package name made from a folder name, or `undefined` when none can be. */
function packageName(folder: string): string | undefined {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '')
    .slice(0, 214)
  return name === '' || name === 'node_modules' || name === 'favicon.ico' ? undefined : name
}

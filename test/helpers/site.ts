/**
 * The project's sample site (posts/ and letterpress.yml at the project root),
 * built once per test process into a temporary folder and shared by every
 * test of that process that asks for it; plus tiny throwaway sites for cases
 * the sample does not cover. Call `removeBuiltSites()` in `afterAll`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build, type BuildResult} from '../../src/pipeline/build.js'

/** The project root, which is also the sample site's ROOT. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A built site: OUT, OUT/site and what `build` reported. */
export interface BuiltSite {
  out: string
  site: string
  result: BuildResult
}

const cache = new Map<string, Promise<BuiltSite>>()
const made: string[] = []

/**
 * The sample site built once per process (separately with and without
 * drafts). Rejects when the build reports errors, naming them.
 */
export function sampleSite(options: {drafts?: boolean} = {}): Promise<BuiltSite> {
  const key = options.drafts ? 'drafts' : 'published'
  let built = cache.get(key)
  if (!built) {
    built = buildInto(projectRoot, `sample-${key}`, {drafts: options.drafts === true})
    cache.set(key, built)
  }
  return built
}

/**
 * Write a small site (`posts` maps paths under posts/ to their Markdown,
 * `config` is letterpress.yml) into a temporary ROOT and build it
 * (`overrides.future`: with `--future`; `overrides.drafts`: with `--drafts`).
 */
export async function tempSite(posts: Record<string, string>, config = '', overrides: {future?: boolean; drafts?: boolean} = {}): Promise<BuiltSite> {
  const root = temporary('temp-root')
  for (const [relative, content] of Object.entries(posts)) {
    const file = path.join(root, 'posts', relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  if (config) fs.writeFileSync(path.join(root, 'letterpress.yml'), config)
  return buildInto(root, 'temp', overrides)
}

/** Remove every folder these helpers made (and forget the cached builds). */
export function removeBuiltSites(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
  cache.clear()
}

/** Every `.html` file under `dir`, as paths relative to it, sorted. */
export function htmlFiles(dir: string): string[] {
  return (fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[])
    .filter((relative) => relative.endsWith('.html'))
    .map((relative) => relative.split(path.sep).join('/'))
    .sort()
}

function temporary(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `letterpress-${name}-`))
  made.push(dir)
  return dir
}

async function buildInto(root: string, name: string, overrides: {drafts?: boolean; future?: boolean} = {}): Promise<BuiltSite> {
  const out = path.join(temporary(name), 'out')
  const result = await build({root, outDir: out, ...overrides})
  if (result.errors > 0 || !result.written) {
    const errors = result.diagnostics.filter((entry) => entry.severity === 'error')
    throw new Error(
      `build of ${root} failed:\n` +
        errors.map((entry) => `${entry.file}:${entry.line}:${entry.column} ${entry.message} (${entry.rule})`).join('\n')
    )
  }
  return {out, site: path.join(out, 'site'), result}
}

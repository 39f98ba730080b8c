/**
 * Tools some tests need from the machine (Chromium, Java). A user's machine
 * may lack them: those tests skip. Under CI=true they must run, so a missing
 * tool fails loudly instead of skipping.
 */
import fs from 'node:fs'
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

/** Debian's Chromium, or CHROMIUM_PATH. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Launch flags for headless Chromium on this kind of machine. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

function required(name: string, present: boolean): boolean {
  if (!present && process.env['CI'] === 'true') {
    throw new Error(`${name} is required when CI=true (.ci/run installs it)`)
  }
  return present
}

/** Whether Chromium can be used (throws under CI=true when it cannot). */
export function hasChromium(): boolean {
  return required(`Chromium at ${chromiumPath}`, fs.existsSync(chromiumPath))
}

/** Whether Java can be used for the Nu Html Checker (throws under CI=true when it cannot). */
export function hasJava(): boolean {
  const result = spawnSync('java', ['-version'], {stdio: 'ignore'})
  return required('java', result.status === 0)
}

/**
 * What a strict XML 1.0 parser (the JDK's, through `WellFormed.java`) says
 * is wrong with each file: one `file:line:column: message` per broken file,
 * none when all are well-formed. Needs Java (`hasJava()`).
 */
export function xmlWellFormedErrors(files: string[]): string[] {
  const checker = fileURLToPath(new URL('WellFormed.java', import.meta.url))
  const result = spawnSync('java', [checker, ...files], {encoding: 'utf8', timeout: 120_000})
  if (result.status !== 0 && result.status !== 1) throw new Error(`java ${checker} failed: ${result.stderr || result.error}`)
  return result.stdout.split('\n').filter(Boolean)
}

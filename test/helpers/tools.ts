/**
 * Tools some tests need from the machine (Chromium, Java). A user's machine
 * may lack them: those tests skip. Under CI=true they must run, so a missing
 * tool fails loudly instead of skipping.
 */
import fs from 'node:fs'
import {spawnSync} from 'node:child_process'

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

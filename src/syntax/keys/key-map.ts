/**
 * The key names `++key+key++` understands, with the label each shows.
 *
 * Canonical names are the ones pymdownx.keys (and so MkDocs Material's
 * stylesheet, which draws icons for `.key-command`, `.key-shift`...) uses
 * as classes: `key-<canonical>`. Names are matched without regard to case;
 * common short forms (`ctrl`, `cmd`, `esc`, `del`, `up`...) are aliases.
 */

/** A key the table knows. */
export interface KeyInfo {
  /** Canonical name, used in the class `key-<name>`. */
  name: string
  /** What the key shows (`Ctrl`). */
  label: string
}

const labels = new Map<string, string>([
  // Modifiers.
  ['control', 'Ctrl'],
  ['alt', 'Alt'],
  ['alt-graph', 'AltGr'],
  ['shift', 'Shift'],
  ['command', 'Cmd'],
  ['option', 'Option'],
  ['meta', 'Meta'],
  ['super', 'Super'],
  ['windows', 'Win'],
  ['function', 'Fn'],
  // Editing and actions.
  ['enter', 'Enter'],
  ['tab', 'Tab'],
  ['escape', 'Esc'],
  ['delete', 'Del'],
  ['backspace', 'Backspace'],
  ['insert', 'Ins'],
  ['space', 'Space'],
  ['caps-lock', 'Caps Lock'],
  ['print-screen', 'Print Screen'],
  ['context-menu', 'Menu'],
  // Navigation.
  ['arrow-up', 'Up'],
  ['arrow-down', 'Down'],
  ['arrow-left', 'Left'],
  ['arrow-right', 'Right'],
  ['home', 'Home'],
  ['end', 'End'],
  ['page-up', 'Page Up'],
  ['page-down', 'Page Down'],
  // Punctuation people name rather than type between `+`s.
  ['plus', '+'],
  ['minus', '-'],
  ['equal', '='],
  ['comma', ','],
  ['period', '.'],
  ['slash', '/'],
  ['backslash', '\\'],
  ['semicolon', ';'],
  ['grave', '`'],
  ['bracket-left', '['],
  ['bracket-right', ']']
])

// Letters, digits and function keys follow a pattern.
for (let code = 97; code <= 122; code++) {
  const letter = String.fromCharCode(code)
  labels.set(letter, letter.toUpperCase())
}

for (let digit = 0; digit <= 9; digit++) labels.set(String(digit), String(digit))
for (let number = 1; number <= 24; number++) labels.set('f' + number, 'F' + number)

const aliases = new Map<string, string>([
  ['ctrl', 'control'],
  ['cmd', 'command'],
  ['opt', 'option'],
  ['win', 'windows'],
  ['fn', 'function'],
  ['altgr', 'alt-graph'],
  ['return', 'enter'],
  ['esc', 'escape'],
  ['del', 'delete'],
  ['ins', 'insert'],
  ['bksp', 'backspace'],
  ['menu', 'context-menu'],
  ['prtsc', 'print-screen'],
  ['up', 'arrow-up'],
  ['down', 'arrow-down'],
  ['left', 'arrow-left'],
  ['right', 'arrow-right'],
  ['pgup', 'page-up'],
  ['pg-up', 'page-up'],
  ['pgdn', 'page-down'],
  ['pg-dn', 'page-down']
])

/**
 * Look a key name up (any case). Returns its canonical name and label, or
 * `undefined` for a name the table does not know.
 */
export function lookupKey(name: string): KeyInfo | undefined {
  const lower = name.toLowerCase()
  const canonical = aliases.get(lower) ?? lower
  const label = labels.get(canonical)
  return label === undefined ? undefined : {name: canonical, label}
}

/**
 * The text a quoted key (`"Any text"`) shows: quotes removed, backslash
 * escapes resolved, surrounding whitespace trimmed (as pymdownx does).
 */
export function quotedKeyLabel(raw: string): string {
  return raw.slice(1, -1).replace(/\\(.)/g, '$1').trim()
}

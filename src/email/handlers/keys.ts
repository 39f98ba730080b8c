/**
 * Email handler of `++ctrl+alt+del++`: each key a `<kbd>` with its display
 * name, joined by `+`.
 */
import type {ElementContent} from 'hast'
import type {Handlers} from 'mdast-util-to-hast'
import type {Keys} from '../../syntax/mdast.js'
import {h, text} from './context.js'

/** Display names of keys (pymdownx.keys' names), by lower-case key. */
const keyNames: Readonly<Record<string, string>> = {
  ctrl: 'Ctrl', control: 'Ctrl', alt: 'Alt', shift: 'Shift', cmd: 'Cmd', command: 'Cmd', meta: 'Meta',
  win: 'Win', windows: 'Win', super: 'Super', opt: 'Option', option: 'Option', fn: 'Fn',
  del: 'Del', delete: 'Del', ins: 'Ins', insert: 'Ins', enter: 'Enter', return: 'Return', esc: 'Esc',
  escape: 'Esc', tab: 'Tab', space: 'Space', backspace: 'Backspace', home: 'Home', end: 'End',
  'page-up': 'Page Up', pgup: 'Page Up', 'page-down': 'Page Down', pgdn: 'Page Down',
  up: '↑', 'arrow-up': '↑', down: '↓', 'arrow-down': '↓', left: '←', 'arrow-left': '←',
  right: '→', 'arrow-right': '→', 'caps-lock': 'Caps Lock', 'print-screen': 'Print Screen'
}

/** How a key reads (`ctrl` → `Ctrl`, `"My key"` → `My key`, `f5` → `F5`). */
export function keyLabel(key: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(key)
  if (quoted) return quoted[2]!
  const known = keyNames[key.toLowerCase()]
  if (known) return known
  if (/^f\d{1,2}$/i.test(key)) return key.toUpperCase()
  return key.length === 1 ? key.toUpperCase() : key.charAt(0).toUpperCase() + key.slice(1)
}

/** The email handler for `keys` nodes. */
export const keysHandlers: Handlers = {
  keys(_state, node: Keys) {
    const names = node.keys.length > 0 ? node.keys : node.value.split('+')
    const children: ElementContent[] = []
    names.forEach((key, index) => {
      if (index > 0) children.push(text('+'))
      children.push(h('kbd', {}, [text(keyLabel(key))]))
    })
    return h('span', {}, children)
  }
}

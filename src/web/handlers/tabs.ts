/**
 * Content tabs on the web, in the markup pymdownx.tabbed writes with
 * `alternate_style: true` (what MkDocs Material styles):
 *
 * ```html
 * <div class="tabbed-set tabbed-alternate" data-tabs="1:2">
 *   <input checked id="__tabbed_1_1" name="__tabbed_1" type="radio">
 *   <input id="__tabbed_1_2" name="__tabbed_1" type="radio">
 *   <div class="tabbed-labels"><label for="__tabbed_1_1">One</label>...</div>
 *   <div class="tabbed-content"><div class="tabbed-block">...</div>...</div>
 * </div>
 * ```
 *
 * One radio group per set: it works without script, and the browser moves
 * between the radios with the arrow keys. Sets are numbered in document
 * order (outer before inner, as pymdownx does) per conversion, so ids are
 * deterministic and unique within one rendered document.
 */
import type {Element, ElementContent} from 'hast'
import type {Handlers, State} from 'mdast-util-to-hast'
import type {Tab, TabSet} from '../../syntax/mdast.js'

/** Sets numbered so far in each conversion (one `state` per `toHast` run). */
const setCounts = new WeakMap<State, number>()

/** The web handlers of `tabSet` (and of a stray `tab`, shown as a set of one). */
export const tabsHandlers: Handlers = {
  tabSet(state: State, node: TabSet) {
    return tabSet(state, node, node.children)
  },
  tab(state: State, node: Tab) {
    return tabSet(state, node, [node])
  }
}

function tabSet(state: State, node: TabSet | Tab, tabs: Tab[]): Element {
  const number = (setCounts.get(state) ?? 0) + 1
  setCounts.set(state, number)
  const name = '__tabbed_' + number
  // pymdownx: the last `===+` tab wins; without one, the first is checked.
  let checked = 0
  tabs.forEach((tab, index) => {
    if (tab.selected) checked = index
  })

  const inputs: Element[] = []
  const labels: Element[] = []
  const blocks: ElementContent[] = []

  tabs.forEach((tab, index) => {
    const id = name + '_' + (index + 1)
    inputs.push({
      type: 'element',
      tagName: 'input',
      properties: index === checked ? {checked: true, id, name, type: 'radio'} : {id, name, type: 'radio'},
      children: []
    })
    const title = tab.children[0]?.type === 'tabTitle' ? tab.children[0] : undefined
    labels.push({
      type: 'element',
      tagName: 'label',
      properties: {htmlFor: [id]},
      children: title ? state.all(title) : [{type: 'text', value: tab.title}]
    })
    const body: Tab = {...tab, children: tab.children.filter((child) => child.type !== 'tabTitle')}
    const block: Element = {
      type: 'element',
      tagName: 'div',
      properties: {className: ['tabbed-block']},
      children: state.wrap(state.all(body), true)
    }
    state.patch(tab, block)
    blocks.push({type: 'text', value: '\n'}, block)
  })

  blocks.push({type: 'text', value: '\n'})
  const result: Element = {
    type: 'element',
    tagName: 'div',
    properties: {className: ['tabbed-set', 'tabbed-alternate'], dataTabs: number + ':' + tabs.length},
    children: [
      ...inputs,
      {
        type: 'element',
        tagName: 'div',
        properties: {className: ['tabbed-labels']},
        children: labels
      },
      {type: 'text', value: '\n'},
      {
        type: 'element',
        tagName: 'div',
        properties: {className: ['tabbed-content']},
        children: blocks
      },
      {type: 'text', value: '\n'}
    ]
  }
  state.patch(node, result)
  return state.applyData(node, result)
}

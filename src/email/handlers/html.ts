/**
 * Email handler of raw HTML: it passes through as `raw` and is parsed and
 * filtered as a whole by the render passes (an element may open in one
 * block and close in another); here it is only inspected, so that what the
 * filter will drop is reported at its line.
 */
import type {Html} from 'mdast'
import {fromHtml} from 'hast-util-from-html'
import {defaultHandlers, type Handlers, type State} from 'mdast-util-to-hast'
import {sanitize} from '../sanitize.js'
import type {EmailHandlerOptions} from './context.js'

/** The email handler for `html` nodes. */
export function createHtmlHandlers(options: Pick<EmailHandlerOptions, 'report'>): Handlers {
  const {report} = options

  function inspectRawHtml(node: Html): void {
    if (!report) return
    const removals = sanitize(fromHtml(node.value, {fragment: true}))
    const seen = new Set<string>()
    for (const removal of removals) {
      // A URL the URL policy refuses has its `url-unsafe` warning from the transform stage already.
      if (removal.kind === 'url') continue
      const key = removal.kind + ':' + removal.what
      if (seen.has(key)) continue
      seen.add(key)
      const reason =
        removal.kind === 'element'
          ? `Raw \`<${removal.what}>\` cannot be shown in email and is left out of it; link to the web page instead`
          : removal.kind === 'attribute'
              ? `Attribute \`${removal.what}\` in raw HTML is left out of the email (no scripts run in email)`
              : `Style \`${removal.what}\` in raw HTML is left out of the email (not supported by email clients)`
      report({reason, node, ruleId: 'email-html-removed'})
    }
  }

  return {
    html(state: State, node: Html) {
      inspectRawHtml(node)
      return defaultHandlers.html(state, node)
    }
  }
}

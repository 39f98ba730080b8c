/**
 * The Subject of an issue: `newsletter.subject`, a Liquid template (the
 * project's one Liquid base), rendered for each issue with the newsletter's
 * name, the issue's number and month and its lead post's title. Without
 * it, the subject is the lead post's title, as the newsletters people open
 * do it: the story, not the masthead.
 *
 *     newsletter:
 *       subject: "{{ newsletter.name }} #{{ issue.number }}: {{ lead.title }}"
 *
 * The template is checked when the config is loaded (`reportSubjectTemplate`):
 * a bad one is an error at its line, and issues fall back to the default.
 */
import type {VFile} from 'vfile'
import {compileLiquidText, TemplateError, type LiquidText} from '../render/liquid.js'
import {configPosition, type ResolvedConfig} from '../source/config.js'

/** The rule id of a `newsletter.subject` that is no working template. */
export const subjectTemplateRule = 'config-subject-template'

/** The subject when `newsletter.subject` is not set: the lead post's title. */
export const defaultSubjectTemplate = '{{ lead.title }}'

/** What `newsletter.subject` may use. */
export interface SubjectVariables {
  newsletter: {name: string}
  /** `month`: `September 2026`, in the site's language. */
  issue: {number: number; month: string}
  /** The lead post (the first card when the issue has no lead). */
  lead: {title: string}
}

/** Sample values to try a template with when it is loaded. */
const sample: SubjectVariables = {newsletter: {name: 'Newsletter'}, issue: {number: 1, month: 'January 2026'}, lead: {title: 'Title'}}

/** Why `template` is not a working subject template, or `undefined` when it is. */
export function subjectTemplateProblem(template: string): string | undefined {
  try {
    const subject = compileLiquidText(template).render(sample)
    if (subject.trim() === '') return 'renders to an empty subject'
    return undefined
  } catch (error) {
    const reason = error instanceof TemplateError ? error.reason : String(error)
    const hint = /undefined variable/i.test(reason)
      ? '; it may use `newsletter.name`, `issue.number`, `issue.month` and `lead.title` (a sending service\'s merge tag goes inside `{% raw %}…{% endraw %}`)'
      : ''
    return `is not a working Liquid template: ${reason}${hint}`
  }
}

/**
 * Check `newsletter.subject` of a loaded config: a template that does not
 * compile or render is an error on the config file at its line.
 */
export function reportSubjectTemplate(config: ResolvedConfig, configFile: VFile): void {
  const template = config.newsletter.subject
  if (template === undefined) return
  const problem = subjectTemplateProblem(template)
  if (!problem) return
  const text = typeof configFile.value === 'string' ? configFile.value : ''
  const place = configPosition(text, ['newsletter', 'subject'])
  configFile.message(`Setting \`newsletter.subject\` in ${config.configFile}: ${JSON.stringify(template)} ${problem}`, {
    ...(place ? {place} : {}),
    ruleId: subjectTemplateRule,
    source: 'letterpress'
  }).fatal = true
}

/**
 * The subject of each issue of `config`: its template (the default one
 * when `newsletter.subject` is unset or broken, which the config's load
 * reports) rendered on one line.
 */
export function createSubjects(config: ResolvedConfig): (variables: SubjectVariables) => string {
  const configured = config.newsletter.subject
  const template = configured !== undefined && subjectTemplateProblem(configured) === undefined ? configured : defaultSubjectTemplate
  const compiled: LiquidText = compileLiquidText(template)
  const fallback = compileLiquidText(defaultSubjectTemplate)
  return (variables) => {
    // A header is one line: newlines and runs of spaces become one space.
    const subject = compiled.render(variables).replace(/\s+/g, ' ').trim()
    return subject !== '' ? subject : fallback.render(variables).replace(/\s+/g, ' ').trim()
  }
}

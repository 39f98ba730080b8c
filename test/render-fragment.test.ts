import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'

describe('renderFragment', () => {
  it('should render Markdown body HTML and leave frontmatter out', async () => {
    const html = await renderFragment('---\ntitle: Hello\n---\n\n# Hi *there*\n')
    expect(html).toBe('<h1>Hi <em>there</em></h1>')
  })
})

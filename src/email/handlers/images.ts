/**
 * Email handlers of images: `<img>` with the sizes an attr list gives (the
 * render's images pass caps and completes them), and a paragraph that holds
 * one image and nothing else marks it as a block image.
 */
import type {Element, ElementContent, Properties} from 'hast'
import type {Image, ImageReference, Paragraph} from 'mdast'
import {defaultHandlers, type Handlers, type State} from 'mdast-util-to-hast'
import {addClass, h} from './context.js'

/** Whether a paragraph holds one image and nothing else (a figure, shown as a block). */
function isLoneImage(node: Paragraph): boolean {
  const visible = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  if (visible.length !== 1) return false
  const only = visible[0]!
  if (only.type === 'image' || only.type === 'imageReference') return true
  return (
    (only.type === 'link' || only.type === 'linkReference') &&
    only.children.length === 1 &&
    (only.children[0]!.type === 'image' || only.children[0]!.type === 'imageReference')
  )
}

function image(state: State, node: Image | ImageReference, url: string, title: string | null | undefined): Element {
  const properties: Properties = {src: url, alt: node.alt ?? ''}
  if (title) properties['title'] = title
  // Sizes from an attr list (`{ width=300 }`); the images pass caps and completes them.
  const given = node.data?.hProperties
  for (const key of ['width', 'height'] as const) {
    const value = given?.[key]
    if (typeof value === 'string' || typeof value === 'number') properties[key] = String(value)
  }
  const result = h('img', properties)
  state.patch(node, result)
  return result
}

/** Email handlers for `paragraph`, `image` and `imageReference` nodes. */
export const imageHandlers: Handlers = {
  paragraph(state: State, node: Paragraph) {
    const result = defaultHandlers.paragraph(state, node)
    if (isLoneImage(node)) {
      const visit = (children: ElementContent[]) => {
        for (const child of children) {
          if (child.type !== 'element') continue
          if (child.tagName === 'img') addClass(child, 'lp-img-block')
          else visit(child.children)
        }
      }
      visit(result.children)
    }
    return result
  },

  image(state: State, node: Image) {
    return image(state, node, node.url, node.title)
  },

  imageReference(state: State, node: ImageReference) {
    const definition = state.definitionById.get(node.identifier.toUpperCase())
    if (!definition) return defaultHandlers.imageReference(state, node)
    return image(state, node, definition.url, definition.title)
  }
}

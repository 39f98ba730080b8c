/**
 * Fenced code blocks: the warning for one never closed.
 */
export {remarkCodeFence} from './remark-code-fence.js'

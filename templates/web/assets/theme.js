// letterpress theme script: applies the visitor's saved light/dark choice
// before the first paint (it is loaded without `defer` in <head>), then shows
// and wires the toggle button. Pages work fully without it: the button stays
// hidden and the system preference decides.
;(function () {
  var key = 'letterpress-theme'
  var root = document.documentElement
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null

  function saved() {
    try {
      var value = window.localStorage.getItem(key)
      return value === 'light' || value === 'dark' ? value : null
    } catch (error) {
      return null // Storage may be blocked (private mode, file://).
    }
  }

  function current() {
    return root.getAttribute('data-theme') || (dark && dark.matches ? 'dark' : 'light')
  }

  var choice = saved()
  if (choice) root.setAttribute('data-theme', choice)

  function wire() {
    var button = document.querySelector('.theme-toggle')
    if (!button) return
    function sync() {
      button.setAttribute('aria-pressed', current() === 'dark' ? 'true' : 'false')
    }
    button.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark'
      root.setAttribute('data-theme', next)
      try {
        window.localStorage.setItem(key, next)
      } catch (error) {
        // The choice simply lasts for this page.
      }
      sync()
    })
    if (dark && dark.addEventListener) dark.addEventListener('change', sync)
    sync()
    button.hidden = false
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire)
  else wire()
})()

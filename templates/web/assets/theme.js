// letterpress theme script: applies the visitor's saved light/dark choice
// before the first paint (it is loaded without `defer` in <head>), then shows
// and wires the toggle button and the search box, puts wide tables in a
// scrolling region, follows links to an author's prefixed ids and marks the
// section being read in the table of contents.
// Pages work fully without it: the button and the search box stay hidden,
// the system preference decides, and tables scroll inside themselves.
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

  // As MkDocs Material does, tables go into a wrapper that scrolls sideways
  // on narrow screens. The wrapper is a named, focusable region: a scrolling
  // box nobody can focus cannot be scrolled from the keyboard. (Done here,
  // not in the HTML, so the markup stays the one MkDocs themes expect.)
  function wrapTables() {
    var tables = document.querySelectorAll('.prose table')
    // The page's words for the box (base.liquid puts the language's on <body>), English in a template without them.
    var named = document.body.getAttribute('data-table') || 'Table'
    var namedOf = document.body.getAttribute('data-table-of') || 'Table: {columns}'
    for (var index = 0; index < tables.length; index++) {
      var table = tables[index]
      var parent = table.parentNode
      if (!parent || (parent.classList && (parent.classList.contains('table-wrap') || parent.classList.contains('md-typeset__table')))) continue
      var headings = []
      var cells = table.querySelectorAll('thead th')
      for (var cell = 0; cell < cells.length; cell++) {
        var text = cells[cell].textContent.replace(/\s+/g, ' ').trim()
        if (text) headings.push(text)
      }
      var wrap = document.createElement('div')
      wrap.className = 'table-wrap'
      wrap.setAttribute('role', 'region')
      wrap.setAttribute('tabindex', '0')
      var label = headings.length > 0 ? namedOf.replace('{columns}', headings.join(', ')) : named
      wrap.setAttribute('aria-label', label.length > 120 ? label.slice(0, 119) + '\u2026' : label)
      parent.insertBefore(wrap, table)
      wrap.appendChild(table)
    }
  }

  // With `rawHtml: sanitize`, ids and names in an author's raw HTML carry a
  // `user-content-` prefix (so they cannot clobber what scripts read). Links
  // within the post point at the prefixed id already; a link from elsewhere
  // (another page, the newsletter) to `#x` is taken to `#user-content-x`, as
  // GitHub does.
  function followAuthorTarget() {
    var hash = window.location.hash.slice(1)
    if (!hash) return
    var name = hash
    try {
      name = decodeURIComponent(hash)
    } catch (error) {
      // A malformed escape is looked up as written.
    }
    if (document.getElementById(name)) return
    var prefixed = 'user-content-' + name
    var target = document.getElementById(prefixed) || document.getElementsByName(prefixed)[0]
    if (target) target.scrollIntoView()
  }

  // The table of contents follows the reader: the link of the section being
  // read (the last heading above the upper third of the window) is marked
  // with aria-current, and the side column scrolls to keep it in sight,
  // smoothly unless the reader asks for reduced motion. An
  // IntersectionObserver says when a heading crosses that line, so nothing
  // runs on every scroll event.
  function followSections() {
    var links = document.querySelectorAll('.toc-list a[href^="#"]')
    if (links.length === 0 || !('IntersectionObserver' in window)) return
    var headings = []
    var linksOf = Object.create(null) // no inherited keys: an id may be `constructor`
    for (var index = 0; index < links.length; index++) {
      var id = links[index].getAttribute('href').slice(1)
      try {
        id = decodeURIComponent(id)
      } catch (error) {
        // A malformed escape is looked up as written.
      }
      if (!linksOf[id]) {
        var heading = document.getElementById(id)
        if (!heading) continue
        linksOf[id] = []
        headings.push(heading)
      }
      linksOf[id].push(links[index])
    }
    if (headings.length === 0) return
    var reduced = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null
    var current = null

    function reveal(link) {
      var box = link.closest('.toc-side')
      if (!box || box.scrollHeight <= box.clientHeight) return
      var top = link.offsetTop
      if (top >= box.scrollTop && top + link.offsetHeight <= box.scrollTop + box.clientHeight) return
      var target = Math.max(0, top - box.clientHeight / 3)
      if (box.scrollTo) box.scrollTo({top: target, behavior: reduced && reduced.matches ? 'auto' : 'smooth'})
      else box.scrollTop = target
    }

    function update() {
      var line = window.innerHeight / 3
      var active = null
      for (var at = 0; at < headings.length; at++) {
        if (headings[at].getBoundingClientRect().top > line) break
        active = headings[at]
      }
      if (active === current) return
      if (current) {
        for (var off = 0; off < linksOf[current.id].length; off++) linksOf[current.id][off].removeAttribute('aria-current')
      }
      current = active
      if (!active) return
      for (var on = 0; on < linksOf[active.id].length; on++) {
        linksOf[active.id][on].setAttribute('aria-current', 'true')
        reveal(linksOf[active.id][on])
      }
    }

    var observer = new IntersectionObserver(update, {rootMargin: '0px 0px -66% 0px'})
    for (var each = 0; each < headings.length; each++) observer.observe(headings[each])
    update()
  }

  // The search box (when the site has search): shown here, and its script
  // (assets/theme/search.js, which loads the index) fetched only when the
  // box is first focused, by a click, Tab or the `/` key.
  function wireSearch() {
    var box = document.querySelector('.site-search')
    var input = box && box.querySelector('input')
    if (!input) return
    var loaded = false
    input.addEventListener('focus', function () {
      if (loaded) return
      loaded = true
      var script = document.createElement('script')
      script.src = box.getAttribute('data-script')
      document.head.appendChild(script)
    })
    document.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return
      var target = event.target
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
      event.preventDefault()
      input.focus()
    })
    box.hidden = false
  }

  function ready() {
    wrapTables()
    wire()
    wireSearch()
    followAuthorTarget()
    followSections()
  }

  window.addEventListener('hashchange', followAuthorTarget)

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready)
  else ready()
})()

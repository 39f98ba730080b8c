// letterpress search: loaded by the theme script when the search box is
// first used. It loads MiniSearch and the site's index (both scripts, so a
// site opened from file:// searches too), ranks the posts and pages that
// hold every word typed (a title match weighs five times a body match; the
// last word may be the start of one, longer words forgive a typo), and
// shows each result's title and the text around the match, loading that
// post's group of texts (search/text/N.js) only when it is shown.
// Keyboard: `/` focuses the box (theme script), arrows move through the
// results, Enter opens one (the first without a choice), Escape closes them.
;(function () {
  var box = document.querySelector('.site-search')
  var input = box && box.querySelector('input')
  var list = box && box.querySelector('[role="listbox"]')
  var status = box && box.querySelector('[role="status"]')
  if (!input || !list || !status || window.letterpressSearch) return
  var shown = 8
  var index = null
  var texts = Object.create(null) // by URL
  var requested = Object.create(null) // by group
  var results = []
  var active = -1

  window.letterpressSearch = {
    index: function (data) {
      index = window.MiniSearch.loadJS(data, {idField: 'url', fields: ['title', 'text'], storeFields: ['title', 'url', 'group']})
      search()
    },
    texts: function (byUrl) {
      for (var url in byUrl) texts[url] = byUrl[url]
      for (var at = 0; at < results.length; at++) fillExcerpt(at)
    }
  }

  function load(src, then) {
    var script = document.createElement('script')
    script.src = src
    if (then) script.onload = then
    document.head.appendChild(script)
  }

  function say(count) {
    var words = count === 0 ? box.getAttribute('data-no-results') : count === 1 ? box.getAttribute('data-one-result') : box.getAttribute('data-results')
    status.textContent = (words || '').replace('{count}', String(count))
  }

  // `text` as nodes of `parent`, each stretch that matches one of `terms` at a word's start in <mark>.
  function highlight(parent, text, terms) {
    parent.textContent = ''
    var pattern = terms.length ? new RegExp('(^|[^\\p{L}\\p{N}])(' + terms.map(escape).join('|') + ')', 'giu') : null
    var from = 0
    var match
    while (pattern && (match = pattern.exec(text))) {
      var start = match.index + match[1].length
      parent.appendChild(document.createTextNode(text.slice(from, start)))
      var mark = document.createElement('mark')
      mark.textContent = match[2]
      parent.appendChild(mark)
      from = start + match[2].length
      if (match[0].length === 0) pattern.lastIndex++
    }
    parent.appendChild(document.createTextNode(text.slice(from)))
  }

  function escape(term) {
    return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }

  // The stretch of `text` around the first match of `terms` (its opening without one).
  function around(text, terms) {
    var at = -1
    var lower = text.toLowerCase()
    for (var each = 0; each < terms.length; each++) {
      var found = lower.indexOf(terms[each])
      if (found !== -1 && (at === -1 || found < at)) at = found
    }
    var start = Math.max(0, at - 60)
    if (start > 0) start = text.indexOf(' ', start) + 1 || start
    var end = Math.min(text.length, start + 180)
    if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end
    return (start > 0 ? '\u2026' : '') + text.slice(start, end) + (end < text.length ? '\u2026' : '')
  }

  function fillExcerpt(at) {
    var result = results[at]
    var option = document.getElementById('site-search-option-' + at)
    var text = texts[result.url]
    if (!option || text === undefined) return
    highlight(option.querySelector('.site-search-excerpt'), around(text, result.terms), result.terms)
  }

  function choose(at) {
    var options = list.children
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false')
    active = at
    if (at >= 0 && options[at]) {
      options[at].setAttribute('aria-selected', 'true')
      input.setAttribute('aria-activedescendant', options[at].id)
      if (options[at].scrollIntoView) options[at].scrollIntoView({block: 'nearest'})
    } else input.removeAttribute('aria-activedescendant')
  }

  function open(url) {
    window.location.href = url
  }

  function close() {
    list.hidden = true
    list.textContent = ''
    results = []
    choose(-1)
    input.setAttribute('aria-expanded', 'false')
  }

  function search() {
    var query = input.value.trim()
    if (!index || query === '') {
      close()
      status.textContent = ''
      return
    }
    var found = index.search(query, {
      combineWith: 'AND',
      prefix: function (term, at, terms) { return at === terms.length - 1 },
      fuzzy: function (term) { return term.length > 4 ? 0.2 : false },
      boost: {title: 5}
    })
    results = found.slice(0, shown)
    list.textContent = ''
    choose(-1)
    for (var at = 0; at < results.length; at++) {
      var result = results[at]
      var option = document.createElement('div')
      option.id = 'site-search-option-' + at
      option.className = 'site-search-option'
      option.setAttribute('role', 'option')
      option.setAttribute('aria-selected', 'false')
      var title = document.createElement('span')
      title.className = 'site-search-title'
      highlight(title, result.title, result.terms)
      var excerpt = document.createElement('span')
      excerpt.className = 'site-search-excerpt'
      option.appendChild(title)
      option.appendChild(excerpt)
      option.addEventListener('click', open.bind(null, result.url))
      list.appendChild(option)
      if (texts[result.url] !== undefined) fillExcerpt(at)
      else if (!requested[result.group]) {
        requested[result.group] = true
        load(box.getAttribute('data-texts') + result.group + '.js')
      }
    }
    list.hidden = results.length === 0
    input.setAttribute('aria-expanded', results.length > 0 ? 'true' : 'false')
    say(found.length)
  }

  input.addEventListener('input', search)
  input.addEventListener('focus', search)
  input.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (results.length === 0) return
      event.preventDefault()
      var next = active + (event.key === 'ArrowDown' ? 1 : -1)
      choose(next >= results.length ? 0 : next < 0 ? results.length - 1 : next)
    } else if (event.key === 'Enter') {
      var chosen = results[active >= 0 ? active : 0]
      if (chosen) {
        event.preventDefault()
        open(chosen.url)
      }
    } else if (event.key === 'Escape') {
      if (!list.hidden) close()
      else if (input.value) input.value = ''
      else input.blur()
      status.textContent = ''
      event.preventDefault()
    }
  })
  document.addEventListener('click', function (event) {
    if (!box.contains(event.target)) close()
  })

  load(box.getAttribute('data-library'), function () {
    load(box.getAttribute('data-index'))
  })
})()

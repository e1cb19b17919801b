/*
 * Page side of the site's search; runs before Material's bundle (overrides/main.html).
 *
 * 1. Points Material at our worker (workers/korean-search-worker.js), which loads Material's own
 *    worker, named in ?material=, and adds Korean stems, code terms and ranking.
 * 2. Loads the search index and starts the worker only when the reader first opens search
 *    (focus, the search toggle, ?q= or ?h= in the address): a page read without searching
 *    downloads neither.
 * 3. Lets pasted and IME-committed text search at once: Material listens to key-ups only,
 *    so every input event on the search box is passed on as one.
 */
(function () {
  "use strict"

  const SEARCH_BOX = "input[data-md-component=search-query]"
  const INDEX = /\/search\/search_index\.json$/

  const configElement = document.getElementById("__config")
  if (!configElement)
    return
  const config = JSON.parse(configElement.textContent)
  if (!config.search)
    return
  const materialWorker = config.search.split("/").pop()
  config.search = config.search.replace(/[^/]*$/,
    "korean-search-worker.js?material=" + encodeURIComponent(materialWorker))
  configElement.textContent = JSON.stringify(config)
  window.koreanSearch = { worker: config.search, opened: false }

  /* 2. Hold back the index request and the worker until search is opened. */
  const waiting = []
  function open() {
    if (window.koreanSearch.opened)
      return
    window.koreanSearch.opened = true
    for (const resume of waiting.splice(0))
      resume()
  }

  const nativeOpen = XMLHttpRequest.prototype.open
  const nativeSend = XMLHttpRequest.prototype.send
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.koreanSearchIndex = INDEX.test(new URL(url, location.href).pathname)
    return nativeOpen.call(this, method, url, ...rest)
  }
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.koreanSearchIndex && !window.koreanSearch.opened)
      waiting.push(() => nativeSend.apply(this, args))
    else
      return nativeSend.apply(this, args)
  }
  const nativeFetch = window.fetch
  window.fetch = function (resource, ...rest) {
    const url = new URL(resource instanceof Request ? resource.url : resource, location.href)
    if (!INDEX.test(url.pathname) || window.koreanSearch.opened)
      return nativeFetch.call(this, resource, ...rest)
    return new Promise(resolve => waiting.push(resolve))
      .then(() => nativeFetch.call(this, resource, ...rest))
  }

  /* Material creates its worker at start-up; the real one starts with the first message. */
  const NativeWorker = window.Worker
  class DeferredWorker extends EventTarget {
    constructor(url, options) {
      super()
      this.url = url
      this.options = options
      this.worker = null
    }
    postMessage(...args) {
      if (!this.worker) {
        this.worker = new NativeWorker(this.url, this.options)
        this.worker.addEventListener("message", event =>
          this.dispatchEvent(new MessageEvent("message", { data: event.data })))
        this.worker.addEventListener("error", event =>
          this.dispatchEvent(new ErrorEvent("error", { message: event.message })))
      }
      this.worker.postMessage(...args)
    }
    terminate() {
      if (this.worker)
        this.worker.terminate()
    }
  }
  window.Worker = function (url, options) {
    return String(url) === config.search
      ? new DeferredWorker(url, options)
      : new NativeWorker(url, options)
  }

  const params = new URLSearchParams(location.search)
  if (params.has("q") || params.has("h"))
    open()
  document.addEventListener("focusin", event => {
    if (event.target instanceof Element && event.target.matches(SEARCH_BOX))
      open()
  })
  document.addEventListener("change", event => {
    if (event.target instanceof HTMLInputElement && event.target.dataset.mdToggle === "search"
        && event.target.checked)
      open()
  })

  /* 3. Paste, drop, autocomplete and the IME change the box without a key-up. */
  function passOn(event) {
    if (event.target instanceof Element && event.target.matches(SEARCH_BOX))
      event.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  }
  document.addEventListener("input", passOn)
  document.addEventListener("compositionend", passOn)
})()

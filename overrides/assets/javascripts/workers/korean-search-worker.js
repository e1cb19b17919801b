/*
 * The site's search worker: Material's own worker, loaded unchanged, with Korean-aware
 * terms and ranking around it. The page script (../korean-search.js) points Material at
 * this file and names Material's worker in ?material=, so a Material upgrade that renames
 * its worker still loads here (and a test fails if this file is not the one running).
 *
 * - index: every token is stored with its stems and, for code (-d, 8080:80), as a whole
 *   and in parts (korean-words.js);
 * - query: built from the reader's words directly with lunr's query builder, so `-d` is a
 *   term (not "must not contain d") and `:` is not a field separator;
 * - ranking: korean-rank.js.
 */
importScripts("korean-words.js", "korean-rank.js")

const MESSAGE = { SETUP: 0, QUERY: 2, RESULT: 3 }
const TITLE_BOOST = 8      // Material's default is 1000: every chapter title says 도커
const MATERIAL_WORKER = /^search\.[0-9a-f]+\.min\.js$/

let synonyms = []
let plan = null            // the reader's words for the query being answered
let matches = new Map()    // location -> { score, found: [term | null per word] }
let headings = new Map()   // location -> terms of each word of its heading
let answering = ""         // the query text whose result goes out next
let newest = null          // a query waiting for the worker; newer ones replace it

/* Material's worker answers each message with postMessage(await handler(data)). */
const nativePostMessage = self.postMessage.bind(self)
self.postMessage = message => nativePostMessage(
  message && message.type === MESSAGE.RESULT ? rerank(message) : message
)
const nativeAddEventListener = self.addEventListener.bind(self)
self.addEventListener = (type, listener, options) => nativeAddEventListener(
  type,
  type === "message" ? event => receive(event.data, listener) : listener,
  options
)

/* Keys typed while a search runs queue up; answer only the newest of them. */
function receive(message, listener) {
  if (!message || message.type !== MESSAGE.QUERY)
    return listener({ data: prepare(message) })
  const scheduled = newest !== null
  newest = message
  if (!scheduled)
    setTimeout(() => {
      const latest = newest
      newest = null
      listener({ data: prepare(latest) })
    })
}

const material = new URL(self.location.href).searchParams.get("material")
if (!material || !MATERIAL_WORKER.test(material))
  throw new Error(`korean-search: no Material worker named (${material})`)
importScripts(material)
patchLunr(self.lunr)

function prepare(message) {
  if (!message)
    return message
  if (message.type === MESSAGE.SETUP) {
    const { config } = message.data
    synonyms = (config.korean && config.korean.synonyms) || []
    if (config.fields && config.fields.title)
      config.fields.title.boost = TITLE_BOOST
    const separator = new RegExp(config.separator)
    headings = new Map(message.data.docs.map(doc =>
      [doc.location, KoreanRank.headingTerms(doc.title, separator)]))
  } else if (message.type === MESSAGE.QUERY) {
    answering = message.data
    plan = KoreanWords.queryWords(message.data, synonyms)
    matches = new Map()
    /* Material still parses the text for its own bookkeeping; give it plain words only. */
    const plain = message.data.replace(/[^\p{L}\p{N}\s]+/gu, " ").trim()
    return { ...message, data: plan.length ? plain || "x" : "" }
  }
  return message
}

function patchLunr(lunr) {
  function koreanTerms(token) {
    return KoreanWords.indexTerms(token.toString()).map(term => token.clone(() => term))
  }
  lunr.Pipeline.registerFunction(koreanTerms, "korean-terms")

  /* Replace the whole index pipeline: its trimmer would cut the "-" off "-d". */
  const nativeAdd = lunr.Builder.prototype.add
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (this.pipeline._stack[0] !== koreanTerms)
      this.pipeline._stack = [koreanTerms]
    return nativeAdd.call(this, doc, attributes)
  }

  const nativeSearch = lunr.Index.prototype.search
  lunr.Index.prototype.search = function (text) {
    if (!plan)
      return nativeSearch.call(this, text)
    const results = this.query(query => {
      for (const word of plan)
        for (const [term, boost] of word.alternatives)
          query.term(term, { usePipeline: false, boost, wildcard: lunr.Query.wildcard.TRAILING })
    })
    const ranked = KoreanRank.rank(results, plan, headings)
    matches = ranked.matches
    ranked.results.forEach(onePositionOnce)
    return ranked.results
  }
}

/*
 * A word and its stem share a position (볼륨을 and 볼륨): Material would mark that text
 * once per term and break its own <mark> tags, so each position is kept for one term only.
 */
function onePositionOnce({ matchData }) {
  const seen = new Set()
  for (const fields of Object.values(matchData.metadata))
    for (const [field, data] of Object.entries(fields)) {
      if (!data.position)
        continue
      data.position = data.position.filter(position => {
        const key = `${field}:${JSON.stringify(position)}`
        return !seen.has(key) && seen.add(key)
      })
      if (!data.position.length)
        delete fields[field]
    }
}

/*
 * Material multiplies scores by its own boost, which favours whole pages; put ours back.
 * The result names its query, so the page (and a test) knows which typing it answers.
 */
function rerank(message) {
  if (!plan || !message.data || !message.data.items)
    return message
  const items = KoreanRank.regroup(message.data.items, plan, matches)
  return { ...message, data: { ...message.data, items, query: answering } }
}

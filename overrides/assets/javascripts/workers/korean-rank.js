/*
 * Ranking for the site's search: which section answers the reader's words.
 *
 * lunr's score (tf-idf, headings weigh more, appendix pages carry a lower boost from the
 * build) is multiplied by
 * - coverage: the share of the reader's words the section contains, rare words weighing
 *   more than words every section has, cubed, so a section with all the words beats one
 *   that repeats a few; a whole word counts more than a word that only starts the same
 *   way, a synonym or a part of a command a little less;
 * - heading fit: the share of the heading's words the query names, so "바인드 마운트"
 *   ranks the section titled 바인드 마운트 above one that mentions it in passing.
 * Then results are grouped by page, best page first, and sections within reach of their
 * page's best stay in view instead of folding under "더 보기".
 */
(function (root) {
  "use strict"

  const PREFIX_ONLY = 0.75     // 컨테 for 컨테이너: fine while typing, below a whole word
  const HEADING_FIT = 1.5
  const IN_VIEW = 0.6          // sections scoring this share of their page's best stay visible
  const MAX_IN_VIEW = 3
  const MAX_RESULTS = 20       // Material highlights every result it gets; the rest are noise

  function headingTerms(title, separator) {
    const text = title.replace(/<[^>]+>/g, " ").toLowerCase()
    return text.split(separator)
      .map(token => KoreanWords.indexTerms(token))
      .filter(terms => terms.length)
  }

  /* For one result: per query word the best way it matched ({ alternative, weight }) or null */
  function wordsFound(plan, terms) {
    const exact = new Set(terms)
    return plan.map(word => {
      let best = null
      for (const [alternative, weight] of word.alternatives) {
        const value = exact.has(alternative) ? weight
          : terms.some(term => term.startsWith(alternative)) ? weight * PREFIX_ONLY : 0
        if (value && (!best || value > best.weight))
          best = { alternative, weight: value }
      }
      return best
    })
  }

  function headingFit(plan, heading) {
    if (!heading || !heading.length)
      return 0
    const wanted = new Set()
    for (const word of plan)
      for (const alternative of word.alternatives.keys())
        wanted.add(alternative)
    const named = heading.filter(terms => terms.some(term => wanted.has(term))).length
    return named / heading.length
  }

  /* Rescores lunr's results in place; returns the best MAX_RESULTS and what each matched. */
  function rank(results, plan, headings) {
    const found = results.map(({ matchData }) => wordsFound(plan, Object.keys(matchData.metadata)))
    /* A word no section contains (뭔가요, 돼요) says nothing about which section is best,
       and neither does a one-syllable word when the query has longer ones. */
    const strong = plan.some(word => !word.weak)
    const counted = plan.map((word, index) =>
      (!word.weak || !strong) && found.some(words => words[index]))
    /* Rare words decide more than words every section has (도커, 컨테이너). */
    const documents = Math.max(headings.size, results.length)
    const rarity = plan.map((_, index) => {
      const containing = found.filter(words => words[index]).length
      return counted[index] ? Math.log(1 + (documents - containing + 0.5) / (containing + 0.5)) : 0
    })
    const informative = rarity.reduce((sum, value) => sum + value, 0) || 1
    const matches = new Map()
    results.forEach((result, index) => {
      const coverage = found[index]
        .reduce((sum, word, position) => sum + (word ? word.weight * rarity[position] : 0), 0) / informative
      const fit = headingFit(plan, headings.get(result.ref))
      result.score *= coverage ** 3 * (1 + HEADING_FIT * fit)
      matches.set(result.ref, { score: result.score, found: found[index] })
    })
    results.sort((a, b) => b.score - a.score)
    return { results: results.slice(0, MAX_RESULTS), matches }
  }

  /*
   * Material's result groups with our scores: pages in the order of their best entry,
   * entries best first; entries near the page's best share its score so Material shows
   * them rather than folding them away. Query terms name what matched (for highlighting).
   */
  function regroup(groups, plan, matches) {
    const items = groups.flat().map(item => {
      const match = matches.get(item.location)
      const terms = {}
      plan.forEach((word, index) => {
        const found = match && match.found[index]
        terms[found ? found.alternative : word.typed] = !!found
      })
      return { ...item, score: match ? match.score : 0, terms }
    })
    const pages = new Map()
    for (const item of items.sort((a, b) => b.score - a.score)) {
      const page = item.location.split("#")[0]
      if (!pages.has(page))
        pages.set(page, [])
      pages.get(page).push(item)
    }
    for (const entries of pages.values()) {
      const best = entries[0].score
      entries.slice(1, MAX_IN_VIEW).forEach(entry => {
        if (best > 0 && entry.score >= best * IN_VIEW)
          entry.score = best
      })
    }
    return [...pages.values()]
  }

  root.KoreanRank = { headingTerms, rank, regroup }
})(self)

/*
 * Words for Korean search: the same rules make the terms stored in the index and the
 * terms looked up for a query, so a word with a particle or an ending on either side
 * meets its stem on the other (볼륨을 -> 볼륨, 마운트하면 -> 마운트, cgroups -> cgroup).
 *
 * Korean: strip one particle or ending, longest first, keeping a stem of at least two
 * syllables (or two letters of a Latin word, as in "dockerfile로"), then once more for
 * stacked endings (격리되었는지). A plain suffix table, not a morphological analyser:
 * it has to run in the browser on the query, and the same table on the index keeps
 * both sides identical.
 */
(function (root) {
  "use strict"

  /* Particles (조사), copula forms and verb endings; only string suffixes, no jamo. */
  const SUFFIXES = [
    // particles
    "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만", "나", "랑",
    "으로", "에서", "에게", "께서", "한테", "까지", "부터", "보다", "처럼", "마다", "조차",
    "이나", "이란", "이라", "이며", "이고", "이랑", "만큼", "밖에", "에는", "에도", "에선",
    "와는", "과는", "로는", "로도", "로서", "로써", "이든", "든지", "에서는", "에서도",
    "으로는", "으로도", "으로서", "으로써", "에게는", "까지는", "부터는", "만으로", "이라는",
    "라는", "이라고", "라고", "이지만", "지만",
    // copula
    "이다", "입니다", "이에요", "예요", "인가요", "인데", "이죠", "인지", "일까",
    // 하다 / 되다 and their endings
    "하다", "한다", "하는", "하면", "하려면", "하고", "하기", "하지", "하여", "해서", "해야",
    "했다", "합니다", "했습니다", "하세요", "해요", "하게", "하도록", "할", "한", "해",
    "하면서", "하거나", "하니", "하는데", "할까", "할때",
    "되다", "된다", "되는", "되면", "되고", "되기", "되지", "되어", "돼", "됐다", "됩니다",
    "된", "될", "되었다", "되었는지", "됐는지", "돼요", "되나요",
    "시키다", "시키는", "시키면", "시킨",
    // endings after other verb stems (지우기, 쓰이고, 띄우려면)
    "기", "고", "면", "으면", "려면", "으려면", "는지", "은지", "게", "도록", "어서", "아서",
    "었다", "았다", "습니다", "나요", "는데",
  ]

  /* Suffixes by their last syllable, longest first: one lookup per word, not a scan. */
  const SUFFIXES_BY_LAST = new Map()
  for (const suffix of [...SUFFIXES].sort((a, b) => b.length - a.length)) {
    const last = suffix[suffix.length - 1]
    SUFFIXES_BY_LAST.set(last, [...SUFFIXES_BY_LAST.get(last) || [], suffix])
  }

  const HANGUL = /[\uac00-\ud7a3]/
  const LATIN_WORD = /^[a-z][a-z]+$/
  /* Punctuation that joins a code token: -d, --name, 8080:80, compose.yaml, a/b, depends_on */
  const CODE_JOINERS = /[-:./_@]/
  const CODE_PARTS = /[-:./_@]+/
  const EDGE_START = /^[^\p{L}\p{N}-]+/u
  const EDGE_END = /[^\p{L}\p{N}]+$/u

  function trim(token) {
    return token.replace(EDGE_START, "").replace(EDGE_END, "")
  }

  function longEnough(stem) {
    const syllables = [...stem].filter(char => HANGUL.test(char)).length
    return syllables >= 2 || (syllables === 0 ? stem.length >= 2 : stem.length - syllables >= 2)
  }

  function stripOnce(word) {
    for (const suffix of SUFFIXES_BY_LAST.get(word[word.length - 1]) || [])
      if (word.endsWith(suffix)) {
        const stem = word.slice(0, -suffix.length)
        if (longEnough(stem))
          return stem
      }
    return undefined
  }

  function singular(word) {
    if (!LATIN_WORD.test(word) || word.length < 4)
      return undefined
    if (word.endsWith("ies"))
      return word.slice(0, -3) + "y"
    if (/(ss|x|ch|sh)es$/.test(word))
      return word.slice(0, -2)
    if (word.endsWith("s") && !/(ss|us|is)$/.test(word))
      return word.slice(0, -1)
    return undefined
  }

  /* The word itself, then its stems: ["마운트하면", "마운트"], ["cgroups", "cgroup"] */
  function stems(word) {
    const found = [word]
    let current = word
    for (let round = 0; round < 2; round++) {
      const stem = stripOnce(current)
      if (!stem)
        break
      found.push(stem)
      current = stem
    }
    const plural = singular(current)
    if (plural)
      found.push(plural)
    return found
  }

  function isCode(token) {
    return token.startsWith("-") || CODE_JOINERS.test(token)
  }

  function parts(token) {
    return token.split(CODE_PARTS).filter(part => part.length > 1 || HANGUL.test(part))
  }

  /* Every term the index keeps for one token from the page (pages repeat their words) */
  const known = new Map()
  function indexTerms(raw) {
    let terms = known.get(raw)
    if (!terms) {
      terms = termsOf(raw)
      known.set(raw, terms)
    }
    return terms
  }

  function termsOf(raw) {
    const token = trim(raw.toLowerCase())
    if (!token)
      return []
    const terms = new Set()
    if (isCode(token)) {
      terms.add(token)
      for (const part of parts(token))
        for (const stem of stems(part))
          terms.add(stem)
    } else {
      for (const stem of stems(token))
        terms.add(stem)
    }
    return [...terms]
  }

  function normalize(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim()
  }

  /*
   * Synonym groups ([["도커파일", "dockerfile"], ["바인드 마운트", "bind mount"], ...]) are
   * matched against runs of query words, by typed form or stem; a match adds every other
   * member's words as alternatives of each word in the run.
   */
  function synonymAlternatives(words, groups) {
    const extra = words.map(() => new Set())
    for (const group of groups || []) {
      const members = group.map(member => normalize(member).split(" "))
      members.forEach((member, index) => {
        for (let start = 0; start + member.length <= words.length; start++) {
          const run = words.slice(start, start + member.length)
          const joined = member.every((part, offset) => run[offset].forms.includes(part))
          if (!joined)
            continue
          members.forEach((other, otherIndex) => {
            if (otherIndex === index)
              return
            for (let offset = 0; offset < member.length; offset++)
              for (const part of other)
                extra[start + offset].add(part)
          })
        }
      })
    }
    return extra
  }

  /*
   * A query, word by word: what the reader typed and the terms that count as that word,
   * each with a weight (typed form and stems 1, synonyms 0.8, parts of a code token 0.3).
   */
  function queryWords(query, synonyms) {
    const words = normalize(query).split(" ")
      .map(trim)
      .filter(Boolean)
      .map(typed => {
        const forms = new Set()
        const alternatives = new Map()
        if (isCode(typed)) {
          alternatives.set(typed, 1)
          forms.add(typed)
          for (const part of parts(typed))
            for (const stem of stems(part))
              if (!alternatives.has(stem))
                alternatives.set(stem, 0.3)
        } else {
          for (const stem of stems(typed)) {
            alternatives.set(stem, 1)
            forms.add(stem)
          }
        }
        /* One syllable on its own (법, 때, 안) is mostly a function word in a question */
        const weak = /^[\uac00-\ud7a3]$/.test(typed)
        return { typed, forms: [...forms], alternatives, weak }
      })
    synonymAlternatives(words, synonyms).forEach((extra, index) => {
      for (const term of extra)
        for (const stem of stems(term))
          if (!words[index].alternatives.has(stem))
            words[index].alternatives.set(stem, 0.8)
    })
    return words
  }

  root.KoreanWords = { indexTerms, queryWords, stems, trim }
  if (typeof module !== "undefined")
    module.exports = root.KoreanWords
})(typeof self !== "undefined" ? self : this)

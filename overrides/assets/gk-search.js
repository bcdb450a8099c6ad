// Header search over the index that builder/search.py writes under search/: overlapping
// CJK character pairs, so every keyword of two or more characters finds every page that
// contains it. A query is turned into the same terms (bigrams below = cjk_bigrams in
// search.py); only the index files for those terms are fetched (a small directory and one
// part where a character's file is split), then the results shown. Results are units,
// reports and tasks (a task of several periods once, at its latest), those with every word
// in the title first, then in the order of the index (the latest period first). Nothing is
// loaded from outside the site.
//
// The search is part of the page's address: ?q=专精特新 opens it with its results (a shared
// link works on any page). Typing replaces the address; a result list the reader has
// settled on (a second without typing, or Enter) keeps its own history entry, so Back
// from a result's page shows the results again and Back in the search returns to the
// previous search, then to the page. Closing the search takes ?q= away.
(function () {
  "use strict";

  var CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}";
  // As _TOKEN_RE in builder/search.py: CJK runs and Latin/digit words; punctuation separates.
  var TOKEN = new RegExp("[" + CJK + "]+|[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*", "gu");
  var IS_CJK = new RegExp("^[" + CJK + "]", "u");
  // As in builder/search.py.
  var TITLE_MARK = "^";
  var ANY = "*";
  var MAGIC = "GKS2";
  var DIRECTORY = 1;
  var RESULTS_PER_FILE = 2;
  var LONGEST_TERM = 64;
  var PARAM = "q";
  var SETTLE_MS = 1000;
  // Results shown at a time.
  var PAGE = 10;
  var dialog = null;

  // As normalize in builder/search.py: full-width ＭＴＢＥ is MTBE.
  function normalize(text) {
    return String(text).normalize("NFKC");
  }

  function bigrams(text) {
    var out = [];
    (normalize(text).match(TOKEN) || []).forEach(function (token) {
      var chars = Array.from(token);
      if (IS_CJK.test(token) && chars.length > 1) {
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(token);
      }
    });
    return out.join(" ");
  }

  // -- highlighting ---------------------------------------------------------------------------

  // The text as searched (NFKC, lower case) and, for each of its UTF-16 units, where the
  // character it comes from starts and ends in the text as shown.
  function folded(text) {
    var out = "";
    var starts = [];
    var ends = [];
    var at = 0;
    Array.from(text).forEach(function (ch) {
      var f = ch.normalize("NFKC").toLowerCase();
      for (var i = 0; i < f.length; i++) {
        starts.push(at);
        ends.push(at + ch.length);
      }
      out += f;
      at += ch.length;
    });
    return { text: out, starts: starts, ends: ends };
  }

  // What to mark for each word of the query in one result (its title, text and report):
  // the word itself where it occurs whole; else its pieces (安庆，专精特新 → 安庆, 专精特新);
  // else their character pairs, by which the index found the task.
  function markedWords(query, texts) {
    var all = texts.map(function (t) { return normalize(t).toLowerCase(); }).join("\n");
    return normalize(query).toLowerCase().split(/\s+/).filter(Boolean).map(function (word) {
      var tokens = word.match(TOKEN) || [];
      var pairs = [];
      tokens.forEach(function (token) {
        var chars = Array.from(token);
        if (IS_CJK.test(token) && chars.length > 2) {
          for (var i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
        }
      });
      var forms = [[word], tokens, pairs];
      for (var k = 0; k < forms.length; k++) {
        var present = forms[k].filter(function (needle) { return all.indexOf(needle) >= 0; });
        if (present.length) return present;
      }
      return [];
    });
  }

  // Where the words occur in `text`: [{start, end, word}], in the text's own positions.
  function hits(text, words) {
    var f = folded(text);
    var found = [];
    words.forEach(function (needles, w) {
      needles.forEach(function (needle) {
        for (var at = f.text.indexOf(needle); at >= 0; at = f.text.indexOf(needle, at + needle.length)) {
          found.push({ start: f.starts[at], end: f.ends[at + needle.length - 1], word: w });
        }
      });
    });
    return found.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
  }

  // Put `text` into `element` as text, with every hit inside <mark>. Never as HTML.
  function fill(element, text, found) {
    element.textContent = "";
    var at = 0;
    found.forEach(function (hit) {
      var start = Math.max(hit.start, at);
      if (hit.end <= start) return;
      if (start > at) element.appendChild(document.createTextNode(text.slice(at, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, hit.end);
      element.appendChild(mark);
      at = hit.end;
    });
    if (at < text.length) element.appendChild(document.createTextNode(text.slice(at)));
  }

  function highlight(element, text, words) {
    fill(element, text, hits(text, words));
  }

  // A short piece of the result's text that starts where the query is: in its text (a task's
  // lines), else in the other texts it is found in (科室, 监督电话, an earlier period's
  // sentences, labelled), else the beginning of its text. Units' other names, which only
  // make the index find a task, are never shown here.
  var LENGTH = 90;
  var LEAD = 6; // a word this near the beginning: the piece starts at the beginning

  function snippet(element, item, words) {
    var pieces = [["", item.content]].concat(item.more);
    var best = null;
    pieces.forEach(function (piece) {
      var text = piece[1].replace(/\s+/g, " ").trim();
      var found = hits(text, words);
      var distinct = {};
      found.forEach(function (hit) { distinct[hit.word] = true; });
      var n = Object.keys(distinct).length;
      if (n && (!best || n > best.words)) best = { label: piece[0], text: text, found: found, words: n };
    });
    if (!best) best = { label: "", text: item.content.replace(/\s+/g, " ").trim(), found: [], words: 0 };
    var text = best.text;
    var found = best.found;
    // The first hit of the stretch that holds the most of the query's words.
    var from = null;
    var most = 0;
    for (var i = 0; i < found.length && i < 500; i++) {
      var seen = {};
      var count = 0;
      for (var j = i; j < found.length && found[j].end <= found[i].start + LENGTH; j++) {
        if (!seen[found[j].word]) {
          seen[found[j].word] = true;
          count++;
        }
      }
      if (count > most) {
        from = found[i];
        most = count;
      }
    }
    // A short text is shown whole (也称：市工信局、市经信局), a longer one from the word found.
    var start = from && from.start > LEAD && text.length > LENGTH ? from.start : 0;
    var end = Math.min(text.length, start + LENGTH);
    // Not between the two halves of a character beyond U+FFFF.
    if (/[\udc00-\udfff]/.test(text.charAt(end))) end++;
    var piece = text.slice(start, end);
    var shifted = found
      .filter(function (hit) { return hit.start >= start && hit.end <= end; })
      .map(function (hit) { return { start: hit.start - start, end: hit.end - start, word: hit.word }; });
    fill(element, piece, shifted);
    if (start > 0) element.insertBefore(document.createTextNode("…"), element.firstChild);
    if (end < text.length) element.appendChild(document.createTextNode("…"));
    if (best.label) {
      var where = document.createElement("span");
      where.className = "gk-search__where";
      where.textContent = best.label + "：";
      element.insertBefore(where, element.firstChild);
    }
    return piece.length > 0;
  }

  function base() {
    var meta = document.querySelector('meta[name="gk-base"]');
    return new URL((meta ? meta.content : ".").replace(/\/?$/, "/"), window.location.href);
  }

  // -- the index (format: _tree, _leaf and _directory in builder/search.py) -----------------
  var nodes = {};
  var resultFiles = {};

  // As term_file in builder/search.py, without ".bin".
  function fileKey(term) {
    return Array.from(term)[0].codePointAt(0).toString(16);
  }

  function fetchJson(path) {
    return fetch(new URL(path, base()).href).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  // One file of the index, parsed; null where there is none (no term begins with that character).
  function loadNode(name) {
    if (!nodes[name]) {
      nodes[name] = fetch(new URL("search/t/" + name + ".bin", base()).href).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.arrayBuffer().then(parseNode);
      }).catch(function (error) {
        delete nodes[name]; // a lost connection: the next search asks again
        throw error;
      });
    }
    return nodes[name];
  }

  function parseNode(buffer) {
    var bytes = new Uint8Array(buffer);
    var view = new DataView(buffer);
    var decoder = new TextDecoder();
    if (bytes.length < 13 || decoder.decode(bytes.subarray(0, 4)) !== MAGIC) return null;
    var node = { directory: bytes[4] === DIRECTORY, count: view.getUint32(5, true), bytes: bytes, view: view, terms: [] };
    var at = 13;
    for (var n = view.getUint32(9, true); n > 0; n--) {
      var length = view.getUint16(at, true);
      var term = decoder.decode(bytes.subarray(at + 2, at + 2 + length));
      at += 2 + length;
      if (node.directory) {
        node.terms.push({ term: term, part: view.getUint32(at, true) });
        at += 4;
      } else {
        node.terms.push({ term: term, kind: view.getUint8(at), size: view.getUint32(at + 1, true) });
        at += 5;
      }
    }
    if (!node.directory) {
      node.terms.forEach(function (entry) {
        entry.offset = at;
        at += entry.size;
      });
    }
    return node;
  }

  // The order of the index (_order in builder/search.py): body terms, then title terms, each
  // by UTF-16 code units, which is how JavaScript compares strings.
  function order(a, b) {
    var ta = a.charAt(0) === TITLE_MARK ? 1 : 0;
    var tb = b.charAt(0) === TITLE_MARK ? 1 : 0;
    if (ta !== tb) return ta - tb;
    a = a.slice(ta);
    b = b.slice(tb);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // Whether `term` is one the query term `prefix` (with its mark) finds.
  function begins(term, prefix) {
    return term.lastIndexOf(prefix, 0) === 0 && term.slice(-1) !== ANY;
  }

  // The leaf where `term` is, or would be.
  function leafFor(node, key, term) {
    if (!node || !node.directory) return Promise.resolve(node);
    var i = 0;
    while (i + 1 < node.terms.length && order(node.terms[i + 1].term, term) <= 0) i++;
    return loadNode(key + "." + node.terms[i].part).then(function (child) {
      return leafFor(child, key, term);
    });
  }

  // The leaves that may hold terms beginning with `prefix`.
  function leavesFor(node, key, prefix) {
    if (!node) return Promise.resolve([]);
    if (!node.directory) return Promise.resolve([node]);
    var wanted = node.terms.filter(function (part, i) {
      var next = node.terms[i + 1];
      var first = part.term;
      return (!next || order(next.term, prefix) > 0) && (order(first, prefix) <= 0 || first.lastIndexOf(prefix, 0) === 0);
    });
    return Promise.all(wanted.map(function (part) {
      return loadNode(key + "." + part.part).then(function (child) {
        return leavesFor(child, key, prefix);
      });
    })).then(function (lists) {
      return [].concat.apply([], lists);
    });
  }

  // The entries a query term finds (title terms: with TITLE_MARK): its prefix's union entry
  // where the index has one, else every term it begins. [{node, entry}]
  function entriesFor(term, inTitle) {
    var key = fileKey(term);
    var prefix = (inTitle ? TITLE_MARK : "") + term;
    return loadNode(key).then(function (root) {
      return leafFor(root, key, prefix + ANY).then(function (leaf) {
        var union = leaf && leaf.terms.filter(function (e) { return e.term === prefix + ANY; })[0];
        if (union) return [{ node: leaf, entry: union }];
        return leavesFor(root, key, prefix).then(function (leaves) {
          var found = [];
          leaves.forEach(function (node) {
            node.terms.forEach(function (entry) {
              if (begins(entry.term, prefix)) found.push({ node: node, entry: entry });
            });
          });
          return found;
        });
      });
    });
  }

  // Mark in `marks` the pages of one entry (_payload in builder/search.py): varints of the
  // differences of the page numbers, the same of the pages without the term, or a bitmap.
  function mark(node, entry, marks) {
    var i;
    var bytes = node.bytes;
    var end = entry.offset + entry.size;
    if (entry.kind === 2) {
      for (i = 0; i < node.count; i++) {
        if (bytes[entry.offset + (i >> 3)] & (1 << (i & 7))) marks[i] = 1;
      }
      return;
    }
    var listed = entry.kind === 0 ? marks : new Uint8Array(node.count).fill(1);
    var page = 0;
    for (i = entry.offset; i < end; ) {
      var number = 0;
      var shift = 0;
      var byte;
      do {
        byte = bytes[i++];
        number += (byte & 0x7f) * Math.pow(2, shift);
        shift += 7;
      } while (byte & 0x80);
      page += number;
      listed[page] = entry.kind === 0 ? 1 : 0;
    }
    if (entry.kind === 1) {
      for (i = 0; i < node.count; i++) if (listed[i]) marks[i] = 1;
    }
  }

  function both(a, b) {
    for (var i = 0; i < a.length; i++) a[i] = a[i] && b[i];
    return a;
  }

  // A query's terms, as the index has them (cjk_bigrams in builder/search.py).
  function queryTerms(query) {
    return bigrams(query).toLowerCase().split(" ").map(function (t) {
      return Array.from(t).slice(0, LONGEST_TERM).join("");
    }).filter(function (t, i, all) {
      return t && all.indexOf(t) === i;
    });
  }

  // Whether every query term begins a term of the item's title or other names, as the
  // title entries of the index say (terms in builder/search.py).
  function inTitle(item, terms) {
    var own = [];
    (normalize([item.title].concat(item.names).join("\n")).toLowerCase().match(TOKEN) || []).forEach(function (token) {
      var chars = Array.from(token);
      if (IS_CJK.test(token)) {
        for (var i = 0; i + 1 < chars.length; i++) own.push(chars[i] + chars[i + 1]);
        own.push(chars[chars.length - 1]);
      } else {
        own.push(chars.slice(0, LONGEST_TERM).join(""));
      }
    });
    return terms.every(function (term) {
      return own.some(function (t) { return t.lastIndexOf(term, 0) === 0; });
    });
  }

  // The pages that contain every term of the query (every word of 安庆 专精特新): those with
  // all of them in the title first, then the others, each in the order of the index (units,
  // reports, tasks; the latest period first). Where the pages are no more than a page of
  // results, whose data is fetched to show them anyway, their titles are read there; else
  // the index's title entries say which they are.
  function find(query) {
    var terms = queryTerms(query);
    var none = { results: [], units: 0, reports: 0, tasks: 0 };
    if (!terms.length) return Promise.resolve(none);
    var count = 0;
    var pages = null;
    return Promise.all([
      Promise.all(terms.map(function (term) { return entriesFor(term, false); })),
      loadMeta(),
    ]).then(function (loaded) {
      loaded[0].forEach(function (list) { if (list.length) count = list[0].node.count; });
      if (!count) return none;
      var body = null;
      loaded[0].forEach(function (list) {
        var marks = new Uint8Array(count);
        list.forEach(function (hit) { mark(hit.node, hit.entry, marks); });
        body = body ? both(body, marks) : marks;
      });
      pages = [];
      for (var page = 0; page < count; page++) if (body[page]) pages.push(page);
      var ordered;
      if (pages.length <= PAGE) {
        ordered = Promise.all(pages.map(function (page) { return result(page).data(); })).then(function (items) {
          var first = pages.filter(function (page, i) { return inTitle(items[i], terms); });
          return first.concat(pages.filter(function (page) { return first.indexOf(page) < 0; }));
        });
      } else {
        ordered = Promise.all(terms.map(function (term) { return entriesFor(term, true); })).then(function (lists) {
          var title = null;
          lists.forEach(function (list) {
            var marks = new Uint8Array(count);
            list.forEach(function (hit) { mark(hit.node, hit.entry, marks); });
            title = title ? both(title, marks) : marks;
          });
          return pages.filter(function (page) { return title[page]; }).concat(
            pages.filter(function (page) { return !title[page]; }));
        });
      }
      return ordered.then(function (all) {
        var meta = loaded[1];
        var units = meta.units || 0;
        var reports = meta.reports || 0;
        var kinds = { results: all.map(result), units: 0, reports: 0, tasks: 0 };
        all.forEach(function (page) {
          kinds[page < units ? "units" : page < units + reports ? "reports" : "tasks"]++;
        });
        return kinds;
      });
    });
  }

  function result(page) {
    return {
      data: function () {
        var name = Math.floor(page / RESULTS_PER_FILE);
        if (!resultFiles[name]) {
          resultFiles[name] = fetchJson("search/r/" + name + ".json").catch(function (error) {
            delete resultFiles[name];
            throw error;
          });
        }
        return resultFiles[name].then(function (items) {
          var item = items[page % RESULTS_PER_FILE];
          return {
            url: new URL(item.url, base()).pathname,
            title: item.title,
            names: item.names || [],
            kind: item.kind || "task",
            meta: item.meta || [],
            content: item.content || "",
            more: item.more || [],
            note: item.note || "",
            periods: item.periods || [],
            gone: item.gone || "",
          };
        });
      },
    };
  }

  // Counts, the units index and the example word chosen at build time (meta.json;
  // _write_index and example_word in builder/search.py).
  var metaFile = null;

  function loadMeta() {
    if (!metaFile) {
      metaFile = fetchJson("search/meta.json").catch(function () {
        metaFile = null;
        return {};
      });
    }
    return metaFile;
  }

  // -- the address: ?q= ------------------------------------------------------------------------
  var DOCUMENT = String(Date.now()) + Math.random();
  // Whether the current history entry holds a result list to keep: the next change of the
  // query then starts an entry of its own (pushState) instead of replacing it.
  var settled = true;
  var settleTimer = null;
  // Set while closing the search goes back through the entries it added.
  var closing = false;

  function urlQuery() {
    var params = new URLSearchParams(window.location.search);
    return params.has(PARAM) ? params.get(PARAM) : null;
  }

  function urlFor(query) {
    var url = new URL(window.location.href);
    if (query === null) url.searchParams.delete(PARAM);
    else url.searchParams.set(PARAM, query);
    return url.pathname + url.search + url.hash;
  }

  // Our entries: {gkSearch: query, gkDocument, gkDepth: how many of this document's search
  // entries lie between it and the page it was opened on}.
  function ownState() {
    var state = window.history.state;
    return state && state.gkDocument === DOCUMENT ? state : null;
  }

  function remember(query) {
    clearTimeout(settleTimer);
    var own = ownState();
    if (urlQuery() === query) return;
    var depth = own ? own.gkDepth : 0;
    try {
      // An emptied box starts no entry of its own.
      if (settled && query !== null) {
        window.history.pushState({ gkSearch: query, gkDocument: DOCUMENT, gkDepth: depth + 1 }, "", urlFor(query));
        settled = false;
      } else {
        window.history.replaceState({ gkSearch: query, gkDocument: DOCUMENT, gkDepth: depth }, "", urlFor(query));
      }
    } catch (e) {
      // A sandboxed or file: page may refuse; the search works without the address.
    }
  }

  function settle(delay) {
    clearTimeout(settleTimer);
    if (delay) settleTimer = setTimeout(function () { settled = true; }, delay);
    else settled = true;
  }

  // Closing the search: back to the page as it was opened (through the entries the search
  // added, so that Back then leaves the page), without ?q=.
  function forget() {
    clearTimeout(settleTimer);
    settled = true;
    var own = ownState();
    if (own && own.gkDepth > 0) {
      closing = true;
      window.history.go(-own.gkDepth);
    } else if (urlQuery() !== null) {
      try {
        window.history.replaceState(null, "", urlFor(null));
      } catch (e) {
        // as in remember
      }
    }
  }

  window.addEventListener("popstate", function () {
    clearTimeout(settleTimer);
    settled = true;
    var query = urlQuery();
    if (closing) {
      closing = false;
      if (query !== null) {
        try {
          window.history.replaceState(null, "", urlFor(null));
        } catch (e) {
          // as in remember
        }
      }
      return;
    }
    if (query !== null) open(query, "history");
    else if (dialog && dialog.open) close(true);
  });

  // -- the dialog ------------------------------------------------------------------------------
  function createDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "gk-search-dialog";
    dialog.setAttribute("aria-labelledby", "gk-search-title");
    dialog.innerHTML =
      '<div class="gk-search-dialog__bar"><h2 class="gk-search-dialog__title" id="gk-search-title">搜索任务、单位和报告</h2>' +
      '<button type="button" class="gk-search-dialog__close">关闭</button></div>' +
      '<form class="gk-search__form" role="search"><label class="gk-search__label" for="gk-search-input">' +
      "输入任务里的任意词语、单位简称、报告名称或完成状态，几个词用空格隔开</label>" +
      '<p class="gk-search__hint" hidden>例如：<button type="button" class="gk-search__example"></button></p>' +
      '<input id="gk-search-input" class="gk-search__input" type="search" autocomplete="off" ' +
      'enterkeyhint="search" placeholder="搜索任务、单位或任意词语"></form>' +
      '<p class="gk-search__status" aria-live="polite"></p>' +
      '<ol class="gk-search__results"></ol>' +
      '<div class="gk-search__suggest" hidden></div>' +
      '<button type="button" class="gk-search__more" hidden>显示更多结果</button>';
    dialog.querySelector(".gk-search-dialog__close").addEventListener("click", function () {
      close(false);
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) close(false);
    });
    // Also where the browser closes the dialog itself (Escape elsewhere, Android's Back).
    // The event comes after close() has returned.
    dialog.addEventListener("close", function () {
      var quietly = closingQuietly;
      closingQuietly = false;
      if (!quietly) forget();
    });
    var input = dialog.querySelector("input");
    var timer = null;
    // Escape in a search field would only clear it; here it closes the search, as expected.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close(false);
      }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      clearTimeout(settleTimer);
      timer = setTimeout(function () { search(input.value, "typing"); }, 200);
    });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search(input.value, "enter");
    });
    var example = dialog.querySelector(".gk-search__example");
    example.addEventListener("click", function () {
      clearTimeout(timer);
      input.value = example.textContent;
      search(input.value, "enter");
      input.focus();
    });
    loadMeta().then(function (meta) {
      if (!meta.example) return;
      example.textContent = meta.example;
      example.setAttribute("aria-label", "搜索“" + meta.example + "”");
      dialog.querySelector(".gk-search__hint").hidden = false;
    });
    dialog.querySelector(".gk-search__more").addEventListener("click", function () {
      showMore();
      settle(0);
    });
    document.body.appendChild(dialog);
  }

  var current = { id: 0, results: [], shown: 0, query: "" };
  var KINDS = { unit: "单位", report: "报告" };

  function quoted(query) {
    return query.split(/\s+/).map(function (word) { return "“" + word + "”"; }).join("");
  }

  // 1 个单位、2 份报告、17 项任务
  function counted(found) {
    var parts = [];
    if (found.units) parts.push(found.units + " 个单位");
    if (found.reports) parts.push(found.reports + " 份报告");
    if (found.tasks) parts.push(found.tasks + " 项任务");
    return parts.join("、");
  }

  // Shorter words to try where a query finds nothing: each of its words alone, and the first
  // and last two characters of a longer word (数字化车间 → 数字, 车间).
  function shorter(query) {
    var words = query.split(/\s+/).filter(Boolean);
    var out = words.length > 1 ? words.slice() : [];
    words.forEach(function (word) {
      var chars = Array.from(word);
      if (chars.length > 2) out.push(chars.slice(0, 2).join(""), chars.slice(-2).join(""));
    });
    return out.filter(function (word, i) {
      return out.indexOf(word) === i && word !== query && queryTerms(word).length;
    });
  }

  // Nothing found: the shorter words that do find something (their index files are mostly
  // those just read), and the units index to browse.
  function suggest(query, id) {
    var box = dialog.querySelector(".gk-search__suggest");
    var words = shorter(query).slice(0, 4);
    return Promise.all(words.map(function (word) {
      return find(word).then(function (found) { return { word: word, found: found }; });
    })).then(function (tried) {
      if (id !== current.id) return;
      var useful = tried.filter(function (t) { return t.found.results.length; }).slice(0, 3);
      box.textContent = "";
      if (useful.length) {
        var p = document.createElement("p");
        p.appendChild(document.createTextNode("试试短一些的词："));
        useful.forEach(function (t) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "gk-search__try";
          button.textContent = t.word;
          button.setAttribute("aria-label", "搜索“" + t.word + "”（" + counted(t.found) + "）");
          button.addEventListener("click", function () {
            var input = dialog.querySelector("input");
            input.value = t.word;
            search(t.word, "enter");
            input.focus();
          });
          p.appendChild(button);
        });
        box.appendChild(p);
      }
      return loadMeta().then(function (meta) {
        if (id !== current.id) return;
        var p = document.createElement("p");
        p.appendChild(document.createTextNode("或按责任单位查找："));
        var link = document.createElement("a");
        link.href = new URL(meta.unitsIndex || "units/", base()).pathname;
        link.textContent = "全部责任单位";
        p.appendChild(link);
        box.appendChild(p);
        box.hidden = false;
      });
    });
  }

  // how: "typing" (the address is replaced until the list settles), "enter" (settled at
  // once), "history" (the address already says it).
  function search(query, how) {
    var id = ++current.id;
    var status = dialog.querySelector(".gk-search__status");
    var list = dialog.querySelector(".gk-search__results");
    var box = dialog.querySelector(".gk-search__suggest");
    query = query.trim();
    if (how !== "history") remember(query || null);
    list.innerHTML = "";
    box.hidden = true;
    box.textContent = "";
    dialog.querySelector(".gk-search__more").hidden = true;
    current = { id: id, results: [], shown: 0, query: query };
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索" + quoted(query) + "……";
    find(query)
      .then(function (found) {
        if (id !== current.id) return;
        current.results = found.results;
        var several = /\s/.test(query) ? "同时含有" : "含有";
        if (found.results.length) {
          status.textContent = "找到" + several + quoted(query) + "的 " + counted(found);
          return showMore();
        }
        status.textContent = "没有找到" + several + quoted(query) + "的任务、单位或报告";
        return suggest(query, id);
      })
      .then(function () {
        if (id === current.id) settle(how === "typing" ? SETTLE_MS : 0);
      })
      .catch(function (error) {
        if (id === current.id) status.textContent = "搜索暂时无法使用：" + error.message;
      });
  }

  function element(tag, className, parent) {
    var node = document.createElement(tag);
    node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function showMore() {
    var id = current.id;
    var query = current.query;
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += batch.length;
    var more = dialog.querySelector(".gk-search__more");
    more.hidden = current.shown >= current.results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (id !== current.id) return;
      var list = dialog.querySelector(".gk-search__results");
      items.forEach(function (item) {
        var li = element("li", "gk-search__result gk-search__result--" + item.kind, list);
        var about = metaLine(item);
        var texts = [item.title, item.content, about].concat(item.more.map(function (m) { return m[1]; }));
        var words = markedWords(query, texts);
        var link = element("a", "gk-search__link", li);
        link.href = item.url;
        if (KINDS[item.kind]) element("span", "gk-search__kind", link).textContent = KINDS[item.kind];
        highlight(element("span", "gk-search__title", link), item.title || item.url, words);
        if (item.periods.length > 1) {
          element("p", "gk-search__periods", li).textContent =
            "共 " + item.periods.length + " 期，最新：" + item.periods[item.periods.length - 1] +
            (item.gone ? "（" + item.gone + "未再列出）" : "");
        }
        var excerpt = element("p", "gk-search__excerpt");
        if (snippet(excerpt, item, words)) li.appendChild(excerpt);
        if (about) highlight(element("p", "gk-search__meta", li), about, words);
      });
    });
  }

  // The shown fields (状态 · 时期 · 责任单位 · 报告 · 发布单位 · 地区) and the note, each said
  // once (安庆市 is in 安庆市经济和信息化局); the period is on its own line where there are several.
  function metaLine(item) {
    var shown = [];
    item.meta.forEach(function (field) {
      if (field[0] === "时期" && item.periods.length > 1) return;
      var bare = field[1].replace(/\s+/g, "");
      var said = shown.some(function (s) { return s.replace(/\s+/g, "").indexOf(bare) >= 0; });
      if (!said) shown.push(field[1]);
    });
    if (item.note) shown.push(item.note);
    return shown.join(" · ");
  }

  // open(): the search, as it was. open(query): with that query's results.
  function open(query, how) {
    if (!dialog) createDialog();
    if (!dialog.open) dialog.showModal();
    var input = dialog.querySelector("input");
    if (typeof query === "string" && (query.trim() !== current.query || !current.id)) {
      input.value = query;
      search(query, how || "enter");
    }
    input.focus();
    if (typeof query !== "string") input.select();
  }

  var closingQuietly = false;

  // quietly: the address has already changed (Back); else closing takes ?q= away.
  function close(quietly) {
    if (!dialog || !dialog.open) return;
    closingQuietly = quietly;
    dialog.close();
  }

  function addButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".gk-search-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button gk-search-button";
    button.setAttribute("aria-haspopup", "dialog");
    button.title = "搜索（快捷键 /）";
    button.innerHTML =
      '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">' +
      '<path fill="currentColor" d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z"/></svg>' +
      '<span class="gk-search-button__label">搜索</span>';
    button.addEventListener("click", function () { open(); });
    header.appendChild(button);
  }

  // A link with ?q= opens the search with its results, on any page.
  function start() {
    addButton();
    var query = urlQuery();
    if (query !== null) {
      try {
        window.history.replaceState({ gkSearch: query, gkDocument: DOCUMENT, gkDepth: 0 }, "", window.location.href);
      } catch (e) {
        // as in remember
      }
      open(query, "history");
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });

  // Back to a page kept in memory (the browser's back-forward cache): its list is as it was.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) settled = true;
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.gkSearch = { open: open, bigrams: bigrams, find: find, normalize: normalize };
})();

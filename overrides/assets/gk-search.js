// Header search over the index that builder/search.py writes under search/: overlapping
// CJK character pairs, so every keyword of two or more characters finds every task that
// contains it. A query is turned into the same terms (bigrams below = cjk_bigrams in
// search.py); only the term files for the terms' first characters are fetched, then the
// results shown. Nothing is loaded from outside the site.
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
  var MAGIC = "GKS1";
  var RESULTS_PER_FILE = 2;
  var LONGEST_TERM = 64;
  var PARAM = "q";
  var SETTLE_MS = 1000;
  // The meta fields shown under a result, in this order (search_records in render.py).
  var META_SHOWN = ["报告", "发布单位", "地区", "时期", "状态"];
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

  // A short piece of the task's text where most of the query's words occur, marked.
  var BEFORE = 30;
  var LENGTH = 90;

  function snippet(element, content, words) {
    var text = content.replace(/\s+/g, " ").trim();
    var found = hits(text, words);
    var best = null;
    var bestWords = 0;
    for (var i = 0; i < found.length && i < 500; i++) {
      var words = {};
      var count = 0;
      for (var j = i; j < found.length && found[j].start < found[i].start + LENGTH - BEFORE; j++) {
        if (found[j].end <= found[i].start + LENGTH - BEFORE && !words[found[j].word]) {
          words[found[j].word] = true;
          count++;
        }
      }
      if (count > bestWords) {
        best = found[i];
        bestWords = count;
      }
    }
    var start = best ? Math.max(0, best.start - BEFORE) : 0;
    var end = Math.min(text.length, start + LENGTH);
    // Not between the two halves of a character beyond U+FFFF.
    if (/[\udc00-\udfff]/.test(text.charAt(start))) start--;
    if (/[\udc00-\udfff]/.test(text.charAt(end))) end++;
    var piece = text.slice(start, end);
    var shifted = found
      .filter(function (hit) { return hit.start >= start && hit.end <= end; })
      .map(function (hit) { return { start: hit.start - start, end: hit.end - start, word: hit.word }; });
    fill(element, piece, shifted);
    if (start > 0) element.insertBefore(document.createTextNode("…"), element.firstChild);
    if (end < text.length) element.appendChild(document.createTextNode("…"));
  }

  function base() {
    var meta = document.querySelector('meta[name="gk-base"]');
    return new URL((meta ? meta.content : ".").replace(/\/?$/, "/"), window.location.href);
  }

  // -- the index (format: _term_file in builder/search.py) ---------------------------------
  var termFiles = {};
  var resultFiles = {};

  function codes(text) {
    return Array.from(text).map(function (ch) { return ch.codePointAt(0).toString(16); }).join("-");
  }

  // As term_file in builder/search.py.
  function termFile(term) {
    var chars = Array.from(term);
    var key = IS_CJK.test(term) || chars.length === 1 || term.slice(-1) === ANY ? chars[0] : chars[0] + chars[1];
    return codes(key) + ".bin";
  }

  function loadTermFile(name) {
    if (!termFiles[name]) {
      termFiles[name] = fetch(new URL("search/t/" + name, base()).href).then(function (response) {
        // No file: no term begins with that character.
        if (response.status === 404) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.arrayBuffer().then(parseTermFile);
      }).catch(function (error) {
        delete termFiles[name]; // a lost connection: the next search asks again
        throw error;
      });
    }
    return termFiles[name];
  }

  function parseTermFile(buffer) {
    var bytes = new Uint8Array(buffer);
    var view = new DataView(buffer);
    var decoder = new TextDecoder();
    if (bytes.length < 12 || decoder.decode(bytes.subarray(0, 4)) !== MAGIC) return null;
    var count = view.getUint32(4, true);
    var terms = [];
    var at = 12;
    for (var n = view.getUint32(8, true); n > 0; n--) {
      var length = view.getUint16(at, true);
      var term = decoder.decode(bytes.subarray(at + 2, at + 2 + length));
      at += 2 + length;
      terms.push({ term: term, kind: view.getUint8(at), size: view.getUint32(at + 1, true) });
      at += 5;
    }
    terms.forEach(function (entry) {
      entry.offset = at;
      at += entry.size;
    });
    return { count: count, bytes: bytes, view: view, terms: terms };
  }

  // Mark in `marks` the tasks of one term entry: a list of u16 or u32 numbers, or a bitmap.
  function mark(file, entry, marks) {
    var i;
    if (entry.kind === 2) {
      for (i = 0; i < file.count; i++) {
        if (file.bytes[entry.offset + (i >> 3)] & (1 << (i & 7))) marks[i] = 1;
      }
    } else {
      var width = entry.kind === 0 ? 2 : 4;
      for (i = entry.offset; i < entry.offset + entry.size; i += width) {
        marks[width === 2 ? file.view.getUint16(i, true) : file.view.getUint32(i, true)] = 1;
      }
    }
  }

  // The tasks with a term that begins with `term` (title terms: with TITLE_MARK).
  function tasksWith(file, term, count, inTitle) {
    var marks = new Uint8Array(count);
    if (!file) return marks;
    var prefix = (inTitle ? TITLE_MARK : "") + term;
    var oneLetter = !IS_CJK.test(term) && Array.from(term).length === 1;
    file.terms.forEach(function (entry) {
      // One Latin letter or digit begins terms in many files: its ANY entry holds them all.
      var hit = oneLetter
        ? entry.term === prefix + ANY
        : entry.term.lastIndexOf(prefix, 0) === 0 && entry.term.slice(-1) !== ANY;
      if (hit) mark(file, entry, marks);
    });
    return marks;
  }

  function both(a, b) {
    for (var i = 0; i < a.length; i++) a[i] = a[i] && b[i];
    return a;
  }

  // The tasks that contain every term of the query (every word of 安庆 专精特新): those with
  // all of them in the title first, then the others, each in the order of the site.
  function find(query) {
    var terms = bigrams(query).toLowerCase().split(" ").map(function (t) {
      return t.slice(0, LONGEST_TERM);
    }).filter(function (t, i, all) {
      return t && all.indexOf(t) === i;
    });
    var names = terms.map(termFile);
    return Promise.all(names.map(loadTermFile)).then(function (files) {
      var count = 0;
      files.forEach(function (file) { if (file) count = file.count; });
      if (!terms.length || !count) return { results: [] };
      var body = null;
      var title = null;
      terms.forEach(function (term, i) {
        var inBody = tasksWith(files[i], term, count, false);
        var inTitle = tasksWith(files[i], term, count, true);
        body = body ? both(body, inBody) : inBody;
        title = title ? both(title, inTitle) : inTitle;
      });
      var first = [];
      var rest = [];
      for (var task = 0; task < count; task++) {
        if (body[task]) (title[task] ? first : rest).push(task);
      }
      return { results: first.concat(rest).map(result) };
    });
  }

  function result(task) {
    return {
      data: function () {
        var name = Math.floor(task / RESULTS_PER_FILE);
        if (!resultFiles[name]) {
          resultFiles[name] = fetch(new URL("search/r/" + name + ".json", base()).href).then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.json();
          }).catch(function (error) {
            delete resultFiles[name];
            throw error;
          });
        }
        return resultFiles[name].then(function (items) {
          var item = items[task % RESULTS_PER_FILE];
          return {
            url: new URL(item.url, base()).pathname,
            meta: Object.assign({ title: item.title }, item.meta),
            content: item.content,
          };
        });
      },
    };
  }

  // The example word chosen at build time (meta.json; example_word in builder/search.py).
  var metaFile = null;

  function loadMeta() {
    if (!metaFile) {
      metaFile = fetch(new URL("search/meta.json", base()).href).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).catch(function () {
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
  var PAGE = 10;

  function createDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "gk-search-dialog";
    dialog.setAttribute("aria-labelledby", "gk-search-title");
    dialog.innerHTML =
      '<div class="gk-search-dialog__bar"><h2 class="gk-search-dialog__title" id="gk-search-title">搜索任务</h2>' +
      '<button type="button" class="gk-search-dialog__close">关闭</button></div>' +
      '<form class="gk-search__form" role="search"><label class="gk-search__label" for="gk-search-input">' +
      "输入任务里的任意词语、单位简称、报告名称或完成状态，几个词用空格隔开</label>" +
      '<p class="gk-search__hint" hidden>例如：<button type="button" class="gk-search__example"></button></p>' +
      '<input id="gk-search-input" class="gk-search__input" type="search" autocomplete="off" ' +
      'enterkeyhint="search" placeholder="搜索任务、单位或任意词语"></form>' +
      '<p class="gk-search__status" aria-live="polite"></p>' +
      '<ol class="gk-search__results"></ol>' +
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

  function quoted(query) {
    return query.split(/\s+/).map(function (word) { return "“" + word + "”"; }).join("");
  }

  // how: "typing" (the address is replaced until the list settles), "enter" (settled at
  // once), "history" (the address already says it).
  function search(query, how) {
    var id = ++current.id;
    var status = dialog.querySelector(".gk-search__status");
    var list = dialog.querySelector(".gk-search__results");
    query = query.trim();
    if (how !== "history") remember(query || null);
    list.innerHTML = "";
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
        status.textContent = found.results.length
          ? "找到 " + found.results.length + " 项" + several + quoted(query) + "的任务"
          : "没有找到" + several + quoted(query) + "的任务";
        return showMore();
      })
      .then(function () {
        if (id === current.id) settle(how === "typing" ? SETTLE_MS : 0);
      })
      .catch(function (error) {
        if (id === current.id) status.textContent = "搜索暂时无法使用：" + error.message;
      });
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
        var li = document.createElement("li");
        li.className = "gk-search__result";
        var title = item.meta.title || item.url;
        var content = item.content || "";
        var about = metaLine(item.meta);
        var words = markedWords(query, [title, content, about]);
        var link = document.createElement("a");
        link.className = "gk-search__link";
        link.href = item.url;
        highlight(link, title, words);
        var excerpt = document.createElement("p");
        excerpt.className = "gk-search__excerpt";
        snippet(excerpt, content, words);
        var meta = document.createElement("p");
        meta.className = "gk-search__meta";
        highlight(meta, about, words);
        li.appendChild(link);
        li.appendChild(excerpt);
        li.appendChild(meta);
        list.appendChild(li);
      });
    });
  }

  // 报告 · 发布单位 · 地区 · 时期 · 状态, each said once (安庆市 is in 安庆市经济和信息化局).
  function metaLine(meta) {
    var shown = [];
    META_SHOWN.forEach(function (name) {
      var value = meta[name];
      if (!value) return;
      var bare = value.replace(/\s+/g, "");
      var said = shown.some(function (s) { return s.replace(/\s+/g, "").indexOf(bare) >= 0; });
      if (!said) shown.push(value);
    });
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

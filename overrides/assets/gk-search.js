// Header search over the index that builder/search.py writes under search/: overlapping
// CJK character pairs, so every keyword of two or more characters finds every task that
// contains it. A query is turned into the same terms (bigrams below = cjk_bigrams in
// search.py); only the term files for the terms' first characters are fetched, then the
// results shown. Nothing is loaded from outside the site.
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
  var RESULTS_PER_FILE = 4;
  var LONGEST_TERM = 64;
  var dialog = null;

  function bigrams(text) {
    var out = [];
    (text.match(TOKEN) || []).forEach(function (token) {
      var chars = Array.from(token);
      if (IS_CJK.test(token) && chars.length > 1) {
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(token);
      }
    });
    return out.join(" ");
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  // A short piece of the task's text around the first place the query occurs.
  function snippet(content, query) {
    var text = content.replace(/\s+/g, " ").trim();
    var words = query.trim().split(/\s+/).filter(Boolean);
    var at = -1;
    var word = "";
    for (var i = 0; i < words.length && at < 0; i++) {
      at = text.toLowerCase().indexOf(words[i].toLowerCase());
      word = words[i];
    }
    var start = Math.max(0, at - 30);
    var piece = text.slice(start, start + 90);
    var html = escapeHtml(piece);
    if (at >= 0) {
      var hit = escapeHtml(text.slice(at, at + word.length));
      html = html.split(hit).join("<mark>" + hit + "</mark>");
    }
    return (start > 0 ? "…" : "") + html + (start + 90 < text.length ? "…" : "");
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

  // The tasks that contain every term of the query: those with all of them in the title
  // first, then the others, each in the order of the site.
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

  var PAGE = 10;

  function createDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "gk-search-dialog";
    dialog.setAttribute("aria-labelledby", "gk-search-title");
    dialog.innerHTML =
      '<div class="gk-search-dialog__bar"><h2 class="gk-search-dialog__title" id="gk-search-title">搜索任务</h2>' +
      '<button type="button" class="gk-search-dialog__close">关闭</button></div>' +
      '<form class="gk-search__form" role="search"><label class="gk-search__label" for="gk-search-input">' +
      "输入任务中的任意词语，例如“专精特新”“道路”“5G”</label>" +
      '<input id="gk-search-input" class="gk-search__input" type="search" autocomplete="off" ' +
      'placeholder="搜索任务、单位或任意词语"></form>' +
      '<p class="gk-search__status" aria-live="polite"></p>' +
      '<ol class="gk-search__results"></ol>' +
      '<button type="button" class="gk-search__more" hidden>显示更多结果</button>';
    dialog.querySelector(".gk-search-dialog__close").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    var input = dialog.querySelector("input");
    var timer = null;
    // Escape in a search field would only clear it; here it closes the search, as expected.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        dialog.close();
      }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input.value); }, 200);
    });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search(input.value);
    });
    dialog.querySelector(".gk-search__more").addEventListener("click", showMore);
    document.body.appendChild(dialog);
  }

  var current = { id: 0, results: [], shown: 0, query: "" };

  function search(query) {
    var id = ++current.id;
    var status = dialog.querySelector(".gk-search__status");
    var list = dialog.querySelector(".gk-search__results");
    query = query.trim();
    list.innerHTML = "";
    dialog.querySelector(".gk-search__more").hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索“" + query + "”……";
    find(query)
      .then(function (found) {
        if (id !== current.id) return;
        current = { id: id, results: found.results, shown: 0, query: query };
        status.textContent = found.results.length
          ? "找到 " + found.results.length + " 项含有“" + query + "”的任务"
          : "没有找到含有“" + query + "”的任务";
        showMore();
      })
      .catch(function (error) {
        status.textContent = "搜索暂时无法使用：" + error.message;
      });
  }

  function showMore() {
    var id = current.id;
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += batch.length;
    var more = dialog.querySelector(".gk-search__more");
    more.hidden = current.shown >= current.results.length;
    Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (id !== current.id) return;
      var list = dialog.querySelector(".gk-search__results");
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "gk-search__result";
        var link = document.createElement("a");
        link.className = "gk-search__link";
        link.href = item.url;
        link.textContent = item.meta.title || item.url;
        var excerpt = document.createElement("p");
        excerpt.className = "gk-search__excerpt";
        excerpt.innerHTML = snippet(item.content || "", current.query);
        var meta = document.createElement("p");
        meta.className = "gk-search__meta";
        meta.textContent = [item.meta["报告"], item.meta["状态"]].filter(Boolean).join(" · ");
        li.appendChild(link);
        li.appendChild(excerpt);
        li.appendChild(meta);
        list.appendChild(li);
      });
    });
  }

  function open() {
    if (!dialog) createDialog();
    if (!dialog.open) dialog.showModal();
    var input = dialog.querySelector("input");
    input.focus();
    input.select();
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
    button.addEventListener("click", open);
    header.appendChild(button);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addButton);
  else addButton();

  window.gkSearch = { open: open, bigrams: bigrams, find: find };
})();

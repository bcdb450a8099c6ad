// Header search over the Pagefind index that builder/search.py writes, with a small
// results list of its own on Pagefind's JS API (Pagefind UI would add 134 KB to a search).
// Queries are turned into overlapping CJK character pairs, exactly as the index is
// (cjk_bigrams in builder/search.py), so every keyword of two or more characters finds
// every task that contains it. Nothing is loaded from outside the site.
(function () {
  "use strict";

  var CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}";
  // As _TOKEN_RE in builder/search.py: CJK runs and Latin/digit words; punctuation separates.
  var TOKEN = new RegExp("[" + CJK + "]+|[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*", "gu");
  var IS_CJK = new RegExp("^[" + CJK + "]", "u");
  var SEPARATOR = "\u3013\u3013";
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

  // A short piece of the task's text around the first place the query occurs; the record's
  // content holds everything but the title, which Pagefind UI shows above the excerpt.
  function snippet(content, query) {
    var text = content.split(SEPARATOR)[0].replace(/\s+/g, " ").trim();
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

  // A large site's index is published in parts (builder/search.py: part_path): part 1 in
  // pagefind/, the others in pagefind/part-2/ … , merged here into one search.
  function parts() {
    var meta = document.querySelector('meta[name="gk-search-parts"]');
    var count = meta ? parseInt(meta.content, 10) : 1;
    return count > 1 ? count : 1;
  }

  // Pagefind cuts queries with Intl.Segmenter when the page says lang="zh", which would
  // split the bigrams apart again; the index is built with its English tokenizer. Pagefind
  // reads the language once, when it starts, so start it while the page says "en".
  var core = null;
  function pagefind() {
    if (!core) {
      var url = new URL("pagefind/pagefind.js", base()).href;
      core = import(url).then(function (module) {
        var html = document.documentElement;
        var lang = html.getAttribute("lang");
        html.setAttribute("lang", "en");
        var started;
        try {
          // Both calls must start now, while lang is "en": each reads it synchronously.
          started = Promise.all([module.options({ baseUrl: base().pathname }), module.init()]);
        } finally {
          html.setAttribute("lang", lang || "zh");
        }
        return started.then(function () {
          var merges = [];
          for (var i = 2; i <= parts(); i++) {
            var part = new URL("pagefind/part-" + i + "/", base()).href;
            merges.push(module.mergeIndex(part, { language: "en", baseUrl: base().pathname }));
          }
          return Promise.all(merges);
        }).then(function () { return module; });
      });
    }
    return core;
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
    pagefind()
      .then(function (pf) { return pf.search(bigrams(query)); })
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
    pagefind().catch(function (error) {
      dialog.querySelector(".gk-search__status").textContent = "搜索暂时无法使用：" + error.message;
    });
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

  window.gkSearch = { open: open, bigrams: bigrams, pagefind: pagefind };
})();

// Header search over the Pagefind index that builder/search.py writes.
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
  var lastQuery = "";
  var dialog = null;
  var ui = null;

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

  function load(url, tag) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      if (tag === "script") el.src = url;
      else {
        el.rel = "stylesheet";
        el.href = url;
      }
      el.onload = resolve;
      el.onerror = function () { reject(new Error("无法加载 " + url)); };
      document.head.appendChild(el);
    });
  }

  // Pagefind cuts queries with Intl.Segmenter when the page says lang="zh", which would
  // split the bigrams apart again; the index is built with its English tokenizer. Pagefind
  // reads the language once, when it starts, and Pagefind UI imports this same module
  // (modules are loaded once per URL), so start it here while the page says "en".
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
        return started.then(function () { return module; });
      });
    }
    return core;
  }

  function createDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "gk-search-dialog";
    dialog.setAttribute("aria-label", "搜索任务");
    dialog.innerHTML =
      '<div class="gk-search-dialog__bar"><h2 class="gk-search-dialog__title">搜索任务</h2>' +
      '<button type="button" class="gk-search-dialog__close" aria-label="关闭搜索">关闭</button></div>' +
      '<p class="gk-search-dialog__hint">输入任务中的任意词语，例如“专精特新”“道路”“5G”。</p>' +
      '<div id="gk-search" class="gk-search"></div>';
    dialog.querySelector(".gk-search-dialog__close").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    document.body.appendChild(dialog);
  }

  function open() {
    if (!dialog) createDialog();
    if (!dialog.open) dialog.showModal();
    if (ui) {
      focusInput();
      return;
    }
    var root = new URL("pagefind/", base());
    Promise.all([
      pagefind(),
      load(root + "pagefind-ui.css", "link"),
      load(root + "pagefind-ui.js", "script"),
    ])
      .then(function () {
        ui = new window.PagefindUI({
          element: "#gk-search",
          baseUrl: base().pathname,
          bundlePath: root.pathname,
          showImages: false,
          showSubResults: false,
          resetStyles: false,
          excerptLength: 40,
          processTerm: function (term) {
            lastQuery = term;
            return bigrams(term);
          },
          processResult: function (result) {
            result.excerpt = snippet(result.content || "", lastQuery);
            result.sub_results = [];
            return result;
          },
          translations: {
            placeholder: "搜索任务、单位或任意词语",
            clear_search: "清除",
            load_more: "显示更多结果",
            search_label: "搜索本站",
            zero_results: "没有找到含有“[SEARCH_TERM]”的任务",
            many_results: "找到 [COUNT] 项含有“[SEARCH_TERM]”的任务",
            one_result: "找到 1 项含有“[SEARCH_TERM]”的任务",
            searching: "正在搜索“[SEARCH_TERM]”……",
          },
        });
        focusInput();
      })
      .catch(function (error) {
        document.getElementById("gk-search").textContent = "搜索暂时无法使用：" + error.message;
      });
  }

  function focusInput() {
    var input = dialog.querySelector("input");
    if (input) input.focus();
    else setTimeout(focusInput, 50);
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

// Filters for task lists (report and unit pages) and the 长者模式 toggle.
// Progressive enhancement: without JavaScript every task is listed. The filter state is
// kept in the URL (?status=&unit=&section=) so a filtered view can be shared.
(function () {
  "use strict";

  // As Status in builder/model.py; "open" is every status but done (one tap: what is left).
  var STATUS_LABELS = {
    open: "尚未完成或未写明",
    done: "已完成",
    "in-progress": "推进中",
    behind: "进度滞后",
    "not-done": "未完成",
    unmarked: "未写明状态",
  };
  var ELDER_KEY = "gk-elder";

  function unique(values) {
    var seen = {};
    return values.filter(function (v) {
      if (!v || seen[v]) return false;
      seen[v] = true;
      return true;
    });
  }

  function option(value, label) {
    var el = document.createElement("option");
    el.value = value;
    el.textContent = label;
    return el;
  }

  function control(id, label, values, labels, counts, total) {
    var wrap = document.createElement("div");
    wrap.className = "gk-filter";
    var lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label;
    var select = document.createElement("select");
    select.id = id;
    select.appendChild(option("", "全部（" + total + "）"));
    values.forEach(function (v) {
      select.appendChild(option(v, (labels ? labels[v] : v) + "（" + (counts[v] || 0) + "）"));
    });
    wrap.appendChild(lab);
    wrap.appendChild(select);
    return { wrap: wrap, select: select };
  }

  function add(counts, key, n) {
    counts[key] = (counts[key] || 0) + n;
  }

  // The counts of the list as the page's own rows give them (a list on one page).
  function facetsOf(rows) {
    var facets = { status: {}, unit: {}, section: {} };
    rows.forEach(function (r) {
      add(facets.status, r.dataset.status, 1);
      unique((r.dataset.units || "").split("|")).forEach(function (u) { add(facets.unit, u, 1); });
      if (r.dataset.section) add(facets.section, r.dataset.section, 1);
    });
    return facets;
  }

  // A task of a table without a status column ("none") is counted as 未写明状态 where the
  // list also has stated ones, as the counts at the top of a unit's page count it.
  function statusCounter(raw) {
    var mixed = Object.keys(raw).some(function (s) { return s !== "none"; });
    var counts = {};
    Object.keys(raw).forEach(function (s) {
      add(counts, mixed && s === "none" ? "unmarked" : s, raw[s]);
    });
    return {
      counts: counts,
      of: function (s) { return mixed && s === "none" ? "unmarked" : s; },
    };
  }

  function matches(want, status, units, section) {
    var statusOk = !want.status || status === want.status ||
      (want.status === "open" && status !== "done" && status !== "none");
    return statusOk &&
      (!want.unit || units.indexOf(want.unit) >= 0) &&
      (!want.section || section === want.section);
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function cell(row, className) {
    var td = document.createElement("td");
    td.className = className;
    row.appendChild(td);
    return td;
  }

  // A task's address: its report's, and its number (use_directory_urls or not).
  function taskUrl(group, key) {
    var page = /index\.html$/.test(group[1]);
    return group[1].replace(/index\.html$/, "") + key + (page ? ".html" : "/");
  }

  // One row of a list split over pages, from a rows file: the same cells as the page's.
  // r: [position, group, 序号, article, text, number, word, [units], periods, section];
  // a group: [heading, report address, has a status column, has a 条目 column].
  // with the file's units table and status added when it was read.
  function rowOf(r, groups, root) {
    var tr = document.createElement("tr");
    tr.dataset.status = r.status;
    tr.dataset.units = r.units.map(function (u) { return u[0]; }).join("|");
    cell(tr, "gk-seq").textContent = r[2];
    if (groups[r[1]][3]) cell(tr, "gk-article").textContent = r[3] ? "第 " + r[3] + " 条" : "";
    var text = cell(tr, "gk-text");
    var url = encodeURI(root + taskUrl(groups[r[1]], r[5]));
    text.appendChild(link(url, r[4]));
    if (r[8] > 1) {
      var periods = link(url + "#各期情况", "各期情况（" + r[8] + " 期）");
      periods.className = "gk-periods";
      text.appendChild(document.createTextNode(" "));
      text.appendChild(periods);
    }
    var cellUnits = cell(tr, "gk-units");
    r.units.forEach(function (u, i) {
      if (i) cellUnits.appendChild(document.createTextNode("、"));
      cellUnits.appendChild(link(encodeURI(root + u[1]), u[0]));
    });
    if (groups[r[1]][2]) {
      var state = cell(tr, "gk-state");
      if (r.status !== "none") {
        var badge = document.createElement("span");
        badge.className = "gk-status gk-status--" + r.status;
        badge.textContent = r[6] || STATUS_LABELS[r.status];
        if (r[6]) badge.title = "统计时计为：" + STATUS_LABELS[r.status];
        state.appendChild(badge);
      }
    }
    return tr;
  }

  function tableFor(hasStatus, hasArticle) {
    var table = document.createElement("table");
    table.className = "gk-tasks";
    var head = table.createTHead().insertRow();
    ["序号"].concat(hasArticle ? ["条目"] : [], ["任务", "责任单位"], hasStatus ? ["状态"] : [])
      .forEach(function (t) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = t;
      head.appendChild(th);
    });
    table.appendChild(document.createElement("tbody"));
    return table;
  }

  function setupFilters() {
    var article = document.querySelector("article") || document;
    var tables = Array.prototype.slice.call(article.querySelectorAll("table.gk-tasks"));
    if (!tables.length) return;
    var mount = article.querySelector(".gk-list");
    var rowsFile = mount && mount.dataset.rows;
    var root = rowsFile ? mount.dataset.root : "";
    var rows = [];
    tables.forEach(function (t) {
      rows = rows.concat(Array.prototype.slice.call(t.querySelectorAll("tbody tr")));
    });
    // A list split over pages brings the counts of all its pages; the filters then read its
    // rows file, so that a filter on one page lists the matching tasks of every page.
    var facets = rowsFile ? JSON.parse(mount.dataset.facets) : facetsOf(rows);
    var total = rowsFile ? Number(mount.dataset.total) : rows.length;
    var status = statusCounter(facets.status);
    var counts = { status: status.counts, unit: facets.unit, section: facets.section };
    var order = Object.keys(STATUS_LABELS);
    var statuses = Object.keys(status.counts).filter(function (s) { return s !== "none"; });
    statuses.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    var units = Object.keys(facets.unit).filter(Boolean)
      .sort(function (a, b) { return a.localeCompare(b, "zh"); });
    var sections = Object.keys(facets.section).filter(Boolean);
    counts.status.open = statuses.reduce(function (n, s) {
      return s === "done" ? n : n + status.counts[s];
    }, 0);
    if (statuses.length > 1 && statuses.indexOf("done") >= 0) statuses.unshift("open");

    var bar = document.createElement("form");
    bar.className = "gk-filters";
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", "筛选任务");
    bar.addEventListener("submit", function (e) { e.preventDefault(); });
    var controls = {};
    if (statuses.length) {
      controls.status = control("gk-filter-status", "完成状态", statuses, STATUS_LABELS, counts.status, total);
      bar.appendChild(controls.status.wrap);
    }
    if (units.length > 1) {
      controls.unit = control("gk-filter-unit", "责任单位", units, null, counts.unit, total);
      bar.appendChild(controls.unit.wrap);
    }
    if (sections.length > 1) {
      controls.section = control("gk-filter-section", "分组", sections, null, counts.section, total);
      bar.appendChild(controls.section.wrap);
    }
    if (!Object.keys(controls).length) return;
    var open = null;
    if (controls.status && statuses.indexOf("open") >= 0) {
      // One tap for what citizens ask first: which tasks are not stated as done.
      open = document.createElement("button");
      open.type = "button";
      open.className = "gk-filter-reset gk-filter-open";
      open.textContent = "只看尚未完成或未写明的（" + counts.status.open + " 项）";
      bar.appendChild(open);
    }
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "gk-filter-reset";
    reset.textContent = "清除筛选";
    bar.appendChild(reset);
    var count = document.createElement("p");
    count.className = "gk-filter-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);
    var empty = document.createElement("p");
    empty.className = "gk-filter-empty";
    empty.textContent = "没有符合条件的任务";
    empty.hidden = true;
    if (mount) {
      mount.appendChild(bar);
      mount.appendChild(empty);
    } else {
      var first = tables[0];
      var before = first.previousElementSibling;
      var anchor = before && before.tagName === "H2" ? before : first;
      anchor.parentNode.insertBefore(bar, anchor);
      bar.parentNode.insertBefore(empty, bar.nextSibling);
    }
    // This page's part of a split list (its headings, notes, tables and page links): hidden
    // while a filter shows the matching rows of all pages in their place.
    var pagePart = [];
    var results = null;
    if (rowsFile) {
      for (var el = mount.nextElementSibling; el && !el.classList.contains("gk-list-end"); el = el.nextElementSibling) {
        pagePart.push(el);
      }
      results = document.createElement("div");
      results.className = "gk-list-results";
      results.hidden = true;
      mount.parentNode.insertBefore(results, mount.nextSibling);
    }
    function wanted() {
      var want = {};
      Object.keys(controls).forEach(function (k) { want[k] = controls[k].select.value; });
      return want;
    }

    // The rows files read so far, by status: "只看尚未完成" reads all but done.json.
    var parts = {};
    var groups = null;

    function needed(want) {
      return Object.keys(facets.status).filter(function (s) {
        return matches({ status: want.status }, status.of(s), [], "");
      });
    }

    function read(s) {
      parts[s] = { state: "loading" };
      fetch(rowsFile + s + ".json").then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        groups = data.groups;
        data.rows.forEach(function (r) {
          r.status = s;
          r.units = r[7].map(function (i) { return data.units[i]; });
        });
        parts[s] = { state: "loaded", rows: data.rows };
        show(wanted());
      }, function () {
        parts[s] = { state: "failed" };
        show(wanted());
      });
    }

    // "loaded" when every file the filter needs is read, else "loading" or "failed".
    function rowsState(want) {
      var states = needed(want).map(function (s) {
        if (!parts[s]) read(s);
        return parts[s].state;
      });
      if (states.indexOf("failed") >= 0) return "failed";
      return states.indexOf("loading") >= 0 ? "loading" : "loaded";
    }

    function filterPage(want) {
      var shown = 0;
      rows.forEach(function (r) {
        var ok = matches(want, status.of(r.dataset.status), (r.dataset.units || "").split("|"), r.dataset.section);
        r.hidden = !ok;
        if (ok) shown++;
      });
      tables.forEach(function (t) {
        var visible = t.querySelector("tbody tr:not([hidden])") !== null;
        t.hidden = !visible;
        var heading = t.previousElementSibling;
        if (heading && /^H[23]$/.test(heading.tagName) && heading.nextElementSibling === t) heading.hidden = !visible;
      });
      return shown;
    }

    function showAll(want) {
      var level = Number(mount.dataset.level) || 2;
      var found = [];
      needed(want).forEach(function (s) {
        parts[s].rows.forEach(function (r) {
          var names = r.units.map(function (u) { return u[0]; });
          if (matches(want, status.of(s), names, r[9] || "")) found.push(r);
        });
      });
      found.sort(function (a, b) { return a[0] - b[0]; });
      results.textContent = "";
      var table = null;
      var group = -1;
      found.forEach(function (r) {
        if (r[1] !== group) {
          group = r[1];
          var g = groups[group];
          var heading = document.createElement("h" + level);
          if (level > 2) heading.appendChild(link(encodeURI(root + g[1]), g[0]));
          else heading.textContent = g[0];
          results.appendChild(heading);
          table = tableFor(g[2], g[3]);
          results.appendChild(table);
        }
        table.tBodies[0].appendChild(rowOf(r, groups, root));
      });
      return found.length;
    }

    function show(want) {
      var active = Object.keys(want).some(function (k) { return want[k]; });
      var state = rowsFile && active ? rowsState(want) : "";
      var all = state === "loaded";
      if (rowsFile) {
        results.hidden = !all;
        if (!all) results.textContent = "";
        pagePart.forEach(function (el) { el.hidden = all; });
      }
      var shown;
      if (all) {
        rows.forEach(function (r) { r.hidden = true; });
        shown = showAll(want);
        count.textContent = "显示 " + shown + " / " + total + " 项（全部 " + mount.dataset.pages + " 页中符合条件的任务）";
      } else {
        shown = filterPage(want);
        if (state === "loading") {
          count.textContent = "正在载入全部 " + total + " 项中符合条件的任务……";
        } else if (state === "failed") {
          count.textContent = "未能载入其他各页的任务，只筛选了本页：本页显示 " + shown + " 项";
        } else if (rowsFile) {
          count.textContent = "共 " + total + " 项，分 " + mount.dataset.pages + " 页；筛选时列出各页中符合条件的全部任务";
        } else {
          count.textContent = "显示 " + shown + " / " + total + " 项";
        }
      }
      empty.hidden = shown > 0 || state === "loading";
    }

    function apply(updateUrl) {
      var want = wanted();
      show(want);
      if (updateUrl) {
        var params = new URLSearchParams(window.location.search);
        Object.keys(controls).forEach(function (k) {
          if (want[k]) params.set(k, want[k]);
          else params.delete(k);
        });
        var query = params.toString();
        history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    var params = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (k) {
      var value = params.get(k);
      var select = controls[k].select;
      if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
      select.addEventListener("change", function () { apply(true); });
    });
    if (open) {
      open.addEventListener("click", function () {
        controls.status.select.value = "open";
        apply(true);
      });
    }
    reset.addEventListener("click", function () {
      Object.keys(controls).forEach(function (k) { controls[k].select.value = ""; });
      apply(true);
    });
    apply(false);
  }

  // A long list of reports (home page, 报告): filter by place and year. Ten or fewer are
  // read at a glance and get no filter.
  var REPORT_FILTER_MIN = 11;

  function setupReportFilters() {
    Array.prototype.forEach.call(document.querySelectorAll("article table.gk-reports"), function (table, n) {
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      if (rows.length < REPORT_FILTER_MIN) return;
      var keys = { region: "地区", year: "年份" };
      var controls = {};
      var bar = document.createElement("form");
      bar.className = "gk-filters";
      bar.setAttribute("role", "search");
      bar.setAttribute("aria-label", "筛选报告");
      bar.addEventListener("submit", function (e) { e.preventDefault(); });
      Object.keys(keys).forEach(function (key) {
        var values = unique(rows.map(function (r) { return r.dataset[key]; }));
        if (values.length < 2) return;
        var counts = {};
        rows.forEach(function (r) { counts[r.dataset[key]] = (counts[r.dataset[key]] || 0) + 1; });
        values.sort(function (a, b) { return key === "year" ? b.localeCompare(a) : a.localeCompare(b, "zh"); });
        controls[key] = control("gk-report-" + key + "-" + n, keys[key], values, null, counts, rows.length);
        bar.appendChild(controls[key].wrap);
      });
      if (!Object.keys(controls).length) return;
      var count = document.createElement("p");
      count.className = "gk-filter-count";
      count.setAttribute("aria-live", "polite");
      bar.appendChild(count);
      table.parentNode.insertBefore(bar, table);
      function apply() {
        var shown = 0;
        rows.forEach(function (r) {
          var ok = Object.keys(controls).every(function (k) {
            var want = controls[k].select.value;
            return !want || r.dataset[k] === want;
          });
          r.hidden = !ok;
          if (ok) shown++;
        });
        count.textContent = "显示 " + shown + " / " + rows.length + " 份报告";
      }
      Object.keys(controls).forEach(function (k) {
        controls[k].select.addEventListener("change", apply);
      });
      apply();
    });
  }

  function setElder(on) {
    document.documentElement.classList.toggle("gk-elder", on);
    try {
      if (on) localStorage.setItem(ELDER_KEY, "1");
      else localStorage.removeItem(ELDER_KEY);
    } catch (e) { /* private mode: the toggle still works on this page */ }
    var button = document.querySelector(".gk-elder-button");
    if (button) showElder(button, on);
  }

  // The state in words as well as in aria-pressed: the name stays 长者模式 for assistive
  // technology (which reads "pressed"), the word beside it is for the eye.
  function showElder(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.querySelector(".gk-elder-state").textContent = on ? "开" : "关";
    button.title = on ? "长者模式已开：再点一次恢复标准文字" : "放大文字、加强对比";
  }

  function setupElder() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".gk-elder-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button gk-elder-button";
    var name = document.createElement("span");
    name.className = "gk-elder-name";
    name.textContent = "长者模式";
    var state = document.createElement("span");
    state.className = "gk-elder-state";
    state.setAttribute("aria-hidden", "true");
    button.appendChild(name);
    button.appendChild(state);
    showElder(button, document.documentElement.classList.contains("gk-elder"));
    button.addEventListener("click", function () {
      setElder(!document.documentElement.classList.contains("gk-elder"));
    });
    var search = header.querySelector(".gk-search-button");
    header.insertBefore(button, search || null);
  }

  function ready() {
    setupElder();
    setupFilters();
    setupReportFilters();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

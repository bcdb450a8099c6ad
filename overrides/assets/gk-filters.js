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

  function setupFilters() {
    var tables = Array.prototype.slice.call(document.querySelectorAll("article table.gk-tasks"));
    if (!tables.length) return;
    var rows = [];
    tables.forEach(function (t) {
      rows = rows.concat(Array.prototype.slice.call(t.querySelectorAll("tbody tr")));
    });
    var statuses = unique(rows.map(function (r) { return r.dataset.status; })).filter(function (s) {
      return s !== "none";
    });
    var order = Object.keys(STATUS_LABELS);
    statuses.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    var units = unique([].concat.apply([], rows.map(function (r) {
      return (r.dataset.units || "").split("|");
    }))).sort(function (a, b) { return a.localeCompare(b, "zh"); });
    var sections = unique(rows.map(function (r) { return r.dataset.section; }));
    var counts = { status: {}, unit: {}, section: {} };
    rows.forEach(function (r) {
      var s = r.dataset.status;
      counts.status[s] = (counts.status[s] || 0) + 1;
      if (s !== "done" && s !== "none") counts.status.open = (counts.status.open || 0) + 1;
      unique((r.dataset.units || "").split("|")).forEach(function (u) {
        counts.unit[u] = (counts.unit[u] || 0) + 1;
      });
      if (r.dataset.section) counts.section[r.dataset.section] = (counts.section[r.dataset.section] || 0) + 1;
    });
    if (statuses.length > 1 && statuses.indexOf("done") >= 0) statuses.unshift("open");

    var bar = document.createElement("form");
    bar.className = "gk-filters";
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", "筛选任务");
    bar.addEventListener("submit", function (e) { e.preventDefault(); });
    var controls = {};
    if (statuses.length) {
      controls.status = control("gk-filter-status", "完成状态", statuses, STATUS_LABELS, counts.status, rows.length);
      bar.appendChild(controls.status.wrap);
    }
    if (units.length > 1) {
      controls.unit = control("gk-filter-unit", "责任单位", units, null, counts.unit, rows.length);
      bar.appendChild(controls.unit.wrap);
    }
    if (sections.length > 1) {
      controls.section = control("gk-filter-section", "分组", sections, null, counts.section, rows.length);
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
    var first = tables[0];
    var before = first.previousElementSibling;
    var anchor = before && before.tagName === "H2" ? before : first;
    anchor.parentNode.insertBefore(bar, anchor);
    bar.parentNode.insertBefore(empty, bar.nextSibling);

    function apply(updateUrl) {
      var want = {};
      Object.keys(controls).forEach(function (k) { want[k] = controls[k].select.value; });
      var shown = 0;
      rows.forEach(function (r) {
        var status = r.dataset.status;
        var statusOk = !want.status || status === want.status ||
          (want.status === "open" && status !== "done" && status !== "none");
        var ok = statusOk &&
          (!want.unit || (r.dataset.units || "").split("|").indexOf(want.unit) >= 0) &&
          (!want.section || r.dataset.section === want.section);
        r.hidden = !ok;
        if (ok) shown++;
      });
      tables.forEach(function (t) {
        var visible = t.querySelector("tbody tr:not([hidden])") !== null;
        t.hidden = !visible;
        var heading = t.previousElementSibling;
        if (heading && heading.tagName === "H2" && heading.nextElementSibling === t) heading.hidden = !visible;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 项";
      empty.hidden = shown > 0;
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

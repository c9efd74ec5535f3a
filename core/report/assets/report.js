/* The HTML report's only script (core/report/assets/report.js, built into
   the binary and written inline: the page stays one file, fetches nothing).
   It adds two things to a page that is complete without it:
   - filters: each <div class="filters" hidden data-for="TABLE-ID"> the
     report writes is shown and wired: a row of that table stays visible
     when it matches every chosen value (data-dept, data-outcome, and
     data-region, which lists the row's region and every region above it)
     and holds the search text. The status line says how many rows are
     shown and which filters hold; printing hides the controls and prints
     the rows shown, with that line.
   - sorting: a click on a header of a table.sortable sorts its body rows
     (rows of class "total" stay last). A cell's data-sort is its key when
     it has one (region cells: the region code, outcome cells: their
     severity); columns of class "num" sort as numbers, "—" last; other
     text in Chinese collation (localeCompare "zh-CN", i.e. pinyin order).
   Nothing here changes a value; it only hides and reorders rows. */
(function () {
  "use strict";

  function text(el) { return (el.textContent || "").replace(/\s+/g, " ").trim(); }

  /* ---- filters ---- */
  function wireFilters(box) {
    var table = document.getElementById(box.getAttribute("data-for"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = box.querySelectorAll("select");
    var search = box.querySelector("input[type=search]");
    var status = box.parentNode.querySelector(".filter-status[data-for='" + table.id + "']");
    function apply() {
      var want = {}, said = [], shown = 0;
      Array.prototype.forEach.call(selects, function (s) {
        if (s.value) {
          want[s.name] = s.value;
          said.push(s.getAttribute("aria-label") + "：" + text(s.options[s.selectedIndex]));
        }
      });
      var q = search ? search.value.trim().toLowerCase() : "";
      if (q) said.push("搜索：" + q);
      rows.forEach(function (tr) {
        var ok = true;
        for (var k in want) {
          var v = tr.getAttribute("data-" + k) || "";
          if (k === "region" ? (" " + v + " ").indexOf(" " + want[k] + " ") < 0 : v !== want[k]) ok = false;
        }
        if (ok && q && text(tr).toLowerCase().indexOf(q) < 0) ok = false;
        tr.hidden = !ok;
        if (ok) shown++;
      });
      if (status) {
        status.textContent = said.length
          ? "显示 " + shown + " / " + rows.length + " 行（筛选 " + said.join("，") + "）"
          : "显示全部 " + rows.length + " 行";
        status.setAttribute("data-shown", String(shown));
      }
    }
    Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", apply); });
    if (search) search.addEventListener("input", apply);
    var reset = box.querySelector("button");
    if (reset) reset.addEventListener("click", function () {
      Array.prototype.forEach.call(selects, function (s) { s.value = ""; });
      if (search) search.value = "";
      apply();
    });
    box.hidden = false;
    if (status) status.hidden = false;
    apply();
  }

  /* ---- sorting ---- */
  function key(td, numeric) {
    var s = td ? (td.hasAttribute("data-sort") ? td.getAttribute("data-sort") : text(td)) : "";
    if (!numeric) return s;
    var n = parseFloat(s.replace(/[,\s%]/g, ""));
    return isFinite(n) ? n : null;
  }
  function sortBy(table, th, col) {
    var numeric = th.classList.contains("num");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var totals = rows.filter(function (tr) { return tr.classList.contains("total"); });
    rows = rows.filter(function (tr) { return !tr.classList.contains("total"); });
    var keyed = rows.map(function (tr, i) { return { tr: tr, i: i, k: key(tr.cells[col], numeric) }; });
    keyed.sort(function (a, b) {
      var c;
      if (numeric) {
        if (a.k === null || b.k === null) /* blanks last either way */
          return (a.k === null) - (b.k === null) || a.i - b.i;
        c = a.k - b.k;
      } else {
        c = a.k.localeCompare(b.k, "zh-CN");
      }
      if (!asc) c = -c;
      return c || a.i - b.i;
    });
    keyed.forEach(function (x) { body.appendChild(x.tr); });
    totals.forEach(function (tr) { body.appendChild(tr); });
  }
  function wireSort(table) {
    if (!table.tHead || !table.tBodies.length) return;
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(head.cells, function (th, col) {
      th.tabIndex = 0;
      th.title = "点击排序 (click to sort)";
      th.addEventListener("click", function () { sortBy(table, th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, col); }
      });
    });
    table.classList.add("js-sort");
  }

  Array.prototype.forEach.call(document.querySelectorAll("div.filters[data-for]"), wireFilters);
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), wireSort);
})();

// The bank table: search, filters and sorting, all on rows already in the page (nothing is fetched).
(() => {
  "use strict";
  const table = document.getElementById("bank");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const text = new Map(rows.map((row) => [row, row.textContent.toLowerCase()]));
  const companies = new Map(rows.map((row) => [row, Array.from(row.querySelectorAll(".co"), (c) => c.textContent)]));
  const $ = (id) => document.getElementById(id);
  const [search, topic, company, leetcode, count, empty] = ["search", "topic", "company", "leetcode", "count", "empty"].map($);

  function filter() {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match =
        words.every((w) => text.get(row).includes(w)) &&
        (!topic.value || row.dataset.topic === topic.value) &&
        (!company.value || companies.get(row).includes(company.value)) &&
        (!leetcode.value || row.dataset.leetcode === leetcode.value);
      row.hidden = !match;
      shown += match;
    }
    count.textContent = `${shown} / ${rows.length}`;
    empty.hidden = shown > 0;
  }

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const headers = Array.from(table.tHead.rows[0].cells);

  function sortBy(th) {
    const index = th.cellIndex;
    const numeric = th.dataset.type === "number";
    // First click: counts high to low, text A to Z; a second click reverses.
    const current = th.getAttribute("aria-sort");
    const ascending = current ? current !== "ascending" : !numeric || index === 0;
    headers.forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => {
      const cell = row.cells[index];
      return cell.dataset.value ?? cell.textContent.trim();
    };
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === "" || y === "") return (x === "") - (y === "") || a.dataset.rank - b.dataset.rank; // blanks last
      const order = numeric ? x - y : collator.compare(x, y);
      return (ascending ? order : -order) || a.dataset.rank - b.dataset.rank;
    });
    body.append(...rows);
  }

  headers.forEach((th) => th.querySelector("button").addEventListener("click", () => sortBy(th)));
  for (const control of [search, topic, company, leetcode]) control.addEventListener("input", filter);
  document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());

  // A link to a post opens its collapsed section.
  const openTarget = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target instanceof HTMLDetailsElement) target.open = true;
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
  filter();
})();

(function () {
  "use strict";
  var root = document.documentElement;
  var params = new URLSearchParams(location.search);
  var wanted = params.get("theme");
  if (wanted === "dark" || wanted === "light") { root.setAttribute("data-theme", wanted); }

  // The call table: every row is in the JSON block; a page of them is drawn at a time, and
  // sorting and filtering work on the data.
  var data = JSON.parse(document.getElementById("rows").textContent);
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var hosts = data.hosts, page = 0, PAGE = 100;
  // The exchanges of an attack as one row (flagged by a last, extra value), where its first
  // one was; `every` keeps them one by one, for the "Attacks one by one" box.
  var every = data.rows, attacks = {}, grouped = [];
  (data.attacks || []).forEach(function (a) { attacks[a.number] = a; });
  var group = {};
  every.forEach(function (r) {
    var n = r[col.attack], a = attacks[n];
    // One exchange listed (a filter chose it) is shown as itself.
    if (n === null || n === undefined || !a || a.exchanges < 2) { grouped.push(r); return; }
    var g = group[n];
    if (!g) {
      g = r.slice();
      g[col.kind] = "attack ×" + a.exchanges;
      g[col.from] = a.line;
      g[col.to] = a.shape;
      g[col.state] = "";
      g[col.status] = "";
      g[col.status_code] = 0;
      // The data holds the first exchanges of a large attack only: its row counts them all.
      g[col.messages] = a.messages;
      g[col.retransmissions] = 0;
      g[col.duplicates] = 0;
      g[col.setup_ms] = null;
      g[col.participants] = [];
      g[col.problems] = a.code;
      g[col.duration_ms] = null;
      g.push(true);
      g.members = [];
      g.last = a.last;
      group[n] = g;
      grouped.push(g);
    }
    g.members.push(r[col.id]);
  });
  var expand = document.getElementById("expand");
  var rows = grouped, shown = rows;
  var table = document.getElementById("calls");
  var body = table.tBodies[0];
  var filter = document.getElementById("filter");
  var problems = document.getElementById("problems");
  var count = document.getElementById("count");
  var sections = document.querySelectorAll("section.call");
  var detailed = new Set();
  for (var s = 0; s < sections.length; s++) { detailed.add(Number(sections[s].getAttribute("data-call"))); }

  function millis(ms) {
    if (ms === null || ms === undefined) { return "-"; }
    return ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
  }
  function participants(r) {
    return r[col.participants].map(function (i) { return hosts[i]; }).join(", ");
  }
  var haystacks = new Map();
  function haystack(r) {
    var text = haystacks.get(r);
    if (text === undefined) {
      text = [r[col.id], r[col.kind], r[col.start], r[col.from], r[col.to], r[col.state],
        r[col.status], millis(r[col.setup_ms]), millis(r[col.duration_ms]), participants(r),
        r[col.problems]].join(" ").toLowerCase();
      haystacks.set(r, text);
    }
    return text;
  }
  function td(tr, text, cls) {
    var cell = document.createElement("td");
    if (cls) { cell.className = cls; }
    cell.textContent = text;
    tr.appendChild(cell);
    return cell;
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var fragment = document.createDocumentFragment();
    var end = Math.min(shown.length, (page + 1) * PAGE);
    for (var i = page * PAGE; i < end; i++) {
      var r = shown[i], id = r[col.id];
      var tr = document.createElement("tr");
      tr.setAttribute("data-call", id);
      if (r[col.problems]) { tr.setAttribute("data-problem", "1"); }
      var first = td(tr, "", "num");
      if (r.members) {
        first.textContent = r.members[0] + "…" + r.last;
      } else if (detailed.has(id)) {
        var a = document.createElement("a");
        a.href = "#call-" + id;
        a.textContent = id;
        first.appendChild(a);
      } else { first.textContent = id; }
      td(tr, r[col.kind]);
      td(tr, r[col.start]);
      var path = td(tr, r[col.from]);
      path.appendChild(document.createElement("br"));
      var isGroup = r.length > data.columns.length;
      path.appendChild(document.createTextNode((isGroup ? "" : "→ ") + r[col.to]));
      td(tr, r[col.state], "state-" + r[col.state]);
      td(tr, r[col.status], "num");
      var messages = String(r[col.messages]);
      if (r[col.retransmissions] > 0) { messages += " (" + r[col.retransmissions] + " retr.)"; }
      if (r[col.duplicates] > 0) { messages += " (" + r[col.duplicates] + " dup.)"; }
      td(tr, messages, "num");
      td(tr, millis(r[col.setup_ms]));
      td(tr, millis(r[col.duration_ms]), "num");
      td(tr, participants(r));
      td(tr, r[col.problems], "problems");
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    count.textContent = shown.length === 0 ? "no call matches" :
      "rows " + (page * PAGE + 1) + "–" + end + " of " + shown.length +
      (shown.length === rows.length ? "" : " (" + rows.length + " in all)");
    document.getElementById("previous").disabled = page === 0;
    document.getElementById("next").disabled = page >= pages - 1;
  }
  function apply() {
    var q = filter.value.toLowerCase();
    var onlyProblems = problems.checked;
    var keep = new Set();
    rows = expand && expand.checked ? every : grouped;
    shown = rows.filter(function (r) {
      var ok = (!onlyProblems || r[col.problems] !== "") && (q === "" || haystack(r).indexOf(q) !== -1);
      if (ok) { (r.members || [r[col.id]]).forEach(function (id) { keep.add(id); }); }
      return ok;
    });
    if (sort) { order(); }
    for (var k = 0; k < sections.length; k++) {
      sections[k].hidden = !keep.has(Number(sections[k].getAttribute("data-call")));
    }
    page = 0;
    draw();
  }
  var sort = null;
  function order() {
    if (rows.length === 0) { return; }
    var key = col[sort.key], numeric = typeof rows[0][key] === "number" || sort.key === "setup_ms" || sort.key === "duration_ms";
    var text = sort.key === "participants" ? participants : function (r) { return String(r[key]); };
    shown = shown.slice().sort(function (a, b) {
      var c = numeric ? (a[key] === null ? -1 : a[key]) - (b[key] === null ? -1 : b[key])
        : text(a).localeCompare(text(b));
      return sort.ascending ? c : -c;
    });
  }
  var heads = table.tHead.rows[0].cells;
  function sortBy(th, ascending) {
    for (var k = 0; k < heads.length; k++) { heads[k].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    sort = { key: th.getAttribute("data-key"), ascending: ascending };
    order();
    page = 0;
    draw();
  }
  for (var h = 0; h < heads.length; h++) {
    heads[h].addEventListener("click", function (event) {
      var th = event.currentTarget;
      sortBy(th, th.getAttribute("aria-sort") !== "ascending");
    });
  }
  filter.addEventListener("input", apply);
  problems.addEventListener("change", apply);
  if (expand) { expand.addEventListener("change", apply); }
  document.getElementById("previous").addEventListener("click", function () { page -= 1; draw(); });
  document.getElementById("next").addEventListener("click", function () { page += 1; draw(); });
  document.getElementById("pager").hidden = false;

  // A link to #q=CODE (the diagnosis chart) filters the table; any other opens its target.
  function open(hash) {
    if (!hash || hash.length < 2) { return; }
    if (hash.indexOf("#q=") === 0) {
      filter.value = decodeURIComponent(hash.slice(3));
      apply();
      table.scrollIntoView({ block: "start" });
      return;
    }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) { return; }
    var el = target;
    while (el) { if (el.tagName === "DETAILS") { el.open = true; } el = el.parentElement; }
    var old = document.querySelectorAll(".selected");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("selected"); }
    target.classList.add("selected");
    target.scrollIntoView({ block: "start" });
  }
  window.addEventListener("hashchange", function () { open(location.hash); });

  var lang = document.getElementById("lang");
  lang.addEventListener("click", function () {
    var fr = root.classList.contains("lang-fr");
    root.classList.toggle("lang-fr", !fr);
    root.classList.toggle("lang-en", fr);
    root.lang = fr ? "en" : "fr";
  });
  var theme = document.getElementById("theme");
  theme.addEventListener("click", function () {
    var dark = root.getAttribute("data-theme") === "dark" ||
      (!root.getAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
    root.setAttribute("data-theme", dark ? "light" : "dark");
  });

  // ?q=…&sort=KEY&order=descending open the table filtered and sorted (links, tests).
  if (params.get("q")) { filter.value = params.get("q"); }
  var key = params.get("sort");
  var th = null;
  for (var n = 0; n < heads.length; n++) { if (heads[n].getAttribute("data-key") === key) { th = heads[n]; } }
  // A reloaded page may keep what was typed or ticked: the table follows it.
  if (filter.value || problems.checked || (expand && expand.checked)) { apply(); }
  if (th) { sortBy(th, params.get("order") !== "descending"); } else if (!params.get("q")) { draw(); }
  open(location.hash);
})();

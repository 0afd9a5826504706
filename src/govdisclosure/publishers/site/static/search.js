/* govdisclosure site search: loads the language's compact index and filters it in the
   browser. Builds results with DOM methods only (no innerHTML): titles stay text. */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("form.search-page");
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!script || !form || !input || !list || !status) { return; }
  var indexUrl = script.getAttribute("data-index");
  var base = script.getAttribute("data-base") || "";
  var data = null;

  function norm(text) { return String(text || "").toLowerCase().normalize("NFKC"); }

  function agencyOf(item) { return (data.agencies || [])[item[4]] || ""; }

  function show(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var terms = norm(query).split(/\s+/).filter(Boolean);
    if (!data || terms.length === 0) { status.textContent = ""; return; }
    var hits = [];
    var found = 0;
    for (var i = 0; i < data.items.length; i++) {
      var item = data.items[i];
      // title, type, agency and tags: "hotline" finds the hotlines, an agency its records
      var text = norm([item[0], data.types[item[2]], agencyOf(item), item[5]].join(" "));
      var ok = true;
      for (var j = 0; j < terms.length; j++) {
        if (text.indexOf(terms[j]) < 0) { ok = false; break; }
      }
      if (ok) {
        found++;
        if (hits.length < 200) { hits.push(item); }
      }
    }
    var template = found ? status.getAttribute("data-count") : status.getAttribute("data-none");
    status.textContent = template.replace("{n}", String(found)) +
      (found > hits.length ? " " + status.getAttribute("data-shown").replace("{n}", String(hits.length)) : "");
    hits.forEach(function (item) {
      if (!/^[a-z_-]+\/[a-z0-9][a-z0-9._-]*\.html$/.test(item[1])) { return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "record-title";
      a.href = base + item[1];
      a.textContent = item[0];
      var meta = document.createElement("span");
      meta.className = "record-meta";
      var agency = agencyOf(item);
      meta.textContent = data.types[item[2]] + (agency ? " · " + agency : "") +
        (item[3] ? " · " + item[3] : "");
      li.appendChild(a);
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  fetch(indexUrl).then(function (response) { return response.json(); }).then(function (json) {
    data = json;
    show(input.value);
  }).catch(function () { status.textContent = ""; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url.toString());
    show(input.value);
  });
}());

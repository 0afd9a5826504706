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

  var language = document.documentElement.lang || "en";
  var dates = null;
  try {  // the site's own date style: 2002年9月26日, 26 September 2002
    dates = new Intl.DateTimeFormat(language === "en" ? "en-GB" : language,
      {year: "numeric", month: "long", day: "numeric", timeZone: "UTC"});
  } catch (error) { dates = null; }

  function day(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts || !dates) { return iso || ""; }
    return dates.format(new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])));
  }

  function norm(text) { return String(text || "").toLowerCase().normalize("NFKC"); }

  // without separators, brackets and apostrophes: 0431-88900000 finds 043188900000,
  // 吉价[2002]296号 finds 吉价〔2002〕296号, nongan finds Nong'an
  function loose(text) { return text.replace(/[\s\-‐–—_.,:;\/()（）\[\]〔〕［］【】'’·]/g, ""); }

  function agencyOf(item) { return (data.agencies || [])[item[4]] || ""; }

  // record text in a language other than the page's carries its own (WCAG 3.1.2): the
  // index gives it for a title (an entry's 8th value) and agency names (agency_langs)
  // only where it differs; right-to-left text in a left-to-right page (or the reverse)
  // also gets its direction (as the site's Localizer marks it)
  var rtl = /^(ar|he|fa|ur|ug|yi|dv|ps|sd)(-|$)/i;
  var pageDir = document.documentElement.dir || "ltr";

  function mark(element, lang) {
    if (!lang) { return element; }
    element.lang = lang;
    var way = rtl.test(lang) ? "rtl" : "ltr";
    if (way !== pageDir) { element.dir = way; }
    return element;
  }

  // each entry's searchable text, prepared once: title, type, agency, tags, the page's
  // file name (the record's id) and its keys (phone digits, document numbers): "hotline"
  // finds the hotlines, an agency its records, 12358 the records that give that number
  var prepared = null;

  function prepare() {
    prepared = data.items.map(function (item) {
      var title = norm(item[0]);
      var text = norm([item[0], data.types[item[2]], agencyOf(item), item[5],
        String(item[1]).replace(/^.*\/|\.html$/g, ""), item[6]].join(" "));
      return {title: title, looseTitle: loose(title), text: text, looseText: loose(text)};
    });
  }

  function has(plain, squeezed, term) {
    if (plain.indexOf(term.plain) >= 0) { return true; }
    return term.loose !== "" && squeezed.indexOf(term.loose) >= 0;
  }

  function show(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var typed = norm(query);
    // a number typed in groups (0431-8890 0000) is one number, not words found anywhere
    var digits = loose(typed).replace(/^\+/, "");
    var terms = /^\d+$/.test(digits) && /\s/.test(typed.trim())
      ? [{plain: digits, loose: digits}]
      : typed.split(/\s+/).filter(Boolean).map(function (term) {
        return {plain: term, loose: loose(term)};
      });
    if (!data || terms.length === 0) { status.textContent = ""; return; }
    // index (listing) order, except that records whose title has every word come first
    var inTitle = [];
    var elsewhere = [];
    for (var i = 0; i < prepared.length; i++) {
      var entry = prepared[i];
      var ok = true;
      var title = true;
      for (var j = 0; j < terms.length; j++) {
        if (!has(entry.text, entry.looseText, terms[j])) { ok = false; break; }
        title = title && has(entry.title, entry.looseTitle, terms[j]);
      }
      if (ok) { (title ? inTitle : elsewhere).push(data.items[i]); }
    }
    var found = inTitle.length + elsewhere.length;
    var hits = inTitle.concat(elsewhere).slice(0, 200);
    var template = status.getAttribute(found === 1 ? "data-one" : found ? "data-count" : "data-none");
    status.textContent = template.replace("{n}", String(found)) +
      (found > hits.length ? " " + status.getAttribute("data-shown").replace("{n}", String(hits.length)) : "");
    hits.forEach(function (item) {
      if (!/^[a-z_-]+\/[a-z0-9][a-z0-9._-]*\.html$/.test(item[1])) { return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "record-title";
      a.href = base + item[1];
      a.textContent = item[0];
      mark(a, item[7]);
      var meta = document.createElement("span");
      meta.className = "record-meta";
      var agency = agencyOf(item);
      meta.appendChild(document.createTextNode(data.types[item[2]] + (agency ? " · " : "")));
      if (agency) {
        var name = document.createElement("span");
        name.textContent = agency;
        meta.appendChild(mark(name, (data.agency_langs || [])[item[4]]));
      }
      if (item[3]) { meta.appendChild(document.createTextNode(" · " + day(item[3]))); }
      li.appendChild(a);
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  // the language switch keeps the query: the same search in the other language
  function carry(query) {
    document.querySelectorAll("a[hreflang]").forEach(function (link) {
      var href = link.getAttribute("href").split("?")[0];
      if (/search\.html$/.test(href)) {
        link.setAttribute("href", query ? href + "?q=" + encodeURIComponent(query) : href);
      }
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  carry(query);
  fetch(indexUrl).then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }).then(function (json) {
    data = json;
    prepare();
    show(input.value);
  }).catch(function () { status.textContent = status.getAttribute("data-error"); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url.toString());
    carry(input.value);
    show(input.value);
  });
}());

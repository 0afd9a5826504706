// The kiosk app: reads kiosk.json and the datasets of the bundle and draws the screens.
// Every text of the catalogue goes into the page through textContent (never parsed as markup),
// and only the bundle's own assets are loaded: nothing a catalogue says becomes markup.
"use strict";
(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const ASSET = /^assets\/[A-Za-z0-9][A-Za-z0-9._\/-]*$/;
  // Seconds between the tries of the start-up error screen to load the bundle again: a
  // kiosk in a hall may have no one to reload it.
  const RETRY_S = 30;
  const tables = {};
  let config = null;
  let lang = null;
  let stack = [];
  let idleTimer = null;
  let countdown = null;
  let remaining = 0;
  let beforeWarning = null;
  let starting = false;
  let retryTimer = null;
  let registration = null;
  let watching = false;
  // nobody has touched the kiosk since it went home by itself (or since it loaded)
  let idle = true;
  // a worker of another bundle has control: shown the next time the kiosk rests
  let updated = false;
  let checkTimer = null;

  const $ = (id) => document.getElementById(id);

  function el(tag, options, children) {
    const node = document.createElement(tag);
    const o = options || {};
    if (o.cls) node.className = o.cls;
    if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
    if (o.id) node.id = o.id;
    if (o.lang) node.setAttribute("lang", o.lang);
    if (o.dir) node.setAttribute("dir", o.dir);
    for (const child of children || o.children || []) {
      if (child) node.appendChild(child);
    }
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function button(title, action, hint, cls) {
    const node = el("button", { cls: cls || "tile" }, [
      el("span", Object.assign({}, opts(title), { cls: "tile-title" })),
      given(hint) ? el("span", Object.assign({}, opts(hint), { cls: "tile-hint" })) : null,
    ]);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function t(key, values) {
    return fill((config.strings[lang] || {})[key] || key, values);
  }

  // A text with each "{name}" of it replaced by that value.
  function fill(text, values) {
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  // A label and its value, joined with the language's colon ("：" in Chinese).
  function labelled(key, value) {
    return t(key) + t("colon") + (value || "");
  }

  // -- languages: the screen declares the language of its interface's words (English for a
  // catalogue language without them), and record text in any other language is marked
  // with its own, and with its direction where that differs (as the site does)

  function documentLanguage(code) {
    return (config.interface_languages || {})[code || lang] || code || lang;
  }

  function direction(code) {
    return (config.rtl || []).indexOf(code.split("-")[0].toLowerCase()) >= 0 ? "rtl" : "ltr";
  }

  // The options of el() for text in the language ``code`` on the current screen.
  function marks(code) {
    const page = documentLanguage();
    if (!code || code === page) return {};
    const way = direction(code);
    return way === direction(page) ? { lang: code } : { lang: code, dir: way };
  }

  // A column of a row with the marks of its language (the column "<name>_lang").
  function text(row, name, extra) {
    return Object.assign({ text: row[name] }, marks(row[name + "_lang"]), extra || {});
  }

  // A column of several texts, each with the marks of its language.
  function textLines(row, name) {
    const codes = ids(row[name + "_lang"]);
    return lines(row[name]).map((line, n) => Object.assign({ text: line }, marks(codes[n])));
  }

  // Columns of a row joined with " · ", each with its marks; null when all are empty.
  function joined(row, names) {
    const parts = [];
    for (const name of names.filter((n) => row[n])) {
      if (parts.length) parts.push(document.createTextNode(" · "));
      parts.push(el("span", text(row, name)));
    }
    return parts.length ? { children: parts } : null;
  }

  // The options of el() for a value: a text, or options already (text, lang, dir, children).
  function opts(value) {
    return value !== null && typeof value === "object" ? value : { text: value };
  }

  function given(value) {
    const o = opts(value);
    return Boolean(o.text) || Boolean(o.children && o.children.length);
  }

  function local(text) {
    return text ? text[lang] || text[config.default_language] || "" : "";
  }

  function asset(path) {
    return typeof path === "string" && ASSET.test(path) && path.indexOf("..") < 0 ? path : null;
  }

  function rows(name) {
    return (tables[lang] && tables[lang][name]) || [];
  }

  // A column of several texts holds one per line; a column of several ids, one per space.
  function lines(value) {
    return typeof value === "string" && value !== "" ? value.split("\n") : [];
  }

  function ids(value) {
    return typeof value === "string" ? value.split(" ").filter(Boolean) : [];
  }

  function find(name, id) {
    return rows(name).find((row) => row.id === id) || null;
  }

  // -- loading ---------------------------------------------------------------------------

  async function getJSON(path) {
    const response = await fetch(path);
    if (!response.ok) throw new Error(path + ": " + response.status);
    return response.json();
  }

  async function loadLanguage(code) {
    if (tables[code]) return;
    const loaded = {};
    await Promise.all(Object.keys(config.datasets).map(async (name) => {
      loaded[name] = (await getJSON(config.datasets[name][code])).rows || [];
    }));
    tables[code] = loaded;
  }

  async function start() {
    config = await getJSON("kiosk.json");
    lang = config.default_language;
    watchForUpdates();
    await loadLanguage(lang);
    $("back").addEventListener("click", back);
    $("home").addEventListener("click", () => show({ screen: "home" }, true));
    // a press on the warning keeps the screen when it ends on it: a tap (the button's
    // click too), a long press, or a press that turned into a scroll
    for (const type of ["click", "contextmenu", "pointercancel"]) {
      $("idle").addEventListener(type, (event) => {
        event.preventDefault();
        activity(event);
      });
    }
    for (const type of ["pointerdown", "touchstart", "wheel"]) {
      document.addEventListener(type, activity, { capture: true, passive: true });
    }
    document.addEventListener("keydown", activity, { capture: true });
    show({ screen: "home" }, true);
    activity();
    rest();
  }

  // -- navigation ------------------------------------------------------------------------

  function show(entry, reset) {
    if (reset) stack = [];
    if (entry.screen !== "home" && stack.length === 0) stack.push({ screen: "home" });
    stack.push(entry);
    draw();
  }

  function back() {
    if (stack.length > 1) stack.pop();
    draw();
  }

  async function setLanguage(code) {
    stack = stack.filter((entry) => entry.screen !== "failed");
    try {
      await loadLanguage(code);
    } catch (error) {
      // the kiosk carries on in the language it had: back and home lead out of this
      show({ screen: "failed", code: code, error: String(error) });
      return;
    }
    lang = code;
    draw();
  }

  function draw() {
    const entry = stack[stack.length - 1];
    document.documentElement.lang = documentLanguage();
    document.documentElement.dir = direction(documentLanguage());
    document.title = local(config.title);
    const title = $("kiosk-title");
    title.textContent = local(config.title);
    title.removeAttribute("lang");
    title.removeAttribute("dir");
    const titleMarks = marks((config.title_lang || {})[lang]);
    for (const [name, value] of Object.entries(titleMarks)) title.setAttribute(name, value);
    $("back").textContent = t("back");
    $("home").textContent = t("home");
    $("back").hidden = stack.length <= 1;
    $("home").hidden = entry.screen === "home";
    $("idle-title").textContent = t("idle_title");
    $("stay").textContent = t("stay");
    const nav = $("languages");
    nav.setAttribute("aria-label", t("language"));
    nav.replaceChildren(...(config.languages.length > 1 ? config.languages.map((code) => {
      const way = direction(code) === direction(documentLanguage()) ? null : direction(code);
      const node = el("button", { cls: "lang", text: config.language_names[code] || code, lang: code,
        dir: way });
      node.type = "button";
      node.setAttribute("aria-pressed", code === lang ? "true" : "false");
      node.addEventListener("click", () => setLanguage(code));
      return node;
    }) : []));
    const main = $("screen");
    main.replaceChildren(...SCREENS[entry.screen](entry).filter(Boolean));
    main.scrollTop = 0;
    window.scrollTo(0, 0);
    const heading = main.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  // -- screens ----------------------------------------------------------------------------

  // Each of text and sub: a text, or el()'s options (a record's text with its marks).
  function heading(text, sub) {
    return [el("h1", opts(text)),
      given(sub) ? el("p", Object.assign({}, opts(sub), { cls: "lead" })) : null];
  }

  function section(title, content, list) {
    let body;
    if (Array.isArray(content)) {
      body = content.length ? el(list || "ul", { cls: "facts" }, content.map((line) => el("li", opts(line))))
        : el("p", { cls: "muted", text: t("unknown") });
    } else {
      body = given(content) ? el("p", opts(content)) : el("p", { text: t("unknown"), cls: "muted" });
    }
    return el("section", { cls: "card" }, [el("h2", { text: title }), body]);
  }

  // A label in the interface's words and a row's column with the marks of its language.
  function labelledText(key, row, name) {
    return el("p", { text: t(key) + t("colon") }, [el("span", text(row, name))]);
  }

  function withdrawn(row) {
    return el("section", { cls: "card withdrawn" }, [
      el("h2", { text: t("withdrawn") }),
      el("p", { text: labelled("withdrawn_on", row.withdrawn_on) }),
      labelledText("reason", row, "withdrawn_reason"),
    ]);
  }

  function list(name, screen, hint) {
    const items = rows(name);
    if (!items.length) return el("p", { cls: "muted", text: t("empty") });
    return el("ul", { cls: "tiles" }, items.map((row) => el("li", {}, [
      button(text(row, "title"), () => show({ screen: screen, id: row.id }),
        row.withdrawn ? t("withdrawn") : hint(row), row.withdrawn ? "tile withdrawn" : "tile"),
    ])));
  }

  function windowName(number, title) {
    return t("number") + " " + (number || "") + " · " + title;
  }

  // The same for a row (a window, a spot): its title with the marks of its language.
  function windowHeading(row) {
    return { text: t("number") + " " + (row.number || "") + " · ",
      children: [el("span", text(row, "title"))] };
  }

  // A window's marker on the guide map: a link, so that a keyboard reaches it (Tab) and
  // opens it (Enter, and Space as on a button), named as its button below the map. The
  // fragment only names the window: the click opens its screen and the page stays.
  function marker(spot) {
    const open = (event) => {
      event.preventDefault();
      show({ screen: "window", id: spot.window });
    };
    const link = svg("a", { class: "map-spot", href: "#window-" + encodeURIComponent(spot.window),
      "aria-label": windowName(spot.number, spot.title) });
    link.appendChild(svg("rect", { x: spot.x - 80, y: spot.y - 45, width: 160, height: 90,
      rx: 10 }));
    link.appendChild(svg("text", { x: spot.x, y: spot.y + 12 }, spot.number));
    link.addEventListener("click", open);
    link.addEventListener("keydown", (event) => {
      if (event.key === " ") open(event);
    });
    // a long press stays what it was on the drawing: no link menu to open another tab
    link.addEventListener("contextmenu", (event) => event.preventDefault());
    return link;
  }

  const SCREENS = {
    home: () => {
      const halls = rows("halls");
      const hall = halls.length === 1 ? halls[0] : null;
      return [
        ...heading(Object.assign({ text: local(config.title) }, marks((config.title_lang || {})[lang])),
          hall ? text(hall, "hours") : null),
        el("ul", { cls: "tiles home" }, config.screens.map((screen) => el("li", {}, [
          button(local(screen.title), () => show({ screen: screen.id }), local(screen.hint)),
        ]))),
      ];
    },
    items: () => [...heading(t("items")), list("items", "item", (row) => lines(row.where)[0] || row.kind)],
    item: (entry) => {
      const row = find("items", entry.id);
      if (!row) return heading(t("empty"));
      if (row.withdrawn) return [...heading(text(row, "title")), withdrawn(row)];
      const parts = [...heading(text(row, "title"),
        row.handling_unit ? text(row, "handling_unit") : text(row, "agency"))];
      if (row.summary) parts.push(el("p", text(row, "summary")));
      parts.push(section(t("conditions"), textLines(row, "conditions")));
      parts.push(section(t("materials"), textLines(row, "materials")));
      parts.push(section(t("procedure"), lines(row.steps), "ol"));
      parts.push(section(t("time_limit"), row.time_limit));
      const fees = lines(row.fee_list);
      parts.push(section(t("fees"), fees.length ? fees : row.fees));
      const where = el("section", { cls: "card" }, [el("h2", { text: t("where") })]);
      const windows = ids(row.windows);
      const places = lines(row.where);
      if (windows.length) {
        where.appendChild(el("ul", { cls: "tiles" }, windows.map((id, n) => el("li", {}, [
          button(places[n] || id, () => show({ screen: "window", id: id }), null, "tile small"),
        ]))));
      } else {
        where.appendChild(el("p", row.handling_unit ? text(row, "handling_unit", { cls: "muted" })
          : { cls: "muted", text: t("unknown") }));
      }
      if (row.online_url) where.appendChild(el("p", { text: labelled("online", row.online_url) }));
      parts.push(where);
      parts.push(section(t("complaint"), lines(row.complaint)));
      const qr = asset(row.qr);
      if (qr) {
        const image = el("img", { cls: "qr" });
        image.src = qr;
        image.alt = t("qr_alt", { url: row.page_url });
        image.width = 240;
        image.height = 240;
        parts.push(el("section", { cls: "card qr-card" }, [
          el("h2", { text: t("qr") }), image, el("p", { cls: "url", text: row.page_url }),
        ]));
      }
      return parts;
    },
    map: () => {
      const parts = [...heading(t("map"))];
      for (const floor of rows("floors")) {
        const spots = rows("spots").filter((spot) => spot.floor === floor.floor);
        const label = t("floor_map", { floor: floor.label });
        const drawing = svg("svg", { viewBox: "0 0 1000 " + floor.height, class: "map",
          role: "group", "aria-label": label });
        const plan = asset(floor.plan);
        if (plan) {
          drawing.appendChild(svg("image", { href: plan, x: 0, y: 0, width: 1000,
            height: floor.height, preserveAspectRatio: "xMidYMid meet", "aria-hidden": "true" }));
        } else {
          drawing.appendChild(svg("rect", { class: "map-floor", x: 4, y: 4, width: 992,
            height: floor.height - 8, rx: 12 }));
        }
        for (const spot of spots) {
          drawing.appendChild(marker(spot));
        }
        parts.push(el("section", { cls: "card" }, [
          el("h2", text(floor, "label")), drawing,
          el("ul", { cls: "tiles legend" }, spots.map((spot) => el("li", {}, [
            button(windowHeading(spot),
              () => show({ screen: "window", id: spot.window }), null, "tile small"),
          ]))),
        ]));
      }
      return parts;
    },
    windows: () => [...heading(t("windows")),
      list("windows", "window", (row) => joined(row, ["hall_name", "floor"]))],
    window: (entry) => {
      const row = find("windows", entry.id);
      if (!row) return heading(t("empty"));
      if (row.withdrawn) return [...heading(text(row, "title")), withdrawn(row)];
      const parts = [...heading(windowHeading(row), joined(row, ["hall_name", "floor"]))];
      parts.push(section(t("hours"), text(row, "hours")));
      const services = el("section", { cls: "card" }, [el("h2", { text: t("services") })]);
      const serviceIds = ids(row.service_ids);
      const titles = textLines(row, "services");
      services.appendChild(serviceIds.length ? el("ul", { cls: "tiles" },
        serviceIds.map((id, n) => el("li", {}, [
          button(given(titles[n]) ? titles[n] : id, () => show({ screen: "item", id: id }), null,
            "tile small"),
        ]))) : el("p", { cls: "muted", text: t("unknown") }));
      parts.push(services);
      parts.push(section(t("commitments"), lines(row.commitments)));
      parts.push(section(t("staff"), staff(row)));
      parts.push(section(t("first_inquiry"), row.first_inquiry_officer ? text(row, "first_inquiry_officer") : null));
      const complaint = lines(row.complaint);
      if (complaint.length) parts.push(section(t("complaint"), complaint));
      return parts;
    },
    hotlines: () => {
      const items = rows("hotlines");
      return [...heading(t("hotlines")), items.length ? el("ul", { cls: "numbers" },
        items.map((row) => el("li", { cls: row.withdrawn ? "card withdrawn" : "card" }, [
          el("h2", text(row, "title")),
          el("p", { cls: "number", text: row.withdrawn ? t("withdrawn") : row.number || "" }),
          row.kind ? el("p", { cls: "muted", text: row.kind === "hotline" ? t("hotline") : t("complaint_line") }) : null,
          row.hours ? labelledText("hours", row, "hours") : null,
          row.owner ? el("p", { text: labelled("owner", row.owner) }) : null,
          row.withdrawn ? labelledText("reason", row, "withdrawn_reason") : null,
        ]))) : el("p", { cls: "muted", text: t("empty") })];
    },
    announcements: () => [...heading(t("announcements")),
      list("announcements", "announcement", (row) => joined(row, ["date", "agency"]))],
    announcement: (entry) => {
      const row = find("announcements", entry.id);
      if (!row) return heading(t("empty"));
      if (row.withdrawn) return [...heading(text(row, "title")), withdrawn(row)];
      return [...heading(text(row, "title"), joined(row, ["date", "agency"])),
        el("section", { cls: "card" }, [el("p", text(row, "summary", { text: row.summary || "" }))])];
    },
    // a language whose datasets cannot be read: said in that language
    failed: (entry) => {
      const words = config.strings[entry.code] || {};
      const code = documentLanguage(entry.code);
      const way = direction(code) === direction(documentLanguage()) ? null : direction(code);
      return failure([el("h1", { text: words.failed, lang: code, dir: way }),
        el("p", { text: words.failed_hint, lang: code, dir: way })], entry.error);
    },
  };

  // A window's staff, one a line: the name with the marks of its language (a name is in the
  // catalogue's default language), then its role and badge.
  function staff(row) {
    const names = textLines(row, "staff_names");
    const roles = textLines(row, "staff_roles");
    const badges = lines(row.staff_badges);
    return names.map((name, n) => {
      const parts = [el("span", name)];
      if (roles[n] && roles[n].text) parts.push(document.createTextNode(" · "), el("span", roles[n]));
      if (badges[n]) parts.push(document.createTextNode(" · " + badges[n]));
      return { children: parts };
    });
  }

  // A file of the bundle that cannot be read: the message for the visitor, then the error
  // for the staff.
  function failure(message, error) {
    return [...message, el("p", { cls: "muted", text: String(error) })];
  }

  // -- start-up: the bundle loaded, or the error screen, which tries again by itself -------

  // One try at a time: the error screen's button does nothing while one is under way.
  function boot() {
    if (starting) return;
    starting = true;
    start().catch(failedToStart).finally(() => {
      starting = false;
    });
  }

  // In the page's own words (the default language's: kiosk.json may be what failed), with a
  // countdown to the next try, every RETRY_S seconds, and a button to try at once (which
  // keeps the focus when it had it).
  function failedToStart(error) {
    const focused = document.activeElement && document.activeElement.id === "retry";
    $("screen").replaceChildren(...failure([$("failed").content.cloneNode(true)], error));
    $("retry").addEventListener("click", retry);
    if (focused) $("retry").focus();
    const text = $("retry-text");
    let left = RETRY_S;
    text.textContent = fill(text.dataset.text, { n: left });
    retryTimer = setInterval(() => {
      left -= 1;
      if (left > 0) {
        text.textContent = fill(text.dataset.text, { n: left });
      } else {
        retry();
      }
    }, 1000);
  }

  function retry() {
    clearInterval(retryTimer);
    $("retry-text").textContent = $("retry-text").dataset.loading;
    boot();
  }

  // -- idle: back to the home screen, with a warning first --------------------------------

  function atHome() {
    return stack.length <= 1 && lang === config.default_language;
  }

  // A touch, key or wheel starts the clock again and takes the warning away, but for the
  // touch that begins a tap: it stops the count and leaves the warning up, so that the rest
  // of the tap lands on the warning (see start), never on what is under it.
  function activity(event) {
    if (!config) return;
    if (event) {
      idle = false;
      clearInterval(checkTimer);
    }
    clearTimeout(idleTimer);
    clearInterval(countdown);
    const press = event && (event.type === "pointerdown" || event.type === "touchstart");
    if (!$("idle").hidden && !press) dismiss(event);
    const quiet = Math.max(0, config.idle_timeout_s - config.idle_warning_s);
    idleTimer = setTimeout(warn, quiet * 1000);
  }

  function dismiss(event) {
    $("idle").hidden = true;
    // A key that keeps the screen does only that (Enter on "keep using" does not press
    // what gets the focus back), and the focus goes back where the warning took it.
    if (event && event.type === "keydown") event.preventDefault();
    if (beforeWarning && beforeWarning.isConnected) beforeWarning.focus({ preventScroll: true });
  }

  function warn() {
    if (atHome()) {  // nothing to undo: the kiosk rests until the next touch
      rest();
      return;
    }
    remaining = config.idle_warning_s;
    $("idle-text").textContent = t("idle_text", { n: remaining });
    // it is still up if a press on it has not ended: keep the control it took the focus from
    if ($("idle").hidden) beforeWarning = document.activeElement;
    $("idle").hidden = false;
    $("stay").focus();
    countdown = setInterval(() => {
      remaining -= 1;
      if (remaining > 0) {
        $("idle-text").textContent = t("idle_text", { n: remaining });
        return;
      }
      clearInterval(countdown);
      $("idle").hidden = true;
      lang = config.default_language;
      show({ screen: "home" }, true);
      rest();
    }, 1000);
  }

  // -- a new bundle (kiosk install, rollback): looked for and shown while no one is there --

  // The kiosk rests on its home screen, untouched: it shows a bundle that took control while
  // someone used it, or looks for a new one now and every update_check_s seconds.
  function rest() {
    idle = true;
    if (updated) {
      location.reload();
      return;
    }
    clearInterval(checkTimer);
    if (!watching || !(config.update_check_s > 0)) return;
    checkForUpdate();
    checkTimer = setInterval(checkForUpdate, config.update_check_s * 1000);
  }

  function resting() {
    return idle && atHome() && $("idle").hidden;
  }

  // The service worker's update check: a changed sw.js (each bundle's names its version)
  // installs the new bundle, which then takes control. Offline, or with the server away,
  // it fails and the kiosk carries on with what it has until the next check.
  function checkForUpdate() {
    if (!resting()) return;
    (registration ? registration.update() : register()).catch(() => {});
  }

  function register() {
    return navigator.serviceWorker.register(config.service_worker).then((found) => {
      registration = found;
    });
  }

  // Once (a start that failed tries again): the bundle's service worker, and a reload when
  // a worker of another bundle takes control, at once if the kiosk rests, else the next time
  // it does. The first worker's claim at the first start is the same bundle: no reload. No
  // worker on file:// nor in a browser without them: the kiosk keeps what it loaded.
  function watchForUpdates() {
    if (watching || !("serviceWorker" in navigator) || location.protocol === "file:") return;
    watching = true;
    const workers = navigator.serviceWorker;
    let controlled = workers.controller !== null;
    workers.addEventListener("controllerchange", async () => {
      const before = controlled;
      controlled = true;
      let version = null;
      try {
        version = (await getJSON("kiosk.json")).version;  // the new worker's, from its cache
      } catch (error) {
        // unreadable: a worker that replaced another is taken for a new bundle
      }
      updated = version === null ? before : version !== config.version;
      if (updated && resting()) location.reload();
    });
    register().catch(() => {});
  }

  document.addEventListener("DOMContentLoaded", boot);
}());

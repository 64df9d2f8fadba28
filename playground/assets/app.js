// corsim playground: builds a scenario from the form (or takes a file),
// posts it to /api/run and draws the answer. No framework, no other files.
"use strict";

const $ = (id) => document.getElementById(id);

// Examples in the form's shape: fetch arguments and the server's answers.
const examples = [
  {
    name: "Preflight without Access-Control-Allow-Origin",
    origin: "http://a.test", url: "http://b.test/api/items/1", method: "PUT", mode: "cors", credentials: "same-origin", redirect: "follow",
    headers: "X-Token: 42", body: null, repeat: null,
    server: [
      { method: "OPTIONS", url: "http://b.test/api/items/1", status: 204,
        headers: "Access-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: X-Token", body: "" },
      { method: "PUT", url: "http://b.test/api/items/1", status: 200,
        headers: "Access-Control-Allow-Origin: http://a.test\nContent-Type: application/json", body: "{}" },
    ],
  },
  {
    name: "Preflight cached, second call sends no preflight",
    origin: "http://a.test", url: "http://b.test/r", method: "DELETE", mode: "cors", credentials: "same-origin", redirect: "follow",
    headers: "", body: null, repeat: 5,
    server: [
      { method: "OPTIONS", url: "http://b.test/r", status: 204,
        headers: "Access-Control-Allow-Origin: http://a.test\nAccess-Control-Allow-Methods: DELETE\nAccess-Control-Max-Age: 60", body: "" },
      { method: "DELETE", url: "http://b.test/r", status: 200,
        headers: "Access-Control-Allow-Origin: http://a.test\nX-Request-Id: 7\nAccess-Control-Expose-Headers: X-Request-Id", body: "gone" },
    ],
  },
  {
    name: "Credentials with a wildcard Access-Control-Allow-Origin",
    origin: "https://app.test", url: "https://api.test/me", method: "GET", mode: "cors", credentials: "include", redirect: "follow",
    headers: "", body: null, repeat: null,
    server: [
      { method: "GET", url: "https://api.test/me", status: 200,
        headers: "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true\nContent-Type: application/json", body: "{}" },
    ],
  },
  {
    name: "Redirect to another origin: the Origin becomes null",
    origin: "http://a.test", url: "http://b.test/r", method: "GET", mode: "cors", credentials: "same-origin", redirect: "follow",
    headers: "", body: null, repeat: null,
    server: [
      { method: "GET", url: "http://b.test/r", status: 302,
        headers: "Access-Control-Allow-Origin: http://a.test\nLocation: http://c.test/r", body: "" },
      { method: "GET", url: "http://c.test/r", status: 200,
        headers: "Access-Control-Allow-Origin: http://a.test", body: "ok" },
    ],
  },
  {
    name: "Profiles differ: Authorization under Allow-Headers *",
    origin: "http://a.test", url: "http://b.test/r", method: "PUT", mode: "cors", credentials: "same-origin", redirect: "follow",
    headers: "Authorization: Bearer t", body: null, repeat: null,
    server: [
      { method: "OPTIONS", url: "http://b.test/r", status: 204,
        headers: "Access-Control-Allow-Origin: http://a.test\nAccess-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: *", body: "" },
      { method: "PUT", url: "http://b.test/r", status: 200,
        headers: "Access-Control-Allow-Origin: http://a.test\nContent-Type: text/plain", body: "ok" },
    ],
  },
  {
    name: "A simple GET that needs no preflight",
    origin: "http://a.test", url: "http://b.test/data", method: "GET", mode: "cors", credentials: "same-origin", redirect: "follow",
    headers: "Accept: application/json", body: null, repeat: null,
    server: [
      { method: "GET", url: "http://b.test/data", status: 200,
        headers: "Access-Control-Allow-Origin: *\nContent-Type: application/json\nX-Secret: 1", body: "[]" },
    ],
  },
];

let source = "form"; // "form": the JSON follows the form; "json": the JSON was edited or opened

class InputError extends Error {
  constructor(message, element) { super(message); this.element = element; }
}

function parseHeaderLines(text, what, element) {
  const out = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      throw new InputError(`${what}, line ${i + 1}: write "Name: value" (got ${JSON.stringify(line)})`, element);
    }
    out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  });
  return out;
}

function addRule(r) {
  const node = $("rule-template").content.firstElementChild.cloneNode(true);
  node.querySelector(".r-method").value = r.method;
  node.querySelector(".r-url").value = r.url;
  node.querySelector(".r-status").value = r.status;
  node.querySelector(".r-headers").value = r.headers;
  node.querySelector(".r-body").value = r.body || "";
  node.querySelector(".r-remove").addEventListener("click", () => { node.remove(); formChanged(); });
  $("rules").appendChild(node);
  renumberRules();
}

function renumberRules() {
  [...$("rules").children].forEach((node, i) => {
    for (const f of ["method", "url", "status", "headers", "body"]) {
      node.querySelector(".r-" + f).dataset.field = `server[${i}].${f}`;
    }
  });
}

let filling = false; // fillForm is at work: the form still holds the example

function fillForm(ex) {
  filling = true;
  $("origin").value = ex.origin;
  $("url").value = ex.url;
  $("method").value = ex.method;
  $("mode").value = ex.mode;
  $("credentials").value = ex.credentials;
  $("redirect").value = ex.redirect;
  $("headers").value = ex.headers;
  $("hasbody").checked = ex.body !== null;
  $("body").value = ex.body || "";
  $("repeat").checked = ex.repeat !== null;
  $("repeatat").value = ex.repeat === null ? 5 : ex.repeat;
  $("rules").replaceChildren();
  ex.server.forEach(addRule);
  formChanged();
  filling = false;
}

// scenarioFromForm builds a scenario file (FORMAT.md) from the form.
function scenarioFromForm() {
  // Defaults (GET, cors, same-origin, follow) are left out, as a person writes fetch().
  const fetchArgs = { url: $("url").value.trim() };
  const method = $("method").value.trim();
  if (method !== "" && method !== "GET") fetchArgs.method = method;
  if ($("mode").value !== "cors") fetchArgs.mode = $("mode").value;
  if ($("credentials").value !== "same-origin") fetchArgs.credentials = $("credentials").value;
  if ($("redirect").value !== "follow") fetchArgs.redirect = $("redirect").value;
  const headers = parseHeaderLines($("headers").value, "Request headers", $("headers"));
  if (headers.length) fetchArgs.headers = headers;
  if ($("hasbody").checked) fetchArgs.body = $("body").value;
  const steps = [{ at: 0, fetch: fetchArgs, expect: {} }];
  if ($("repeat").checked) {
    const at = Number($("repeatat").value);
    if ($("repeatat").value.trim() === "" || !Number.isFinite(at) || at < 0) {
      throw new InputError("fetch again after: give a number of seconds, 0 or more", $("repeatat"));
    }
    steps.push({ at, fetch: fetchArgs, expect: {} });
  }
  const server = [...$("rules").children].map((node, i) => {
    const status = node.querySelector(".r-status");
    const n = Number(status.value);
    if (status.value.trim() === "" || !Number.isInteger(n)) {
      throw new InputError(`answer ${i + 1}: the status must be a whole number from 100 to 599`, status);
    }
    const rule = {
      method: node.querySelector(".r-method").value.trim(),
      url: node.querySelector(".r-url").value.trim(),
      status: n,
      headers: parseHeaderLines(node.querySelector(".r-headers").value, `answer ${i + 1}, response headers`, node.querySelector(".r-headers")),
    };
    const body = node.querySelector(".r-body").value;
    if (body !== "") rule.body = body;
    return rule;
  });
  const m = fetchArgs.method || "GET";
  return { format: 1, name: `${m} ${fetchArgs.url} from ${$("origin").value.trim()}`, origin: $("origin").value.trim(), server, steps };
}

function formChanged() {
  source = "form";
  if (!filling) $("example").value = "own";
  $("source").textContent = "(follows the form)";
  clearError();
  try {
    $("json").value = JSON.stringify(scenarioFromForm(), null, 2);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
}

function clearError() {
  $("error").hidden = true;
  document.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
}

function showError(message, element) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
  if (element) {
    element.classList.add("invalid");
    if (element.id === "json") $("jsonbox").open = true;
  }
}

// fieldElement finds the form control for a scenario field path such as
// steps[0].fetch.headers[1][0], or the JSON box when the form has none.
function fieldElement(field) {
  if (source === "form" && field) {
    let best = null;
    document.querySelectorAll("[data-field]").forEach((el) => {
      const f = el.dataset.field;
      if (f && (field === f || field.startsWith(f + ".") || field.startsWith(f + "[")) && (!best || f.length > best.dataset.field.length)) best = el;
    });
    if (best) return best;
  }
  return $("json");
}

// finished counts the runs that have ended (shown or failed), so that a
// test driving the page can wait for the answer to the run it started.
let finished = 0;
function done() {
  finished++;
  document.body.dataset.runs = String(finished);
}

async function run() {
  try {
    await runOnce();
  } finally {
    done();
  }
}

async function runOnce() {
  clearError();
  let text;
  try {
    text = source === "form" ? JSON.stringify(scenarioFromForm(), null, 2) : $("json").value;
  } catch (e) {
    if (e instanceof InputError) { showError(e.message, e.element); return; }
    throw e;
  }
  if (source === "form") $("json").value = text;
  $("status").textContent = "running…";
  let resp, body;
  try {
    resp = await fetch("api/run", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ scenario: text, profile: $("profile").value }),
    });
    body = await resp.json();
  } catch (e) {
    $("status").textContent = "";
    showError("The corsim server did not answer (is `corsim serve` still running?): " + e.message);
    return;
  }
  $("status").textContent = "";
  if (!resp.ok) {
    showError(body.error || `the server answered ${resp.status}`, fieldElement(body.field));
    return;
  }
  render(body);
}

function sameURL(a, b) {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

// applyToRule applies a fix (diagram.Change) to a rule whose headers are
// [name, value] pairs.
function applyToRule(rule, change) {
  if (change.status) rule.status = change.status;
  if (!change.header) return;
  const same = ([name]) => name.toLowerCase() === change.header.toLowerCase();
  const old = rule.headers.filter(same).map(([, v]) => v);
  const value = change.append && old.length ? [...old, change.value].join(", ") : change.value;
  rule.headers = [...rule.headers.filter((h) => !same(h)), [change.header, value]];
}

// applyFix changes the server's answer to target the way the fix says, in
// the form or in the scenario JSON (whichever is being run), and runs again.
// With no answer for target (the server's default 404), it adds one.
function applyFix(change, target, step) {
  clearError();
  const fresh = () => ({ method: target.method, url: target.url, status: change.preflight ? 204 : 200, headers: [] });
  if (source === "form") {
    let node = [...$("rules").children].find((n) =>
      n.querySelector(".r-method").value.trim() === target.method && sameURL(n.querySelector(".r-url").value.trim(), target.url));
    if (!node) {
      addRule({ ...fresh(), headers: "" });
      node = $("rules").lastElementChild;
    }
    const field = node.querySelector(".r-headers");
    let rule;
    try {
      rule = { status: Number(node.querySelector(".r-status").value), headers: parseHeaderLines(field.value, "the answer's headers", field) };
    } catch (e) {
      if (e instanceof InputError) { showError(e.message, e.element); return; }
      throw e;
    }
    applyToRule(rule, change);
    node.querySelector(".r-status").value = rule.status;
    field.value = rule.headers.map(([n, v]) => `${n}: ${v}`).join("\n");
    formChanged();
  } else {
    let sc;
    try {
      sc = JSON.parse($("json").value);
    } catch (e) {
      showError("The scenario JSON does not parse: " + e.message, $("json"));
      return;
    }
    const stepRules = (sc.steps && sc.steps[step] && sc.steps[step].server) || [];
    sc.server = sc.server || [];
    const match = (r) => r.method === target.method && sameURL(r.url, target.url);
    let rule = stepRules.find(match) || sc.server.find(match);
    if (!rule) {
      rule = fresh();
      sc.server.push(rule);
    }
    rule.headers = rule.headers || [];
    applyToRule(rule, change);
    $("json").value = JSON.stringify(sc, null, 2);
  }
  run();
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function headerTable(pairs) {
  if (!pairs.length) return el("span", { class: "muted" }, "(none)");
  return el("div", { class: "mono" }, ...pairs.flatMap(([k, v], i) => [i ? el("br") : null, `${k}: ${v}`]));
}

function render(r) {
  $("output").hidden = false;
  $("title").textContent = `${r.name} — simulated as ${r.profile}`;
  const verdict = $("verdict");
  verdict.replaceChildren();
  for (const s of r.steps) {
    const card = el("div", { class: "step", "data-step": s.step });
    card.append(el("h3", {}, `Step ${s.step + 1} at ${s.at} s: ${s.call}`));
    card.append(el("div", { class: "verdict " + (s.ok ? "ok" : "bad") }, (s.ok ? "✓ " : "✗ ") + s.verdict));
    card.append(el("div", {}, el("strong", {}, "Preflight? "), s.preflight.join(" · ")));
    if (s.block) {
      const block = el("div", { class: "block" },
        el("div", {}, el("strong", {}, "Blocked: " + s.block.reason), s.block.step ? " at " + s.block.step : ""),
        el("div", {}, s.block.sentence),
        el("div", { class: "fix" }, s.block.fix ? "Fix: " + s.block.fix : "No response header can let this through."));
      if (s.change) {
        const button = el("button", { type: "button", class: "applyfix" }, "Apply this fix to the server's answer and run again");
        button.addEventListener("click", () => applyFix(s.change, s.target, s.step));
        block.append(button);
      }
      card.append(block);
    }
    if (s.console) card.append(el("div", { class: "console" }, "console: " + s.console));
    const wire = el("table", { class: "wire" }, el("tr", {}, el("th", {}, "on the wire"), el("th", {}, "request headers"), el("th", {}, "answer")));
    if (!s.wire.length) wire.append(el("tr", {}, el("td", { colspan: 3, class: "muted" }, "nothing was sent")));
    for (const w of s.wire) {
      wire.append(el("tr", { class: w.kind },
        el("td", { class: "mono" }, `${w.kind === "preflight" ? "preflight " : ""}${w.method} ${w.url}`),
        el("td", {}, headerTable(w.headers)),
        el("td", {}, el("div", { class: "mono" }, String(w.status)), headerTable(w.response))));
    }
    card.append(wire);
    if (s.ok) {
      card.append(el("div", {}, el("strong", {}, "Script can read: "),
        s.readable.length ? el("code", {}, s.readable.join(", ")) : el("span", { class: "muted" }, "no response header")));
    }
    verdict.append(card);
  }

  // The SVG is built by corsim's diagram package, which escapes every text.
  $("diagram").innerHTML = r.svg;

  const cmp = el("table", { id: "compare-table" });
  cmp.append(el("tr", {}, el("th", {}, "step"), ...r.compare.profiles.map((p) => el("th", { class: p === r.profile ? "current" : "" }, p))));
  for (const row of r.compare.rows) {
    cmp.append(el("tr", { class: row.differs ? "differs" : "" }, el("td", {}, String(row.step + 1)),
      ...row.cells.map((c, i) => el("td", { class: r.compare.profiles[i] === r.profile ? "current" : "" }, c))));
  }
  const differ = r.compare.rows.filter((x) => x.differs).length;
  $("compare").replaceChildren(el("p", { class: "muted" }, differ ?
    `The profiles disagree on ${differ} step(s), highlighted.` : "Every profile gives the same result for this input."), cmp);

  const trace = $("trace");
  trace.replaceChildren();
  for (const s of r.steps) {
    const ol = el("ol");
    for (const t of s.trace || []) {
      ol.append(el("li", { class: t.blocked ? "blocked" : "" },
        el("strong", {}, t.section), " — ", t.outcome, " ",
        t.anchor ? el("a", { href: "https://fetch.spec.whatwg.org/#" + t.anchor, target: "_blank", rel: "noreferrer" }, "spec") : null,
        (t.inputs || []).length ? el("div", { class: "inputs" }, t.inputs.map((x) => `${x.name}: ${x.value}`).join("\n")) : null));
    }
    trace.append(el("details", { class: "trace", open: "" }, el("summary", {}, `Step ${s.step + 1}: ${s.call}`), ol));
  }
}

function init() {
  examples.forEach((ex, i) => $("example").append(el("option", { value: i }, ex.name)));
  $("example").append(el("option", { value: "own", disabled: "" }, "— your own —"));
  $("example").addEventListener("change", () => {
    const ex = examples[$("example").value];
    if (ex) { fillForm(ex); run(); }
  });
  $("profile").addEventListener("change", run);
  $("run").addEventListener("click", run);
  $("addrule").addEventListener("click", () => {
    addRule({ method: "GET", url: $("url").value, status: 200, headers: "Access-Control-Allow-Origin: " + $("origin").value, body: "" });
    formChanged();
  });
  $("input").addEventListener("input", (e) => {
    if (e.target.id === "json") {
      source = "json";
      $("example").value = "own";
      $("source").textContent = "(edited: the JSON is run as is; change the form to go back)";
    } else if (e.target.id !== "file" && e.target.id !== "example" && e.target.id !== "profile") {
      formChanged();
    }
  });
  $("file").addEventListener("change", async () => {
    const f = $("file").files[0];
    if (!f) return;
    if (f.size > 8 << 20) { showError(`${f.name} is larger than 8 MiB`, $("json")); return; }
    $("json").value = await f.text();
    source = "json";
    $("example").value = "own";
    $("source").textContent = `(from ${f.name}: run as is; change the form to go back)`;
    $("jsonbox").open = true;
    run();
  });
  fillForm(examples[0]);
  run();
}

init();

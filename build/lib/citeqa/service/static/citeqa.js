// The citeqa page: asks POST /ask (within a scope: a folder or one document), shows the cited
// passages, opens GET /documents/{id} at the cited span, lists the documents, and uploads or
// deletes one with the API key.
// Every string from the API or a document enters the DOM as text (textContent, append(string)),
// never as HTML: document text is data, not markup.

const $ = (id) => document.getElementById(id);
const state = { key: "", version: null, asked: 0 };

// --- talking to the API ----------------------------------------------------------------------

class ApiError extends Error {}

function errorMessage(status, body) {
  const detail = body && typeof body.detail === "string" ? body.detail : "no reason given";
  return `Error ${status}: ${detail}`;
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError("Could not reach the citeqa service: is it still running?");
  }
  if (response.status === 204) return null;
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: reported below
  }
  if (!response.ok) throw new ApiError(errorMessage(response.status, body));
  if (body === null) throw new ApiError(`Error ${response.status}: the answer was not JSON`);
  return body;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

const documentPath = (id) => `/documents/${id.split("/").map(encodeURIComponent).join("/")}`;

// --- small DOM helpers -----------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.includes("-")) node.setAttribute(name, value);
    else node[name] = value;
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function show(id, message) {
  const node = $(id);
  node.textContent = message || "";
  node.hidden = !message;
}

// The API's offsets count Unicode code points (Python strings); JavaScript strings count UTF-16
// units, so every character outside the BMP (an emoji, say) before an offset shifts it by one.
function unitOffsets(text, ...points) {
  if (!/[\uD800-\uDFFF]/.test(text)) return points;
  return points.map((point) => {
    let unit = 0;
    for (let i = 0; i < point && unit < text.length; i++) {
      const code = text.charCodeAt(unit);
      unit += code >= 0xd800 && code <= 0xdbff && unit + 1 < text.length ? 2 : 1;
    }
    return unit;
  });
}

function citationLine(c) {
  const parts = [c.document, c.location ? c.location.text : null];
  parts.push(`characters ${c.start}–${c.end}`);
  return parts.filter(Boolean).join(" · ");
}

// --- asking ----------------------------------------------------------------------------------

async function ask(event) {
  if (event) event.preventDefault();
  const question = $("question").value;
  const k = Number($("k").value);
  const asked = ++state.asked; // a slower earlier answer must not overwrite a newer one
  show("ask-error", "");
  $("ask-status").textContent = "Searching…";
  $("results").setAttribute("aria-busy", "true");
  try {
    const { filter, link } = scope();
    const body = filter ? { question, k, filter } : { question, k };
    const answer = await api("/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (asked !== state.asked) return;
    renderAnswer(answer);
    // The deep link keeps the question, k and the scope: the same URL asks the same thing.
    history.replaceState(null, "", `?${new URLSearchParams({ q: question, k, ...link })}`);
  } catch (err) {
    if (asked !== state.asked) return;
    $("ask-status").textContent = "";
    show("ask-error", err.message);
  } finally {
    if (asked === state.asked) $("results").removeAttribute("aria-busy");
  }
}

// The scope control's value: the /ask filter, and the same as URL parameters (folder, doc).
function scope() {
  const folder = $("scope-folder").value.trim();
  const doc = $("scope-document").value;
  const filter = {};
  const link = {};
  if (folder) filter.folder = link.folder = folder;
  if (doc) {
    filter.documents = [doc];
    link.doc = doc;
  }
  return { filter: Object.keys(filter).length ? filter : null, link };
}

function renderAnswer(answer) {
  const n = answer.passages.length;
  if (answer.scope && answer.scope.passages === 0) {
    $("not-found").hidden = true;
    $("short-answer").hidden = true;
    $("ask-status").textContent = "No document is in this scope: widen the folder or document.";
    $("results").replaceChildren();
    return;
  }
  $("not-found").hidden = answer.answerable;
  // The value a question asks for (a date, amount, name...), quoted from the first passage.
  $("short-answer").hidden = !answer.answer;
  $("short-answer-text").textContent = answer.answer ? answer.answer.text : "";
  $("ask-status").textContent =
    `${plural(n, "passage")}, best first · confidence ${answer.confidence.toFixed(2)} · ` +
    `${answer.took_ms} ms · index ${answer.index_version}`;
  $("results").replaceChildren(...answer.passages.map((p) => passageItem(p, answer.answerable)));
}

function passageItem(p, answerable) {
  const [hs, he] = unitOffsets(p.text, p.highlight.start, p.highlight.end);
  const quote = el(
    "blockquote",
    { class: "passage-text" },
    p.text.slice(0, hs),
    he > hs ? el("mark", { class: "answer", text: p.text.slice(hs, he) }) : null,
    p.text.slice(he),
  );
  const cite = el("button", { type: "button", class: "cite link", text: p.citation.title });
  cite.addEventListener("click", () => openDocument(p.citation.document, p));
  // The passage's own similarity to the question (a cosine): the fused score is 1 for whatever
  // ranks first, so it says nothing absolute.
  const score = el("span", {
    class: "score",
    text: `similarity ${p.dense_score.toFixed(2)}`,
    title: `fused score ${p.score}; cosine ${p.dense_score}; BM25 ${p.keyword_score}`,
  });
  const head = el(
    "div",
    { class: "passage-head" },
    el("span", { class: "rank", text: `${p.rank}` }),
    cite,
    answerable ? null : el("span", { class: "badge weak-badge", text: "weak" }),
    score,
  );
  const where = el("p", { class: "where", text: citationLine(p.citation) });
  return el("li", { class: answerable ? "passage" : "passage weak" }, head, where, quote);
}

// --- the document view -----------------------------------------------------------------------

let opened = 0;

// Shows the document; with `passage`, scrolled to its cited span, highlighted, with the answering
// sentence marked inside it.
async function openDocument(id, passage = null) {
  const dialog = $("doc-view");
  const request = ++opened;
  $("doc-title").textContent = id;
  $("doc-meta").textContent = "Loading…";
  show("doc-error", "");
  $("doc-text").replaceChildren();
  if (!dialog.open) dialog.showModal();
  let doc;
  try {
    doc = await api(documentPath(id));
  } catch (err) {
    if (request !== opened) return;
    $("doc-meta").textContent = "";
    show("doc-error", err.message);
    return;
  }
  if (request !== opened) return;
  $("doc-title").textContent = doc.title;
  const size = [doc.id, doc.kind, doc.pages ? plural(doc.pages, "page") : null];
  size.push(plural(doc.characters, "character"));
  if (!passage) {
    $("doc-meta").textContent = size.filter(Boolean).join(" · ");
    $("doc-text").replaceChildren(doc.text);
    $("doc-text").scrollTop = 0;
    return;
  }
  const c = passage.citation;
  $("doc-meta").textContent = `Cited: ${citationLine(c)}`;
  const [s, e, hs, he] = unitOffsets(
    doc.text,
    c.start,
    c.end,
    c.start + passage.highlight.start,
    c.start + passage.highlight.end,
  );
  if (doc.text.slice(s, e) !== passage.text) {
    show("doc-error", "This document changed since the answer was given: ask again.");
  }
  const cited = el(
    "mark",
    { id: "cited-span", class: "cited", tabIndex: -1 },
    doc.text.slice(s, hs),
    he > hs ? el("strong", { class: "answer", text: doc.text.slice(hs, he) }) : null,
    doc.text.slice(he, e),
  );
  $("doc-text").replaceChildren(doc.text.slice(0, s), cited, doc.text.slice(e));
  // A span that fits is centred; a longer one starts at the top, so its first line is in view.
  const fits = cited.getBoundingClientRect().height < 0.8 * $("doc-text").clientHeight;
  cited.scrollIntoView({ block: fits ? "center" : "start" });
  cited.focus({ preventScroll: true });
}

function closeDocument() {
  opened++;
  $("doc-view").close();
}

// --- the index and its documents -------------------------------------------------------------

// Every page of GET /documents, following next_cursor.
async function allDocuments() {
  let page = await api("/documents?limit=1000");
  const listing = { index_version: page.index_version, documents: [...page.documents] };
  while (page.next_cursor) {
    page = await api(`/documents?limit=1000&cursor=${encodeURIComponent(page.next_cursor)}`);
    listing.documents.push(...page.documents);
  }
  return listing;
}

function fillScope(documents) {
  const folders = new Set();
  for (const d of documents) {
    const parts = d.id.split("/").slice(0, -1);
    parts.forEach((_, i) => folders.add(parts.slice(0, i + 1).join("/") + "/"));
  }
  $("folders").replaceChildren(...[...folders].sort().map((f) => el("option", { value: f })));
  const chosen = $("scope-document").value || state.wantedDocument || "";
  $("scope-document").replaceChildren(
    el("option", { value: "", text: "All documents" }),
    ...documents.map((d) => el("option", { value: d.id, text: d.id })),
  );
  if (documents.some((d) => d.id === chosen)) $("scope-document").value = chosen;
}

async function loadIndex() {
  let stats, listing;
  try {
    [stats, listing] = await Promise.all([api("/stats"), allDocuments()]);
  } catch (err) {
    $("index-status").textContent = err.message;
    $("index-status").classList.add("error");
    return null;
  }
  $("index-status").classList.remove("error");
  state.version = stats.index_version;
  $("index-status").textContent =
    `${stats.documents} documents · ${stats.passages} passages · ` +
    `index ${stats.index_version} · model ${stats.model}`;
  $("documents").replaceChildren(...listing.documents.map(documentItem));
  fillScope(listing.documents);
  // Both answers of one version, or null: right after a write, one request can still be answered
  // from the previous version while another already sees the new one.
  return listing.index_version === stats.index_version ? stats : null;
}

function documentItem(d) {
  const title = el("button", { type: "button", class: "link doc-open", text: d.title });
  title.addEventListener("click", () => openDocument(d.id));
  const counts = [d.id, d.kind, d.pages ? plural(d.pages, "page") : null];
  counts.push(plural(d.passages, "passage"));
  const remove = el("button", {
    type: "button",
    class: "delete",
    text: "Delete",
    "aria-label": `Delete ${d.id}`,
  });
  remove.addEventListener("click", () => deleteDocument(d.id));
  return el(
    "li",
    { class: "document", "data-id": d.id },
    el("div", {}, title, el("p", { class: "where", text: counts.filter(Boolean).join(" · ") })),
    remove,
  );
}

// A write publishes a new index version; the service switches to it within a second.
// Done when the statistics and the document list both come from a version newer than `before`.
async function waitForNewVersion(before) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const stats = await loadIndex();
    if (stats && stats.index_version !== before) {
      $("manage-status").textContent +=
        ` Index version ${stats.index_version} is live: ${plural(stats.documents, "document")}.`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  $("manage-status").textContent += " The new index version is not live yet: reload later.";
}

// --- writes ----------------------------------------------------------------------------------

function upload(event) {
  event.preventDefault();
  show("manage-error", "");
  const file = $("file").files[0];
  if (!file) {
    show("manage-error", "Choose a document first (the types are listed above the field).");
    return;
  }
  const before = state.version;
  const progress = $("upload-progress");
  const form = new FormData();
  form.append("file", file);
  const xhr = new XMLHttpRequest(); // fetch() reports no upload progress
  xhr.open("POST", "/documents");
  if (state.key) xhr.setRequestHeader("X-API-Key", state.key);
  progress.value = 0;
  progress.classList.add("active");
  $("upload-button").disabled = true;
  $("manage-status").textContent = `Uploading ${file.name}…`;
  xhr.upload.addEventListener("progress", (e) => {
    if (!e.lengthComputable) return;
    const percent = Math.round((100 * e.loaded) / e.total);
    progress.value = percent;
    $("manage-status").textContent = `Uploading ${file.name}: ${percent} %`;
  });
  xhr.upload.addEventListener("load", () => {
    progress.value = 100;
    $("manage-status").textContent = `Uploaded ${file.name}; reading and indexing it…`;
  });
  const done = () => {
    $("upload-button").disabled = false;
    progress.classList.remove("active");
  };
  xhr.addEventListener("load", async () => {
    done();
    let body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      // not JSON: errorMessage says so
    }
    if (xhr.status !== 201 || !body) {
      $("manage-status").textContent = "";
      show("manage-error", errorMessage(xhr.status, body));
      return;
    }
    $("manage-status").textContent = `Added ${body.id} (${plural(body.passages, "passage")}).`;
    $("file").value = "";
    await waitForNewVersion(before);
  });
  xhr.addEventListener("error", () => {
    done();
    $("manage-status").textContent = "";
    show("manage-error", "Could not reach the citeqa service: is it still running?");
  });
  xhr.send(form);
}

async function deleteDocument(id) {
  if (!window.confirm(`Delete ${id} from the index and from the corpus folder?`)) return;
  show("manage-error", "");
  const before = state.version;
  $("manage-status").textContent = `Deleting ${id}…`;
  try {
    await api(documentPath(id), { method: "DELETE", headers: { "X-API-Key": state.key } });
  } catch (err) {
    $("manage-status").textContent = "";
    show("manage-error", err.message);
    return;
  }
  $("manage-status").textContent = `Deleted ${id}.`;
  await waitForNewVersion(before);
}

// --- wiring ----------------------------------------------------------------------------------

$("ask-form").addEventListener("submit", ask);
$("upload-form").addEventListener("submit", upload);
$("api-key").addEventListener("input", (e) => {
  state.key = e.target.value.trim();
  document.body.classList.toggle("has-key", state.key !== "");
});
$("doc-close").addEventListener("click", closeDocument);
$("doc-view").addEventListener("click", (e) => {
  if (e.target === e.currentTarget) closeDocument(); // a click on the backdrop
});
$("doc-view").addEventListener("cancel", () => opened++); // Escape closes it

const params = new URLSearchParams(location.search);
if (/^[1-9][0-9]*$/.test(params.get("k") || "")) {
  const k = params.get("k");
  if (![...$("k").options].some((option) => option.value === k)) $("k").append(el("option", {}, k));
  $("k").value = k;
}
$("scope-folder").value = params.get("folder") || "";
state.wantedDocument = params.get("doc") || "";
// Until the list arrives, the linked document is the one choice, so a deep link asks within it.
if (state.wantedDocument) {
  $("scope-document").append(el("option", { value: state.wantedDocument, text: state.wantedDocument }));
  $("scope-document").value = state.wantedDocument;
}
loadIndex();
if (params.get("q")) {
  $("question").value = params.get("q");
  ask();
}

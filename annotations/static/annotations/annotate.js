/*
 * The annotate screen: the article as a reader sees it, with quotes, annotations and spam highlighted,
 * and the editor's writes sent to the REST API with the admin session.
 *
 * Offsets from and to the server are Unicode code points; the browser's strings and selections count
 * UTF-16 units. toUnits/toPoints below are the only place that converts between the two: records are
 * converted when they arrive (fromServer*) and when they leave (the payloads of save*).
 *
 * Everything that comes from users (notes, tags, names, article text) goes into the page through
 * textContent or attributes, never through innerHTML.
 */
(() => {
  "use strict";

  // --- Offsets: code points <-> UTF-16 units --------------------------------------------------------

  let astralText = null;
  let astralStarts = [];

  /** The UTF-16 index of every character outside the BMP (two units each), computed once per text. */
  function astralIndex(text) {
    if (astralText !== text) {
      astralStarts = [];
      for (let unit = 0; unit < text.length; unit += 1) {
        const code = text.charCodeAt(unit);
        if (code >= 0xd800 && code <= 0xdbff && unit + 1 < text.length) {
          const next = text.charCodeAt(unit + 1);
          if (next >= 0xdc00 && next <= 0xdfff) {
            astralStarts.push(unit);
            unit += 1;
          }
        }
      }
      astralText = text;
    }
    return astralStarts;
  }

  /** A code point offset into text as a UTF-16 offset. */
  function toUnits(text, points) {
    const starts = astralIndex(text);
    // The k-th astral character sits at code point starts[k] - k; count those before `points`.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] - mid < points) low = mid + 1;
      else high = mid;
    }
    return points + low;
  }

  /** A UTF-16 offset into text as a code point offset (inside a surrogate pair: the pair's start). */
  function toPoints(text, units) {
    const starts = astralIndex(text);
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < units) low = mid + 1;
      else high = mid;
    }
    return units - low;
  }

  window.newsdeskOffsets = Object.freeze({ toUnits, toPoints });

  // --- Small DOM helpers ---------------------------------------------------------------------------

  /** An element with attributes and children; strings become text nodes, so nothing is parsed as HTML. */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") element.className = value;
      else if (name === "text") element.textContent = value;
      else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(element.dataset, value);
      else if (value === true) element.setAttribute(name, "");
      else element.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function excerpt(text, length = 80) {
    const flat = text.replace(/\s+/g, " ").trim();
    if (flat.length <= length) return flat;
    return `${flat.slice(0, length - 1)}…`;
  }

  /** Hex colour with an alpha channel (tag colours are #rrggbb). */
  function tint(colour, alpha) {
    if (!/^#[0-9a-f]{6}$/i.test(colour)) return `rgba(189, 189, 189, ${alpha})`;
    const value = parseInt(colour.slice(1), 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  // --- State ---------------------------------------------------------------------------------------

  const source = document.getElementById("annotate-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const text = data.article.text;
  const me = data.user;
  const can = data.can;
  // Colours end up in style attributes: only #rrggbb gets there.
  const safeColour = (colour) => (/^#[0-9a-f]{6}$/i.test(colour) ? colour : "#bdbdbd");
  // A tag is the API's, with the screen's path, shortcut and display_colour beside it; here its colour
  // is the one the screen draws it in (the stored one moved apart from the marks and the other tags).
  const tagsBySlug = new Map(data.tags.map((tag) => [tag.slug, { ...tag, colour: safeColour(tag.display_colour) }]));
  data.tags = [...tagsBySlug.values()];
  const tagsByKey = new Map(data.tags.filter((tag) => tag.shortcut).map((tag) => [tag.shortcut, tag]));

  const state = {
    paragraphs: [],
    quotes: new Map(),
    annotations: new Map(),
    claims: new Map(),
    speakers: new Map(), // every speaker the page knows (the article's, and any found by a search)
    articleSpeakers: new Set(), // ids of the speakers offered first: those of this article
    quoteNotices: new Map(), // quote id -> {level, text}: why the last correction was not saved
    claimNotices: new Map(), // claim id -> {level, text}: why the last claimant was not saved
    suggestions: [], // check-worthy sentences, best first, with unit offsets
  };

  function unitSpan(start, end) {
    if (start === null || start === undefined || end === null || end === undefined) return {};
    return { us: toUnits(text, start), ue: toUnits(text, end) };
  }

  function fromServerParagraph(record) {
    return { ...record, ...unitSpan(record.start, record.end) };
  }

  function fromServerQuote(record) {
    const previous = state.quotes.get(record.id) || {};
    // The API's quote has no description of the speaker: take it from the speaker the page knows.
    const known = record.speaker_id === null || record.speaker_id === undefined ? null : state.speakers.get(record.speaker_id);
    const sameSpeaker = previous.speaker_id === record.speaker_id;
    const description = known ? known.description : sameSpeaker ? previous.speaker_description || "" : "";
    return { speaker_description: description, ...record, ...unitSpan(record.start, record.end) };
  }

  function fromServerAnnotation(record) {
    return { ...record, anchor: anchorOf(record), ...unitSpan(record.start, record.end) };
  }

  /**
   * How the annotation is anchored. The page data says so; the API's records do not, so it is told
   * from the record the way the database constrains it (an orphan alone lacks its place) and otherwise
   * kept from the page's copy while the offsets stay the same (a move by a person clears it).
   */
  function anchorOf(record) {
    if (typeof record.anchor === "string") return record.anchor;
    const unplaced =
      (record.target === "span" && (record.start === null || record.end === null)) ||
      (record.target === "paragraph" && record.paragraph === null);
    if (unplaced) return "orphaned";
    const previous = state.annotations.get(record.id);
    const unmoved = previous && previous.anchor !== "orphaned" && previous.target === record.target &&
      previous.start === record.start && previous.end === record.end &&
      previous.paragraph === record.paragraph && previous.quote === record.quote;
    return unmoved ? previous.anchor || "" : "";
  }

  for (const speaker of data.speakers) {
    state.speakers.set(speaker.id, speaker);
    state.articleSpeakers.add(speaker.id);
  }
  for (const record of data.paragraphs) state.paragraphs.push(fromServerParagraph(record));
  for (const record of data.quotes) state.quotes.set(record.id, fromServerQuote(record));
  for (const record of data.annotations) state.annotations.set(record.id, fromServerAnnotation(record));
  for (const record of data.claims) state.claims.set(record.id, record);
  state.suggestions = data.suggestions.map((record) => ({ ...record, ...unitSpan(record.start, record.end) }));

  const paragraphsById = new Map(state.paragraphs.map((paragraph) => [paragraph.id, paragraph]));

  /** Where an annotation shows in the text, in units; null for the whole article and for orphans. */
  function annotationRange(annotation) {
    if (annotation.target === "span" && annotation.us !== undefined) return [annotation.us, annotation.ue];
    if (annotation.target === "paragraph") {
      const paragraph = paragraphsById.get(annotation.paragraph);
      if (paragraph) return [paragraph.us, paragraph.ue];
    }
    if (annotation.target === "quote") {
      const quote = state.quotes.get(annotation.quote);
      if (quote && quote.us !== undefined) return [quote.us, quote.ue];
    }
    return null;
  }

  function isSpam(annotation) {
    return annotation.origin === "machine" && annotation.tags.includes(data.spam_tag);
  }

  function annotationColour(annotation) {
    for (const slug of annotation.tags) {
      const tag = tagsBySlug.get(slug);
      if (tag) return tag.colour;
    }
    return "#bdbdbd";
  }

  /** An annotation whose words a new revision of the article no longer has: no offsets until placed. */
  function isOrphan(annotation) {
    return annotation.anchor === "orphaned";
  }

  function mayChange(annotation) {
    return can.change_annotation && (me.is_superuser || annotation.author === me.username);
  }

  function mayDelete(annotation) {
    return can.delete_annotation && (me.is_superuser || annotation.author === me.username);
  }

  // --- The API -------------------------------------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const field = document.querySelector("#annotate-csrf [name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function etag(record) {
    return `"${record.id}-${record.version}"`;
  }

  async function api(method, url, { body, ifMatch, signal } = {}) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (ifMatch) headers["If-Match"] = ifMatch;
    const encoded = body === undefined ? undefined : JSON.stringify(body);
    const limit = data.limits.upload_bytes;
    if (encoded !== undefined && limit) {
      const size = new Blob([encoded]).size;
      if (size > limit) {
        return { ok: false, status: 413, data: null, problem: tooLarge(size, limit) };
      }
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        credentials: "same-origin",
        body: encoded,
        signal,
      });
    } catch (error) {
      if (signal && signal.aborted) return { ok: false, status: 0, data: null, aborted: true, problem: "" };
      return { ok: false, status: 0, data: null, problem: `The server could not be reached (${error.message}).` };
    }
    let payload = null;
    if (response.status !== 204) {
      try {
        payload = await response.json();
      } catch {
        payload = null;
      }
    }
    return { ok: response.ok, status: response.status, data: payload, problem: response.ok ? "" : problem(response.status, payload) };
  }

  /** An API error as a sentence a person can act on. */
  function problem(status, payload) {
    if (payload && typeof payload.detail === "string") return payload.detail;
    if (payload && typeof payload === "object") {
      return Object.entries(payload)
        .map(([field, messages]) => {
          const text = [].concat(messages).map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
          return field === "non_field_errors" ? text : `${field}: ${text}`;
        })
        .join(" ");
    }
    if (status === 403) return "You are not allowed to do this (403); your session may have ended — reload the page.";
    if (status === 400 || status === 413) {
      return `The server refused the request (${status}) without saying why; a save may carry at most ${megabytes(data.limits.upload_bytes)}, so a very long note is the likely cause. Nothing was saved.`;
    }
    return `The server answered ${status}.`;
  }

  function megabytes(bytes) {
    return bytes ? `${(bytes / 1048576).toFixed(1)} MB` : "a limited size";
  }

  function tooLarge(size, limit) {
    return `Not saved: this is ${megabytes(size)} of text, and a save may carry at most ${megabytes(limit)}. Shorten the note (a link to a longer document works) and save again.`;
  }

  const SPEAKER_PAGE = 20; // shared speakers listed per search
  const SPEAKER_MIN_QUERY = 2; // letters typed before the shared speakers are searched
  const SPEAKER_DEBOUNCE_MS = 250;

  const urls = {
    annotation: (id) => `${data.api.annotations}${id}/`,
    quote: (id) => `${data.api.quotes}${id}/`,
    speaker: (id) => `${data.api.speakers}${id}/`,
    speakerSearch: (name) => `${data.api.speakers}?${new URLSearchParams({ name, shared: "true", page_size: String(SPEAKER_PAGE) })}`,
    factCheck: (id) => `${data.api.fact_checks}${id}/`,
    claim: (id) => `${data.api.claims}${id}/`,
    cluster: (id) => `${data.api.quote_clusters}${id}/`,
  };

  // --- Messages ------------------------------------------------------------------------------------

  const messages = document.getElementById("annotate-messages");

  /*
   * Where the editor last acted (a click or a key on a control, a passage, an item of the sidebar), in
   * page coordinates: a message shows there too, beside what it is about, as well as in the list in the
   * corner that keeps it. The box is taken when the action starts, because the redraw that follows a
   * save usually replaces the control itself.
   */
  let lastAction = null;
  const TOAST_MS = { success: 4000, info: 6000, warning: 12000, error: 15000 };
  let toast = null;
  let toastTimer = 0;

  function rememberAction(event) {
    if (!(event.target instanceof Element) || event.target.closest(".annotate-toast, #annotate-messages")) return;
    const element = event.target.closest("button, input, select, textarea, a, .side-item, .annotate-panel") || event.target;
    const box = element.getBoundingClientRect();
    if (!box.width && !box.height) return;
    lastAction = { left: box.left + window.scrollX, top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
  }
  document.addEventListener("pointerdown", rememberAction, true);
  document.addEventListener("keydown", rememberAction, true);

  function dismissToast() {
    clearTimeout(toastTimer);
    if (toast) toast.remove();
    toast = null;
  }

  /** The message beside the last action, kept in the window (below the control, or above it near the
   * bottom edge). Screen readers hear it once, from the list; this copy is for the eyes. */
  function showToast(textContent, level) {
    dismissToast();
    if (!lastAction) return;
    toast = h("div", { class: `annotate-toast ${level}`, "aria-hidden": "true", title: "Click to close", onclick: dismissToast }, textContent);
    document.body.append(toast);
    const width = toast.offsetWidth;
    const height = toast.offsetHeight;
    const viewTop = window.scrollY;
    const viewBottom = viewTop + document.documentElement.clientHeight;
    const viewRight = window.scrollX + document.documentElement.clientWidth;
    let top = lastAction.bottom + 6;
    if (top + height > viewBottom - 8) top = lastAction.top - height - 6;
    top = Math.min(Math.max(top, viewTop + 8), viewBottom - height - 8);
    const left = Math.max(window.scrollX + 8, Math.min(lastAction.left, viewRight - width - 16));
    toast.style.top = `${top}px`;
    toast.style.left = `${left}px`;
    toastTimer = setTimeout(dismissToast, TOAST_MS[level] || 6000);
  }

  function notify(textContent, level = "info", { sticky = level !== "success" } = {}) {
    const item = h("li", { class: `${level} annotate-message`, role: level === "error" ? "alert" : "status" }, textContent);
    const close = h("button", { type: "button", class: "message-close", "aria-label": "Dismiss", onclick: () => item.remove() }, "×");
    item.append(close);
    messages.append(item);
    if (!sticky) setTimeout(() => item.remove(), 5000);
    showToast(textContent, level);
    return item;
  }

  // --- Rendering the article -----------------------------------------------------------------------

  const article = document.getElementById("annotate-article");
  const sidebar = document.getElementById("annotate-sidebar");
  const toolbar = document.getElementById("annotate-toolbar");
  let segments = []; // every text segment, in document order
  const segmentItems = new WeakMap(); // segment -> the items covering it
  let elementsByKey = new Map(); // "a12" / "q3" -> the segments showing it

  /** Everything drawn over the text, with unit ranges. */
  function highlightItems() {
    const items = [];
    for (const quote of state.quotes.values()) {
      if (quote.us === undefined) continue;
      items.push({ key: `q${quote.id}`, kind: "quote", us: quote.us, ue: quote.ue, record: quote, colour: data.colours.quote });
    }
    for (const annotation of state.annotations.values()) {
      const range = annotationRange(annotation);
      if (!range) continue;
      items.push({
        key: `a${annotation.id}`,
        kind: isSpam(annotation) ? "spam" : "annotation",
        us: range[0],
        ue: range[1],
        record: annotation,
        colour: isSpam(annotation) ? data.colours.spam : annotationColour(annotation),
      });
    }
    // Check-worthy sentences: marked apart from the highlights (a dashed line over the text and a label).
    for (const suggestion of state.suggestions) {
      items.push({ key: suggestionKey(suggestion), kind: "suggestion", us: suggestion.us, ue: suggestion.ue, record: suggestion });
    }
    // Longer items first: outer highlights take the lower bands, inner ones sit closest to the text.
    items.sort((a, b) => b.ue - b.us - (a.ue - a.us) || a.us - b.us || a.key.localeCompare(b.key));
    return items;
  }

  function suggestionKey(suggestion) {
    return `s${suggestion.start}-${suggestion.end}`;
  }

  function decorate(segment, covering) {
    segment.classList.add("hl");
    const bands = covering.filter((item) => item.kind !== "suggestion").slice(0, 5);
    // One underline band per item, stacked below the text: each stays visible where items overlap.
    const shadows = bands
      .slice()
      .reverse()
      .map((item, index) => `inset 0 -${(index + 1) * 3}px 0 ${item.colour}`);
    segment.style.boxShadow = shadows.join(", ");
    segment.style.paddingBottom = `${bands.length * 3}px`;
    const annotations = covering.filter((item) => item.kind === "annotation");
    if (annotations.length) {
      const inner = annotations[annotations.length - 1];
      segment.style.backgroundColor = tint(inner.colour, inner.record.status === "draft" ? 0.25 : 0.4);
      segment.classList.add("hl-annotation");
    } else if (covering.some((item) => item.kind === "quote")) {
      segment.classList.add("hl-quote");
    }
    if (covering.some((item) => item.kind === "spam")) segment.classList.add("hl-spam");
    const suggested = covering.find((item) => item.kind === "suggestion");
    if (suggested) {
      segment.classList.add("hl-suggestion");
      segment.setAttribute("aria-description", describe(suggested));
    }
    if (covering.length > 1) segment.classList.add("hl-overlap");
    segment.title = covering.map(describe).join("\n");
  }

  function describe(item) {
    if (item.kind === "suggestion") {
      const suggestion = item.record;
      return `check-worthy, score ${suggestion.score.toFixed(1)}: ${suggestion.reasons.join(", ")} — C makes it a claim, X dismisses it`;
    }
    if (item.kind === "quote") {
      const quote = item.record;
      return `${quote.kind} quote — ${quote.speaker || "unknown speaker"}${quote.verified ? " (verified)" : ""}`;
    }
    const annotation = item.record;
    const tags = annotation.tags.map((slug) => (tagsBySlug.get(slug) || { path: slug }).path).join(", ");
    return `${item.kind === "spam" ? "injected spam" : "annotation"}: ${tags || "note"} — ${annotation.status}`;
  }

  function renderArticle() {
    const items = highlightItems();
    const fragment = document.createDocumentFragment();
    segments = [];
    elementsByKey = new Map();
    for (const paragraph of state.paragraphs) {
      const inside = items.filter((item) => item.us < paragraph.ue && item.ue > paragraph.us);
      const cuts = new Set([paragraph.us, paragraph.ue]);
      for (const item of inside) {
        cuts.add(Math.max(item.us, paragraph.us));
        cuts.add(Math.min(item.ue, paragraph.ue));
      }
      const bounds = [...cuts].sort((a, b) => a - b);
      const body = h("p", { class: "para-text", dataset: { paragraphId: paragraph.id } });
      for (let index = 0; index + 1 < bounds.length; index += 1) {
        const [from, to] = [bounds[index], bounds[index + 1]];
        for (const item of inside) {
          if (item.kind === "quote" && item.us === from) {
            // The label is an empty element drawn by CSS: it adds no text to select or to count.
            body.append(h("span", { class: "speaker-label", "data-label": item.record.speaker || "unknown speaker", "aria-hidden": "true" }));
          }
          if (item.kind === "suggestion" && item.us === from) {
            body.append(h("span", { class: "suggestion-label", "data-label": "check?", "aria-hidden": "true" }));
          }
        }
        const covering = inside.filter((item) => item.us <= from && item.ue >= to);
        const segment = h("span", { class: "seg", dataset: { u: from } }, text.slice(from, to));
        if (covering.length) {
          decorate(segment, covering);
          segment.dataset.items = covering.map((item) => item.key).join(" ");
          segmentItems.set(segment, covering);
          for (const item of covering) {
            if (!elementsByKey.has(item.key)) elementsByKey.set(item.key, []);
            elementsByKey.get(item.key).push(segment);
          }
        }
        segments.push(segment);
        body.append(segment);
      }
      const dimmed = paragraph.role === "boilerplate" || paragraph.role === "caption";
      const label = h("span", {
        class: "role-label",
        title: paragraph.rule ? `${paragraph.role}, classified by rule ${paragraph.rule}` : paragraph.role,
      }, paragraph.role);
      const gutter = h("div", { class: "para-gutter" }, label);
      if (paragraph.rule) gutter.append(h("span", { class: "rule-label" }, paragraph.rule));
      if (can.add_annotation) {
        gutter.append(
          h("button", {
            type: "button",
            class: "para-annotate",
            title: "Annotate the whole paragraph",
            "aria-label": `Annotate paragraph ${paragraph.position}`,
            onclick: (event) => openCreatePanel({ target: "paragraph", paragraph }, event.currentTarget),
          }, "¶+"),
        );
      }
      fragment.append(
        h("div", { class: `para role-${paragraph.role}${dimmed ? " dimmed" : ""}`, dataset: { position: paragraph.position } }, gutter, body),
      );
    }
    article.replaceChildren(fragment);
  }

  // --- Selections ----------------------------------------------------------------------------------

  /** The unit offset in the article text of a DOM boundary point. */
  function boundaryUnit(node, offset, isEnd) {
    if (node.nodeType === Node.TEXT_NODE && node.parentElement && node.parentElement.classList.contains("seg")) {
      return Number(node.parentElement.dataset.u) + offset;
    }
    // A point between elements (labels, gutters, paragraphs): the nearest text segment.
    const point = document.createRange();
    point.setStart(node, offset);
    if (!isEnd) {
      const next = segments.find((segment) => point.comparePoint(segment, 0) >= 0);
      return next ? Number(next.dataset.u) : text.length;
    }
    let previous = null;
    for (const segment of segments) {
      if (point.comparePoint(segment, segment.childNodes.length) <= 0) previous = segment;
      else break;
    }
    return previous ? Number(previous.dataset.u) + previous.textContent.length : 0;
  }

  function isLowSurrogate(unit) {
    const code = text.charCodeAt(unit);
    return code >= 0xdc00 && code <= 0xdfff;
  }

  /** The selected span in units, trimmed of surrounding white space; null if nothing is selected. */
  function selectionSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) return null;
    let start = boundaryUnit(range.startContainer, range.startOffset, false);
    let end = boundaryUnit(range.endContainer, range.endOffset, true);
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (start < text.length && isLowSurrogate(start)) start -= 1;
    if (end < text.length && isLowSurrogate(end)) end += 1;
    if (start >= end) return null;
    return { us: start, ue: end, rect: range.getBoundingClientRect() };
  }

  function paragraphAt(unit) {
    return state.paragraphs.find((paragraph) => paragraph.us <= unit && unit < paragraph.ue) || null;
  }

  /** The quote that holds the whole span, if any: its speaker is the likely claimant. */
  function quoteAround(us, ue) {
    for (const quote of state.quotes.values()) {
      if (quote.us !== undefined && quote.us <= us && ue <= quote.ue) return quote;
    }
    return null;
  }

  // --- Floating panels -----------------------------------------------------------------------------

  let panel = null;
  let popover = null;
  let panelReturn = null; // where the focus goes back to when the panel closes

  function closePanel({ restore = true } = {}) {
    if (panel) panel.remove();
    panel = null;
    const back = panelReturn;
    panelReturn = null;
    if (restore && back && back.isConnected) back.focus({ preventScroll: true });
    else if (restore && back) article.focus({ preventScroll: true });
    if (restore && back === article) showCaret();
  }

  /** Remembers where the focus was before a panel opens (not a panel being replaced). */
  function rememberFocus() {
    const active = document.activeElement;
    if (panel && panel.contains(active)) return panelReturn;
    return active && active !== document.body ? active : article;
  }

  /** The panel's own keys: a tag's shortcut toggles it, Enter saves, Escape cancels. In a text field
   * the keys type; Ctrl+Enter saves from there. */
  function panelKeys(form, tags) {
    form.addEventListener("keydown", (event) => {
      const typing = event.target instanceof HTMLElement && event.target.matches("input[type=text], textarea, select");
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        closePanel();
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey || !typing) && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        form.requestSubmit();
        return;
      }
      if (!tags || typing || event.ctrlKey || event.metaKey || event.altKey) return;
      const tag = tagsByKey.get(event.key.toLowerCase());
      if (tag) {
        event.preventDefault();
        tags.toggle(tag.slug);
      }
    });
  }

  /** Whether leaving now would lose what the editor wrote in the open panel. */
  function panelDirty() {
    return Boolean(panel && panel.isDirty && panel.isDirty());
  }

  function closePopover() {
    if (popover) popover.remove();
    popover = null;
  }

  function place(element, anchor) {
    document.body.append(element);
    const rect = anchor instanceof Element ? anchor.getBoundingClientRect() : anchor;
    const width = element.offsetWidth;
    const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 16));
    element.style.left = `${left}px`;
    element.style.top = `${rect.bottom + window.scrollY + 8}px`;
  }

  function targetText(target) {
    if (target.target === "span") return text.slice(target.us, target.ue);
    if (target.target === "paragraph") return text.slice(target.paragraph.us, target.paragraph.ue);
    if (target.target === "quote") return text.slice(target.quote.us, target.quote.ue);
    return data.article.title || `Article ${data.article.id}`;
  }

  function targetHeading(target) {
    if (target.target === "paragraph") return `Paragraph ${target.paragraph.position} (${target.paragraph.role})`;
    if (target.target === "quote") return `Quote of ${target.quote.speaker || "an unknown speaker"}`;
    if (target.target === "article") return "The whole article";
    return "Selected passage";
  }

  /** A type-ahead over the vocabulary; chosen tags show as chips. */
  function tagPicker(initial) {
    const chosen = [...initial];
    const chips = h("span", { class: "tag-chips" });
    const list = h("ul", { class: "tag-suggestions", role: "listbox", id: "annotate-tag-suggestions" });
    const input = h("input", {
      type: "text",
      class: "tag-input",
      placeholder: "Type to find a tag…",
      autocomplete: "off",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-controls": "annotate-tag-suggestions",
      "aria-expanded": "false",
      "aria-label": "Find a tag",
    });
    let active = 0;
    let matches = [];

    function drawChips() {
      if (typeof drawQuick === "function") drawQuick();
      chips.replaceChildren(
        ...chosen.map((slug) => {
          const tag = tagsBySlug.get(slug) || { path: slug, colour: "#bdbdbd" };
          return h("span", { class: "tag-chip", dataset: { slug }, style: `--tag: ${tag.colour}`, title: slug },
            tag.path,
            h("button", { type: "button", class: "chip-remove", "aria-label": `Remove ${tag.path}`, onclick: () => remove(slug) }, "×"));
        }),
      );
    }

    function remove(slug) {
      const index = chosen.indexOf(slug);
      if (index >= 0) chosen.splice(index, 1);
      drawChips();
      input.focus();
    }

    function add(slug) {
      if (!chosen.includes(slug)) chosen.push(slug);
      input.value = "";
      drawChips();
      suggest();
      input.focus();
    }

    // Every tag with a key, as a toggle: the label bar's shortcuts, inside the panel.
    const quick = h("div", { class: "quick-tags", role: "group", "aria-label": "Tags by shortcut" });
    function drawQuick() {
      quick.replaceChildren(
        ...data.tags.filter((tag) => tag.shortcut).map((tag) =>
          h("button", {
            type: "button",
            class: "quick-tag",
            dataset: { slug: tag.slug },
            style: `--tag: ${tag.colour}`,
            title: `${tag.path}${tag.description ? ` — ${tag.description}` : ""} (key ${tag.shortcut})`,
            "aria-pressed": chosen.includes(tag.slug) ? "true" : "false",
            "aria-keyshortcuts": tag.shortcut,
            onclick: () => toggle(tag.slug, { focus: false }),
          }, h("kbd", {}, tag.shortcut), " ", tag.name)),
      );
    }

    function toggle(slug, { focus = false } = {}) {
      const index = chosen.indexOf(slug);
      if (index >= 0) chosen.splice(index, 1);
      else chosen.push(slug);
      drawChips();
      if (focus) input.focus();
    }

    function suggest() {
      const query = input.value.trim().toLowerCase();
      list.replaceChildren();
      matches = [];
      input.setAttribute("aria-expanded", "false");
      if (!query) return;
      const words = query.split(/\s+/);
      matches = data.tags
        .filter((tag) => !chosen.includes(tag.slug) && tag.slug !== data.spam_tag)
        .filter((tag) => words.every((word) => `${tag.path} ${tag.slug}`.toLowerCase().includes(word)))
        .slice(0, 8);
      active = 0;
      input.setAttribute("aria-expanded", matches.length ? "true" : "false");
      matches.forEach((tag, index) => {
        list.append(
          h("li", {
            role: "option",
            class: index === active ? "active" : "",
            "aria-selected": index === active ? "true" : "false",
            title: tag.description,
            dataset: { slug: tag.slug },
            onmousedown: (event) => {
              event.preventDefault(); // keep the focus in the input
              add(tag.slug);
            },
          }, h("span", { class: "swatch", style: `--tag: ${tag.colour}` }), tag.path),
        );
      });
    }

    function highlightActive() {
      [...list.children].forEach((item, index) => {
        item.classList.toggle("active", index === active);
        item.setAttribute("aria-selected", index === active ? "true" : "false");
      });
    }

    input.addEventListener("input", suggest);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && matches.length) {
        active = (active + 1) % matches.length;
        highlightActive();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && matches.length) {
        active = (active - 1 + matches.length) % matches.length;
        highlightActive();
        event.preventDefault();
      } else if (event.key === "Enter" && matches[active] && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        event.stopPropagation();
        add(matches[active].slug);
      } else if (event.key === "Enter" && input.value.trim() && !event.ctrlKey && !event.metaKey) {
        event.preventDefault(); // no tag matches what was typed: nothing to add, nothing to save yet
        event.stopPropagation();
      } else if (event.key === "Backspace" && !input.value && chosen.length) {
        remove(chosen[chosen.length - 1]);
      }
    });
    drawChips();
    return {
      element: h("div", { class: "tag-picker" }, chips, input, list),
      quick,
      input,
      toggle,
      get value() {
        return [...chosen];
      },
      set value(slugs) {
        chosen.splice(0, chosen.length, ...slugs);
        drawChips();
      },
    };
  }

  function field(labelText, control) {
    return h("label", { class: "panel-field" }, h("span", { class: "panel-label" }, labelText), control);
  }

  function statusSelect(value) {
    return h("select", { class: "status-select" }, ...data.choices.status.map((status) => h("option", { value: status, selected: status === value }, status)));
  }

  /** The panel to create an annotation on a span, paragraph, quote or the whole article. */
  function openCreatePanel(target, anchor, { tags: initialTags = [] } = {}) {
    const returnTo = rememberFocus();
    closePanel({ restore: false });
    closePopover();
    if (!can.add_annotation) {
      notify("You can read this article but not annotate it: your account has no permission to add annotations.", "warning");
      return;
    }
    const tags = tagPicker(initialTags);
    const note = h("textarea", { class: "note-input", rows: 3, placeholder: "A note (optional if you choose a tag)", "aria-label": "Note" });
    const status = statusSelect("draft");
    const asClaim = h("input", { type: "checkbox", class: "claim-input" });
    const error = h("p", { class: "panel-error", role: "alert" });
    const save = h("button", { type: "submit", class: "button default save-button" }, target.target === "span" ? "Save annotation" : "Save");
    const form = h("form", { class: "annotate-panel", id: "annotate-panel", role: "dialog", "aria-label": "Annotate", tabindex: "-1" },
      h("p", { class: "panel-heading" }, targetHeading(target)),
      h("blockquote", { class: "panel-excerpt" }, excerpt(targetText(target), 160)),
      tags.quick,
      h("p", { class: "panel-keys" }, "Keys: a tag's key toggles it · Enter saves · Esc cancels"),
      field("Tags", tags.element),
      field("Note", note),
      field("Status", status),
      can.add_claim ? h("label", { class: "panel-check" }, asClaim, " Mark as a claim (checkable statement)") : null,
      error,
      h("div", { class: "panel-actions" },
        save,
        h("button", { type: "button", class: "button cancel-button", onclick: closePanel }, "Cancel"),
        target.target === "span" && paragraphAt(target.us)
          ? h("button", {
              type: "button",
              class: "button whole-paragraph-button",
              onclick: () => openCreatePanel({ target: "paragraph", paragraph: paragraphAt(target.us) }, anchor),
            }, "Whole paragraph instead")
          : null),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      save.disabled = true;
      const ok = await saveNew(target, { tags: tags.value, note: note.value, status: status.value, claim: asClaim.checked }, error);
      save.disabled = false;
      if (ok) closePanel();
    });
    panelKeys(form, tags);
    form.applyTag = (slug) => tags.toggle(slug);
    form.isDirty = () => note.value.trim() !== "" || tags.value.length > initialTags.length;
    panel = form;
    panelReturn = returnTo;
    place(form, anchor);
    form.focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest" });
  }

  async function saveNew(target, values, error) {
    const payload = { article: data.article.id, target: target.target, tags: values.tags, note: values.note, status: values.status };
    // In a project, what the annotator writes goes into their own layer there.
    if (data.project) payload.project = data.project.id;
    if (target.target === "span") {
      payload.start = toPoints(text, target.us);
      payload.end = toPoints(text, target.ue);
      payload.exact = text.slice(target.us, target.ue);
    } else if (target.target === "paragraph") {
      payload.paragraph = target.paragraph.id;
    } else if (target.target === "quote") {
      payload.quote = target.quote.id;
    }
    const created = await api("POST", data.api.annotations, { body: payload });
    if (!created.ok) {
      error.textContent = created.problem;
      return false;
    }
    if (target.target === "span") {
      kb.caret = target.ue; // the keyboard carries on after the passage just saved
      kb.anchor = null;
    }
    const annotation = fromServerAnnotation(created.data);
    state.annotations.set(annotation.id, annotation);
    if (values.claim) {
      const range = annotationRange(annotation);
      const quote = target.target === "quote" ? target.quote : range ? quoteAround(range[0], range[1]) : null;
      const claim = await api("POST", data.api.claims, {
        body: { article: data.article.id, text: targetText(target), annotation: annotation.id, claimant: quote ? quote.speaker_id : null },
      });
      if (claim.ok) await reloadClaims();
      else notify(`The annotation was saved, but the claim was not: ${claim.problem}`, "error");
    }
    window.getSelection().removeAllRanges();
    renderAll();
    notify(values.claim ? "Annotation and claim saved." : "Annotation saved.", "success");
    flash(`a${annotation.id}`, { scroll: false });
    return true;
  }

  /** The panel to change an annotation; a change made stale by someone else is refused, never forced. */
  function openEditPanel(annotation, anchor) {
    const returnTo = rememberFocus();
    closePanel({ restore: false });
    closePopover();
    const tags = tagPicker(annotation.tags);
    const note = h("textarea", { class: "note-input", rows: 3, "aria-label": "Note" });
    note.value = annotation.note;
    const status = statusSelect(annotation.status);
    const error = h("div", { class: "panel-error", role: "alert" });
    const version = h("span", { class: "panel-version" }, `version ${annotation.version}`);
    const save = h("button", { type: "submit", class: "button default save-button" }, "Save changes");
    let base = annotation;
    const form = h("form", { class: "annotate-panel", id: "annotate-panel", role: "dialog", "aria-label": "Edit annotation", tabindex: "-1" },
      h("p", { class: "panel-heading" }, `Annotation by ${annotation.author || "the machine"} · `, version),
      h("blockquote", { class: "panel-excerpt" }, excerpt(annotation.exact || annotationText(annotation), 160)),
      tags.quick,
      field("Tags", tags.element),
      field("Note", note),
      field("Status", status),
      error,
      h("div", { class: "panel-actions" },
        save,
        h("button", { type: "button", class: "button cancel-button", onclick: closePanel }, "Cancel")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.replaceChildren();
      save.disabled = true;
      const attempt = { tags: tags.value, note: note.value, status: status.value };
      const result = await api("PATCH", urls.annotation(base.id), { body: attempt, ifMatch: etag(base) });
      save.disabled = false;
      if (result.ok) {
        const fresh = fromServerAnnotation(result.data);
        state.annotations.set(fresh.id, fresh);
        closePanel();
        renderAll();
        notify(`Annotation ${fresh.id} saved (version ${fresh.version}).`, "success");
        flash(`a${fresh.id}`, { scroll: false });
        return;
      }
      if (result.status === 412) {
        const fresh = await refreshAnnotation(base.id);
        if (!fresh) {
          error.textContent = "Someone else deleted this annotation; your change was not saved.";
          return;
        }
        base = fresh;
        // The fields keep everything this editor chose (tags, status, note); theirs is shown beside,
        // and saving again applies this editor's version on top of theirs, knowingly.
        version.textContent = `version ${fresh.version}`;
        const theirTags = fresh.tags.map((slug) => (tagsBySlug.get(slug) || { path: slug }).path).join(", ") || "no tags";
        error.append(
          h("strong", {}, `Not saved: someone else changed this annotation (now version ${fresh.version}). `),
          "Your choices are kept in the fields; save again to apply them over theirs, or cancel.",
          h("span", { class: "their-version" }, "Their version: ", theirTags, ` · ${fresh.status} · note: `, h("q", {}, fresh.note || "(none)")),
        );
        notify(`Annotation ${fresh.id} was changed by someone else; the fresh version is shown and nothing was overwritten.`, "warning");
        return;
      }
      error.textContent = result.problem;
    });
    panelKeys(form, tags);
    form.applyTag = (slug) => tags.toggle(slug);
    const initial = { tags: [...annotation.tags].sort().join(" "), note: annotation.note, status: annotation.status };
    form.isDirty = () =>
      note.value !== initial.note || [...tags.value].sort().join(" ") !== initial.tags || status.value !== initial.status;
    panel = form;
    panelReturn = returnTo;
    place(form, anchor);
    note.focus();
  }

  async function refreshAnnotation(id) {
    const result = await api("GET", urls.annotation(id));
    if (result.status === 404) {
      state.annotations.delete(id);
      renderAll();
      return null;
    }
    if (!result.ok) {
      notify(`Could not fetch annotation ${id}: ${result.problem}`, "error");
      return null;
    }
    const fresh = fromServerAnnotation(result.data);
    state.annotations.set(fresh.id, fresh);
    renderAll();
    return fresh;
  }

  async function deleteAnnotation(annotation) {
    if (!window.confirm(`Delete annotation ${annotation.id}? This cannot be undone.`)) return;
    const result = await api("DELETE", urls.annotation(annotation.id), { ifMatch: etag(annotation) });
    closePopover();
    if (result.ok) {
      state.annotations.delete(annotation.id);
      renderAll();
      notify(`Annotation ${annotation.id} deleted.`, "success");
    } else if (result.status === 412) {
      const fresh = await refreshAnnotation(annotation.id);
      notify(
        fresh
          ? `Not deleted: someone else changed annotation ${annotation.id} (now version ${fresh.version}); look at their change first.`
          : `Annotation ${annotation.id} was already deleted by someone else.`,
        "warning",
      );
      if (fresh) flash(`a${fresh.id}`);
    } else {
      notify(result.problem, "error");
    }
  }

  function annotationText(annotation) {
    const range = annotationRange(annotation);
    if (range) return text.slice(range[0], range[1]);
    if (annotation.target === "article") return "the whole article";
    return annotation.exact || "(no longer placed in the text)";
  }

  function tagChips(slugs) {
    return h("span", { class: "tag-chips" },
      ...slugs.map((slug) => {
        const tag = tagsBySlug.get(slug) || { path: slug, colour: "#bdbdbd" };
        return h("span", { class: "tag-chip", style: `--tag: ${tag.colour}`, title: tag.description || slug }, tag.path);
      }));
  }

  function annotationCard(annotation, anchor) {
    const meta = [
      annotation.status,
      annotation.author ? `by ${annotation.author}` : `machine${annotation.rule ? `, rule ${annotation.rule}` : ""}`,
      annotation.target === "span" ? null : `whole ${annotation.target}`,
      `v${annotation.version}`,
    ].filter(Boolean).join(" · ");
    const card = h("div", { class: `card card-annotation${isSpam(annotation) ? " card-spam" : ""}`, dataset: { annotationId: annotation.id } },
      tagChips(annotation.tags),
      annotation.note ? h("p", { class: "card-note" }, annotation.note) : null,
      h("p", { class: "card-meta" }, meta),
    );
    const actions = h("div", { class: "card-actions" });
    if (mayChange(annotation)) actions.append(h("button", { type: "button", class: "button edit-button", onclick: () => openEditPanel(annotation, anchor) }, "Edit"));
    if (mayDelete(annotation)) actions.append(h("button", { type: "button", class: "button delete-button", onclick: () => deleteAnnotation(annotation) }, "Delete"));
    if (actions.childElementCount) card.append(actions);
    return card;
  }

  function quoteCard(quote, anchor) {
    const card = h("div", { class: "card card-quote", dataset: { quoteId: quote.id } },
      h("p", { class: "card-title" }, h("span", { class: "kind-badge" }, quote.kind), " ", quote.speaker || "unknown speaker",
        quote.speaker_kind && quote.speaker_kind !== "person" ? ` (${quote.speaker_kind})` : ""),
      quote.speaker_description ? h("p", { class: "card-meta" }, quote.speaker_description) : null,
      h("p", { class: "card-meta" }, [
        quote.speaker_mention ? `as “${quote.speaker_mention}”` : null,
        quote.cue ? `cue: ${quote.cue}` : null,
        quote.via ? `via ${quote.via}` : null,
        quote.verified ? "verified" : "not verified",
        quote.origin,
      ].filter(Boolean).join(" · ")),
    );
    if (can.add_annotation) {
      card.append(h("div", { class: "card-actions" },
        h("button", { type: "button", class: "button", onclick: () => openCreatePanel({ target: "quote", quote }, anchor) }, "Annotate this quote")));
    }
    return card;
  }

  function suggestionCard(suggestion) {
    return h("div", { class: "card card-suggestion", dataset: { start: suggestion.start, end: suggestion.end } },
      h("p", { class: "card-title" }, "Worth checking"),
      h("p", { class: "card-meta" }, `score ${suggestion.score.toFixed(1)} · ${suggestion.reasons.join(", ")}`),
      h("div", { class: "card-actions" },
        h("button", { type: "button", class: "button suggestion-claim", "aria-keyshortcuts": "c", onclick: () => { closePopover(); claimSuggestion(suggestion, { from: "text" }); } }, h("kbd", {}, "c"), " Make it a claim"),
        h("button", { type: "button", class: "button suggestion-dismiss", "aria-keyshortcuts": "x", onclick: () => { closePopover(); dismissSuggestion(suggestion, { from: "text" }); } }, h("kbd", {}, "x"), " Dismiss")));
  }

  function openPopover(segment) {
    closePopover();
    const covering = segmentItems.get(segment) || [];
    if (!covering.length) return;
    const cards = covering
      .slice()
      .reverse()
      .map((item) =>
        item.kind === "quote" ? quoteCard(item.record, segment)
        : item.kind === "suggestion" ? suggestionCard(item.record)
        : annotationCard(item.record, segment));
    popover = h("div", { class: "annotate-popover", id: "annotate-popover", role: "dialog", "aria-label": "Highlights here" },
      h("button", { type: "button", class: "popover-close", "aria-label": "Close", onclick: closePopover }, "×"),
      ...cards);
    place(popover, segment);
  }

  // --- Sidebar -------------------------------------------------------------------------------------

  function flash(key, { scroll = true } = {}) {
    const elements = elementsByKey.get(key);
    if (!elements || !elements.length) {
      if (key.startsWith("a")) {
        const annotation = state.annotations.get(Number(key.slice(1)));
        if (annotation && annotation.target === "article") {
          toolbar.classList.remove("flash");
          void toolbar.offsetWidth;
          toolbar.classList.add("flash");
          return;
        }
      }
      notify("That item has no place in the current text of the article.", "warning");
      return;
    }
    if (scroll) elements[0].scrollIntoView({ block: "center", behavior: "smooth" });
    for (const element of elements) {
      element.classList.remove("flash");
      void element.offsetWidth; // restart the animation
      element.classList.add("flash");
    }
  }

  const collapsed = new Set(); // sections the editor closed stay closed across re-renders

  function section(title, count, ...children) {
    const details = h("details", { class: "side-section", open: !collapsed.has(title) },
      h("summary", {}, h("h2", {}, `${title} (${count})`)), ...children);
    details.addEventListener("toggle", () => (details.open ? collapsed.delete(title) : collapsed.add(title)));
    return details;
  }

  // --- Quotes: kind, verification and speaker, corrected in place -------------------------------------

  /** "“Helena Vasquez”" or "unknown speaker": how messages name a quote's speaker. */
  function speakerPhrase(quote) {
    return quote.speaker ? `speaker “${quote.speaker}”` : "unknown speaker";
  }

  /** A speaker now used on this article: every quote of it offers the speaker from now on. */
  function adoptSpeaker(speaker) {
    state.speakers.set(speaker.id, speaker);
    state.articleSpeakers.add(speaker.id);
  }

  /** A speaker the page has not seen (someone else chose it): fetched once, for its description. */
  async function learnSpeaker(id) {
    if (id === null || id === undefined || state.speakers.has(id)) return;
    const result = await api("GET", urls.speaker(id));
    if (!result.ok) return;
    adoptSpeaker(result.data);
    for (const quote of state.quotes.values()) {
      if (quote.speaker_id === id) quote.speaker_description = result.data.description || "";
    }
  }

  /** A speaker the server refused is no longer offered, unless a quote here still has it. */
  function forgetSpeaker(id) {
    if ([...state.quotes.values()].some((quote) => quote.speaker_id === id)) return;
    state.articleSpeakers.delete(id);
    state.speakers.delete(id);
  }

  /** Why a speaker was refused, in words that say what to do instead. */
  function speakerProblem(quote, result, chosen) {
    const who = chosen ? `“${chosen.name}”` : "that speaker";
    const said = (field) => [].concat((result.data && result.data[field]) || []).join(" ");
    if (result.status === 400 && /another article/i.test(said("speaker"))) {
      return `Not saved: ${who} belongs to another article. Speakers kept to one article (anonymous sources, unnamed groups) cannot be given to a quote of this one; choose one of this article's speakers or a shared speaker. Quote ${quote.id} still has ${speakerPhrase(quote)}.`;
    }
    if (result.status === 400 && /does not exist/i.test(said("speaker_id"))) {
      return `Not saved: ${who} no longer exists (someone deleted it); choose another speaker. Quote ${quote.id} still has ${speakerPhrase(quote)}.`;
    }
    return `Quote ${quote.id} not corrected: ${result.problem}`;
  }

  /** The other quotes of the quotation ``id`` belongs to, linked by ``continues`` either way. */
  function chainOf(id) {
    const seen = new Set([id]);
    const todo = [id];
    while (todo.length) {
      const current = state.quotes.get(todo.pop());
      if (!current) continue;
      for (const other of state.quotes.values()) {
        const linked = other.continues === current.id || current.continues === other.id;
        if (linked && !seen.has(other.id)) {
          seen.add(other.id);
          todo.push(other.id);
        }
      }
    }
    seen.delete(id);
    return [...seen];
  }

  /** Reads the other quotes of ``id``'s quotation again; returns how many changed speaker. */
  async function refreshChain(id) {
    let changed = 0;
    for (const other of chainOf(id)) {
      const result = await api("GET", urls.quote(other));
      if (!result.ok) continue;
      const before = state.quotes.get(other);
      await learnSpeaker(result.data.speaker_id);
      const now = fromServerQuote(result.data);
      if (before && before.speaker_id !== now.speaker_id) changed += 1;
      state.quotes.set(other, now);
    }
    return changed;
  }

  /**
   * Reads again the clusters the quote and the rest of its quotation are in: a new speaker can make the
   * same words in other articles name different speakers, or the same one again.
   */
  async function refreshClusters(id) {
    const ids = new Set();
    for (const pk of [id, ...chainOf(id)]) {
      const quote = state.quotes.get(pk);
      if (quote && quote.cluster !== null && quote.cluster !== undefined && data.clusters[quote.cluster]) ids.add(quote.cluster);
    }
    for (const cluster of ids) {
      const result = await api("GET", urls.cluster(cluster));
      if (!result.ok) continue;
      const { size, articles, speakers_disagree: disagree } = result.data;
      data.clusters[cluster] = { ...data.clusters[cluster], size, articles, speakers_disagree: disagree };
    }
  }

  /**
   * Saves a correction of a quote (kind, verified or speaker) with the version the page shows; a change
   * someone else made first is never overwritten: their version is shown, with a note in the quote's item.
   */
  async function correctQuote(quote, changes, control, { speaker } = {}) {
    // The speaker box keeps the keyboard focus across the redraw; the kind select does not, or every
    // arrow key would save a kind.
    const refocus = control.classList.contains("speaker-input") && document.activeElement === control;
    control.disabled = true;
    const result = await api("PATCH", urls.quote(quote.id), { body: changes, ifMatch: etag(quote) });
    control.disabled = false;
    const settle = (notice) => {
      if (notice) state.quoteNotices.set(quote.id, notice);
      else state.quoteNotices.delete(quote.id);
      renderAll();
      if (refocus) {
        const again = sidebar.querySelector(`.side-quote[data-quote-id="${quote.id}"] .speaker-input`);
        if (again) again.focus();
      }
    };
    if (result.ok) {
      if (speaker) adoptSpeaker(speaker);
      await learnSpeaker(result.data.speaker_id);
      const fresh = fromServerQuote(result.data);
      state.quotes.set(quote.id, fresh);
      // The server gives a new speaker to the rest of a quotation that runs over several paragraphs:
      // those quotes are read again, so that the page shows their speaker and holds their new version.
      const followed = "speaker_id" in changes ? await refreshChain(quote.id) : 0;
      if ("speaker_id" in changes) await refreshClusters(quote.id);
      settle(null);
      const what = "speaker_id" in changes ? `: ${speakerPhrase(fresh)} now` : "";
      const rest = followed ? `, with the ${followed} quote${followed === 1 ? "" : "s"} that continue${followed === 1 ? "s" : ""} it` : "";
      notify(`Quote ${quote.id} corrected${what}${rest}.`, "success");
      return;
    }
    if (result.status === 412) {
      const fresh = await api("GET", urls.quote(quote.id));
      if (!fresh.ok) {
        const text = `Not saved: someone else changed quote ${quote.id}, and it could not be fetched again (${fresh.problem}). Reload the page.`;
        settle({ level: "error", text });
        notify(text, "error");
        return;
      }
      await learnSpeaker(fresh.data.speaker_id);
      const now = fromServerQuote(fresh.data);
      state.quotes.set(quote.id, now);
      // Their speaker may have made the same words elsewhere name different speakers, or the same again.
      if (now.speaker_id !== quote.speaker_id) await refreshClusters(quote.id);
      const yours = "speaker_id" in changes ? `, so ${speaker ? `“${speaker.name}”` : "unknown speaker"} was not applied` : "";
      const text =
        `Not saved: someone else corrected quote ${quote.id} first${yours}. Their version ${now.version} is shown ` +
        `(${speakerPhrase(now)}, ${now.kind}, ${now.verified ? "verified" : "not verified"}). ` +
        "Apply your correction again if it still holds.";
      settle({ level: "warning", text });
      notify(text, "warning");
      return;
    }
    const text = "speaker_id" in changes ? speakerProblem(quote, result, speaker) : `Quote ${quote.id} not corrected: ${result.problem}`;
    if (result.status === 400 && speaker) forgetSpeaker(speaker.id);
    settle({ level: "error", text });
    notify(text, "error");
  }

  const speakerIdOf = (speaker) => (speaker ? speaker.id : null);

  const quotesInAll = (count) => (count ? `${count} quote${count === 1 ? "" : "s"} in all` : "no quotes yet");

  const bySpeakerName = (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id - b.id;

  /**
   * A speaker chooser (a quote's speaker, a claim's claimant): a combobox whose list offers this
   * article's speakers and "unknown speaker" at once, and the shared speakers whose names hold what the
   * editor types (searched as they type); with `describeNew`, also what was typed as a new claimant
   * known by its description. Moving through the list saves nothing; Enter or a click on an option
   * hands it to `onChoose` ({speaker} or {described}).
   */
  function speakerPicker({ base, label: labelText, hint, listLabel, currentId, noticeId, disabled, describeNew = false, noneLabel = "unknown speaker", onChoose }) {
    const listId = `${base}-options`;
    const statusId = `${base}-status`;
    const input = h("input", {
      type: "text",
      id: `${base}-input`,
      class: "speaker-input",
      role: "combobox",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Type a name, or ↓",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": [statusId, noticeId].filter(Boolean).join(" "),
      disabled,
    });
    const label = h("label", { for: input.id, class: "speaker-field-label" },
      labelText, h("span", { class: "visually-hidden" }, hint));
    const list = h("div", { class: "speaker-options", id: listId, role: "listbox", "aria-label": listLabel, hidden: true });
    const status = h("p", { class: "speaker-status", id: statusId, role: "status" });
    let open = false;
    let active = -1;
    let choices = []; // {speaker (null: unknown), element}, in the order shown
    let search = { query: "", pending: false, results: null, skipped: 0, more: false, failure: "" };
    let timer = 0;
    let controller = null;

    const idOf = speakerIdOf;
    const keyOf = (choice) => (choice.described ? `new:${choice.described}` : idOf(choice.speaker));

    /** What was typed, offered as a claimant no speaker stands for yet. */
    function describedOption(words) {
      const index = choices.length;
      const element = h("div", {
        role: "option",
        id: `${base}-option-${index}`,
        class: "speaker-option speaker-option-new",
        "aria-selected": "false",
        onclick: () => choose(index),
      }, h("span", { class: "speaker-option-name" }, `“${words}”`),
      h("span", { class: "speaker-option-meta" }, "new claimant, described in these words · this article only"));
      choices.push({ speaker: null, described: words, element });
      return element;
    }

    function option(speaker, here) {
      const index = choices.length;
      const meta = [
        idOf(speaker) === currentId ? "current" : null,
        speaker && speaker.kind !== "person" ? speaker.kind : null,
        speaker && speaker.article !== null ? "this article only" : null,
        speaker && here ? `${here} quote${here === 1 ? "" : "s"} here` : null,
        speaker && !here && typeof speaker.quote_count === "number" ? quotesInAll(speaker.quote_count) : null,
        speaker && speaker.description ? excerpt(speaker.description, 60) : null,
      ].filter(Boolean).join(" · ");
      const element = h("div", {
        role: "option",
        id: `${base}-option-${index}`,
        class: `speaker-option${idOf(speaker) === currentId ? " current" : ""}`,
        "aria-selected": "false",
        title: speaker && speaker.description ? speaker.description : null,
        dataset: { speakerId: speaker ? speaker.id : "" },
        onclick: () => choose(index),
      }, h("span", { class: "speaker-option-name" }, speaker ? speaker.name : noneLabel),
      meta ? h("span", { class: "speaker-option-meta" }, meta) : null);
      choices.push({ speaker, element });
      return element;
    }

    function group(index, title, options) {
      const id = `${base}-group-${index}`;
      return h("div", { role: "group", class: "speaker-group", "aria-labelledby": id },
        h("div", { role: "presentation", class: "speaker-group-label", id }, title), ...options);
    }

    function draw() {
      const query = input.value.trim();
      const folded = query.toLocaleLowerCase();
      const keep = active >= 0 && choices[active] ? keyOf(choices[active]) : undefined;
      const quotesHere = new Map();
      for (const other of state.quotes.values()) quotesHere.set(other.speaker_id, (quotesHere.get(other.speaker_id) || 0) + 1);
      const onArticle = [...state.articleSpeakers]
        .map((id) => state.speakers.get(id))
        .filter((speaker) => speaker && (!folded || speaker.name.toLocaleLowerCase().includes(folded)))
        .sort(bySpeakerName);
      choices = [];
      const groups = [];
      const local = [];
      if (!folded || noneLabel.includes(folded)) local.push(option(null, 0));
      for (const speaker of onArticle) local.push(option(speaker, quotesHere.get(speaker.id) || 0));
      if (local.length) groups.push(group(0, "On this article", local));
      const found = search.results && search.query === query ? search.results.filter((s) => !state.articleSpeakers.has(s.id)) : [];
      if (found.length) groups.push(group(1, "Other shared speakers", found.map((speaker) => option(speaker, 0))));
      const taken = [...state.speakers.values()].some((speaker) => speaker.name.toLocaleLowerCase() === folded);
      if (describeNew && query && !taken) groups.push(group(2, "New claimant", [describedOption(query.replace(/\s+/g, " "))]));
      list.replaceChildren(...groups);

      const parts = [local.length ? `${local.length} on this article.` : `None on this article matches “${query}”.`];
      if (query.length < SPEAKER_MIN_QUERY) {
        parts.push(`Type ${query ? "more" : `${SPEAKER_MIN_QUERY} or more letters`} to search all shared speakers.`);
      } else if (search.pending) {
        parts.push("Searching shared speakers…");
      } else if (search.failure) {
        parts.push(`The search failed: ${search.failure}`);
      } else if (search.results && search.query === query) {
        if (found.length) parts.push(`${found.length} other shared speaker${found.length === 1 ? "" : "s"}.`);
        else parts.push(`No other shared speaker matches “${query}”.`);
        if (search.skipped) {
          const one = search.skipped === 1 && !search.more;
          const counted = search.more ? `${search.skipped} of the first ${SPEAKER_PAGE} matches belong` : `${search.skipped} ${one ? "match belongs" : "matches belong"}`;
          parts.push(`${counted} to other articles and cannot be used here.`);
        }
        if (search.more) parts.push(`Only the first ${SPEAKER_PAGE} are listed: type more of the name.`);
      }
      status.textContent = parts.join(" ");

      let index = keep === undefined ? -1 : choices.findIndex((choice) => keyOf(choice) === keep);
      if (index < 0 && query && choices.length) index = 0; // Enter takes the best match
      setActive(index);
    }

    function setActive(index) {
      active = index;
      choices.forEach((choice, at) => {
        choice.element.classList.toggle("active", at === active);
        choice.element.setAttribute("aria-selected", at === active ? "true" : "false");
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", choices[active].element.id);
        choices[active].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function openList() {
      if (open || input.disabled) return;
      open = true;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      draw();
    }

    function closeList() {
      cancelSearch();
      open = false;
      active = -1;
      choices = [];
      list.hidden = true;
      list.replaceChildren();
      status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function cancelSearch() {
      clearTimeout(timer);
      if (controller) controller.abort();
      controller = null;
    }

    function scheduleSearch() {
      cancelSearch();
      const query = input.value.trim();
      search = { query, pending: query.length >= SPEAKER_MIN_QUERY, results: null, skipped: 0, more: false, failure: "" };
      if (!search.pending) return;
      timer = setTimeout(() => runSearch(query), SPEAKER_DEBOUNCE_MS);
    }

    async function runSearch(query) {
      const mine = new AbortController();
      controller = mine;
      const result = await api("GET", urls.speakerSearch(query), { signal: mine.signal });
      // A newer search, or a closed list, makes this answer moot.
      if (mine.signal.aborted || !open || input.value.trim() !== query) return;
      controller = null;
      if (!result.ok) {
        search = { ...search, pending: false, failure: result.problem };
      } else {
        const results = result.data.results || [];
        // A speaker kept to another article cannot speak here: the service refuses it.
        const usable = results.filter((speaker) => speaker.article === null || speaker.article === data.article.id);
        for (const speaker of usable) if (!state.speakers.has(speaker.id)) state.speakers.set(speaker.id, speaker);
        search = { query, pending: false, results: usable, skipped: results.length - usable.length, more: Boolean(result.data.next), failure: "" };
      }
      draw();
    }

    function choose(index) {
      const choice = choices[index];
      if (!choice) return;
      closeList();
      input.value = "";
      onChoose(choice.described ? { described: choice.described } : { speaker: choice.speaker }, input);
    }

    input.addEventListener("input", () => {
      scheduleSearch();
      active = -1;
      if (open) draw();
      else openList();
    });
    input.addEventListener("click", openList);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          openList();
          if (event.altKey) return;
        }
        if (!choices.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : choices.length - 1) : (active + step + choices.length) % choices.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!open) openList();
        else if (active >= 0) choose(active);
      } else if (event.key === "Escape") {
        if (open) {
          event.stopPropagation();
          closeList();
        } else {
          input.value = "";
        }
      }
    });
    // Typed letters that were not chosen are not a speaker: leaving the box forgets them.
    input.addEventListener("blur", () => {
      closeList();
      input.value = "";
    });
    // A click in the list (an option, a heading, the scroll bar) keeps the focus in the box.
    list.addEventListener("mousedown", (event) => event.preventDefault());

    return h("div", { class: "speaker-picker" }, h("div", { class: "speaker-row" }, label, input), list, status);
  }

  function quoteItem(quote) {
    const key = `q${quote.id}`;
    const notice = state.quoteNotices.get(quote.id);
    const noticeId = notice ? `quote-${quote.id}-notice` : null;
    const kind = h("select", { class: "quote-kind", "aria-label": `Kind of quote ${quote.id}`, disabled: !can.change_quote },
      ...data.choices.quote_kind.map((value) => h("option", { value, selected: value === quote.kind }, value)));
    kind.addEventListener("change", () => correctQuote(quote, { kind: kind.value }, kind));
    const verified = h("input", { type: "checkbox", class: "quote-verified", checked: quote.verified, disabled: !can.change_quote });
    verified.addEventListener("change", () => correctQuote(quote, { verified: verified.checked }, verified));
    return h("li", { class: "side-item side-quote", dataset: { key, quoteId: quote.id } },
      h("button", { type: "button", class: "side-jump", onclick: () => flash(key) },
        h("span", { class: "side-speaker" }, quote.speaker || "unknown speaker"),
        h("span", { class: "side-excerpt" }, quote.us === undefined ? `(orphaned) ${quote.exact || ""}` : excerpt(text.slice(quote.us, quote.ue), 90))),
      h("div", { class: "side-controls" }, kind, h("label", { class: "side-check" }, verified, " verified")),
      speakerPicker({
        base: `quote-${quote.id}-speaker`,
        label: "Speaker",
        hint: ` of quote ${quote.id}, now ${quote.speaker || "unknown"}`,
        listLabel: `Speakers for quote ${quote.id}`,
        currentId: quote.speaker_id ?? null,
        noticeId,
        disabled: !can.change_quote,
        onChoose: ({ speaker }, input) => {
          if (speakerIdOf(speaker) === (quote.speaker_id ?? null)) {
            notify(`Quote ${quote.id} already has ${speakerPhrase(quote)}; nothing to save.`, "info", { sticky: false });
            return;
          }
          correctQuote(quote, { speaker_id: speakerIdOf(speaker) }, input, { speaker });
        },
      }),
      clusterLine(quote),
      notice
        ? h("p", { class: `quote-notice quote-notice-${notice.level}`, id: noticeId },
            notice.text,
            h("button", {
              type: "button",
              class: "message-close",
              "aria-label": "Dismiss",
              onclick: () => {
                state.quoteNotices.delete(quote.id);
                renderSidebar();
              },
            }, "×"))
        : null,
    );
  }

  function quoteSection(quotes) {
    const offerNew = can.change_quote && can.add_speaker && quotes.length;
    return section("Quotes", quotes.length,
      offerNew
        ? h("p", { class: "side-explain" }, "A speaker not found? ",
            h("a", { href: data.admin.speaker_add, target: "_blank", rel: "noopener", class: "speaker-add-link" },
              "Create it", h("span", { class: "visually-hidden" }, " (opens in a new tab)")),
            ", then type its name here.")
        : null,
      h("ul", { class: "side-list" }, ...quotes.map(quoteItem)));
  }

  function annotationItem(annotation) {
    const key = `a${annotation.id}`;
    return h("li", { class: `side-item side-annotation${isSpam(annotation) ? " side-spam" : ""}`, dataset: { key, annotationId: annotation.id } },
      h("button", { type: "button", class: "side-jump", onclick: () => flash(key) },
        tagChips(annotation.tags),
        h("span", { class: "side-excerpt" }, excerpt(annotationText(annotation), 90)),
        annotation.note ? h("span", { class: "side-note" }, excerpt(annotation.note, 120)) : null,
        h("span", { class: "side-meta" }, `${annotation.status} · ${annotation.author || "machine"}${annotation.anchor === "orphaned" ? " · orphaned" : ""}`)),
      mayChange(annotation) || mayDelete(annotation)
        ? h("div", { class: "side-controls" },
            mayChange(annotation) ? h("button", { type: "button", class: "button edit-button", onclick: (event) => openEditPanel(annotation, event.currentTarget) }, "Edit") : null,
            mayDelete(annotation) ? h("button", { type: "button", class: "button delete-button", onclick: () => deleteAnnotation(annotation) }, "Delete") : null)
        : null,
    );
  }

  // --- Orphans: annotations to place again after a new revision --------------------------------------

  let placeable = null; // the last passage selected in the article, in units, for "Place here"

  function placeHintText() {
    if (placing) return `Select the passage for annotation ${placing[0].id} in the article (Esc stops).`;
    if (!placeable) return "Select the passage in the article, then click “Place here” on its annotation.";
    return `Selected: “${excerpt(text.slice(placeable.us, placeable.ue), 60)}”`;
  }

  function renderPlaceHint() {
    for (const hint of sidebar.querySelectorAll(".orphan-hint")) {
      hint.replaceChildren(placeHintText());
      if (placeable && !placing && can.add_annotation) {
        const span = placeable;
        hint.append(" ", h("button", {
          type: "button",
          class: "button annotate-instead-button",
          onmousedown: (event) => event.preventDefault(),
          onclick: (event) => openCreatePanel({ target: "span", us: span.us, ue: span.ue }, event.currentTarget),
        }, "Annotate it instead"));
      }
    }
  }

  function orphansToPlace() {
    return [...state.annotations.values()].some((annotation) => isOrphan(annotation) && mayChange(annotation));
  }

  function stopPlacing() {
    placing = null;
    sidebar.classList.remove("placing");
    renderPlaceHint();
  }

  /** Puts an orphan on the selected passage: new offsets through the API, refused if someone else got there first. */
  async function placeOrphan(annotation, button) {
    const span = selectionSpan() || placeable;
    if (!span) {
      // No passage yet: the next selection in the article places this one, with no panel in between.
      placing = [annotation, button];
      sidebar.classList.add("placing");
      renderPlaceHint();
      notify(`Now select the passage for annotation ${annotation.id} in the article (Esc stops).`, "info");
      return;
    }
    if (placing) stopPlacing();
    const body = { start: toPoints(text, span.us), end: toPoints(text, span.ue) };
    if (annotation.target !== "span") body.target = "span"; // an orphaned paragraph or quote becomes a passage
    button.disabled = true;
    const result = await api("PATCH", urls.annotation(annotation.id), { body, ifMatch: etag(annotation) });
    button.disabled = false;
    if (result.ok) {
      const fresh = fromServerAnnotation(result.data);
      state.annotations.set(fresh.id, fresh);
      placeable = null;
      window.getSelection().removeAllRanges();
      closePanel();
      closePopover();
      renderAll();
      notify(`Annotation ${fresh.id} placed (version ${fresh.version}).`, "success");
      flash(`a${fresh.id}`, { scroll: false });
      return;
    }
    if (result.status === 412) {
      const fresh = await refreshAnnotation(annotation.id);
      notify(
        fresh
          ? `Not placed: someone else changed annotation ${annotation.id} (now version ${fresh.version}); their version is shown and nothing was overwritten.`
          : `Not placed: someone else deleted annotation ${annotation.id}.`,
        "warning",
      );
      return;
    }
    notify(result.problem, "error");
  }

  function orphanItem(annotation) {
    const meta = [
      annotation.status,
      annotation.author ? `by ${annotation.author}` : `machine${annotation.rule ? `, rule ${annotation.rule}` : ""}`,
      annotation.target === "span" ? null : `was on a ${annotation.target}`,
      `v${annotation.version}`,
    ].filter(Boolean).join(" · ");
    return h("li", { class: "side-item side-orphan", dataset: { annotationId: annotation.id } },
      tagChips(annotation.tags),
      h("blockquote", { class: "orphan-exact", title: "The words it was on, no longer in the text" }, annotation.exact || "(no words kept)"),
      annotation.note ? h("span", { class: "side-note" }, excerpt(annotation.note, 160)) : null,
      h("span", { class: "side-meta" }, meta),
      mayChange(annotation) || mayDelete(annotation)
        ? h("div", { class: "side-controls" },
            mayChange(annotation)
              ? h("button", {
                  type: "button",
                  class: "button default place-button",
                  title: "Put this annotation on the passage selected in the article",
                  // Keep the selection in the article: the click must not take it away.
                  onmousedown: (event) => event.preventDefault(),
                  onclick: (event) => placeOrphan(annotation, event.currentTarget),
                }, "Place here")
              : null,
            mayDelete(annotation) ? h("button", { type: "button", class: "button delete-button", onclick: () => deleteAnnotation(annotation) }, "Delete") : null)
        : null,
    );
  }

  function orphanSection(orphans) {
    const placing = orphans.some(mayChange);
    return section("Orphans", orphans.length,
      h("p", { class: "side-explain" }, "A new revision of the article no longer has these words."),
      placing ? h("p", { class: "orphan-hint", role: "status" }, placeHintText()) : null,
      h("ul", { class: "side-list orphan-list" }, ...orphans.map(orphanItem)));
  }

  // --- Claims: the claimant, and the fact-check written on the page ---------------------------------

  /** Reads the article's claims again, with what this user may now do with each (the server's rules). */
  async function reloadClaims() {
    const result = await api("GET", data.api.page_claims);
    if (!result.ok) {
      notify(`Could not read the claims again: ${result.problem}`, "error");
      return false;
    }
    state.claims = new Map(result.data.claims.map((claim) => [claim.id, claim]));
    return true;
  }

  function claimNotice(claim, notice) {
    if (notice) state.claimNotices.set(claim.id, notice);
    else state.claimNotices.delete(claim.id);
  }

  /** Gives a claim a claimant: a speaker, nobody, or a new one described in words. A claim someone else
   * changed first keeps their version; the editor's choice is said back to them, never forced. */
  async function saveClaimant(claim, choice, control) {
    const chosen = choice.described ? `“${choice.described}”` : choice.speaker ? `“${choice.speaker.name}”` : "no claimant";
    if (!choice.described && speakerIdOf(choice.speaker) === (claim.claimant_id ?? null)) {
      notify(`Claim ${claim.id} already has ${chosen}; nothing to save.`, "info", { sticky: false });
      return;
    }
    const body = choice.described ? { new_claimant: choice.described } : { claimant: speakerIdOf(choice.speaker) };
    control.disabled = true;
    const result = await api("PATCH", urls.claim(claim.id), { body, ifMatch: etag(claim) });
    control.disabled = false;
    if (result.ok) {
      if (choice.speaker) adoptSpeaker(choice.speaker);
      else if (choice.described && result.data.claimant_id !== null) {
        adoptSpeaker({ id: result.data.claimant_id, name: result.data.claimant, kind: "anonymous", description: choice.described, article: data.article.id });
      }
      await reloadClaims();
      claimNotice(claim, null);
      renderSidebar();
      notify(`Claim ${claim.id}: claimed by ${result.data.claimant ? `“${result.data.claimant}”` : "nobody"} now.`, "success");
      return;
    }
    if (result.status === 412) {
      await reloadClaims();
      const fresh = state.claims.get(claim.id);
      const text = fresh
        ? `Not saved: someone else changed claim ${claim.id} first (version ${fresh.version}, claimed by ${fresh.claimant ? `“${fresh.claimant}”` : "nobody"}). Your choice, ${chosen}, was not applied; choose it again if it still holds.`
        : `Not saved: someone else withdrew claim ${claim.id}. Your choice was ${chosen}.`;
      if (fresh) claimNotice(fresh, { level: "warning", text });
      renderSidebar();
      notify(text, "warning");
      return;
    }
    const text = `Claim ${claim.id}: ${chosen} not saved: ${result.problem}`;
    claimNotice(claim, { level: "error", text });
    renderSidebar();
    notify(text, "error");
  }

  /** Rows of evidence (url, title, publisher, accessed), added and removed one by one. */
  function evidenceEditor(items, idBase) {
    const rows = h("ol", { class: "evidence-rows" });
    let made = 0;

    function renumber() {
      [...rows.children].forEach((row, index) => {
        row.querySelector(".evidence-number").textContent = `Source ${index + 1}`;
        row.querySelector(".evidence-remove").setAttribute("aria-label", `Remove source ${index + 1}`);
      });
      empty.hidden = rows.childElementCount > 0;
    }

    function input(kind, labelText, value, attributes = {}) {
      const id = `${idBase}-${made}-${kind}`;
      return h("span", { class: `evidence-field evidence-field-${kind}` },
        h("label", { for: id }, labelText),
        h("input", { id, class: `evidence-${kind}`, value: value || "", autocomplete: "off", ...attributes }));
    }

    function addRow(item = {}) {
      made += 1;
      const row = h("li", { class: "evidence-row" },
        h("span", { class: "evidence-number" }),
        input("url", "URL", item.url, { type: "url", placeholder: "https://…", required: true }),
        input("title", "Title", item.title, { type: "text" }),
        input("publisher", "Publisher", item.publisher, { type: "text" }),
        input("accessed", "Accessed", item.accessed, { type: "date" }),
        h("button", {
          type: "button",
          class: "button evidence-remove",
          onclick: () => {
            const next = row.nextElementSibling || row.previousElementSibling;
            row.remove();
            renumber();
            (next ? next.querySelector(".evidence-url") : add).focus();
          },
        }, "Remove"));
      rows.append(row);
      renumber();
      return row;
    }

    const empty = h("p", { class: "evidence-empty" }, "No evidence yet.");
    const add = h("button", { type: "button", class: "button evidence-add", onclick: () => addRow().querySelector(".evidence-url").focus() }, "Add a source");
    for (const item of items || []) addRow(item);
    renumber();

    const read = () =>
      [...rows.children]
        .map((row) => Object.fromEntries(["url", "title", "publisher", "accessed"].map((kind) => [kind, row.querySelector(`.evidence-${kind}`).value.trim()])))
        .filter((item) => Object.values(item).some(Boolean));
    return {
      element: h("fieldset", { class: "evidence-editor" }, h("legend", {}, "Evidence"), empty, rows, add),
      get value() {
        return read();
      },
      set value(list) {
        rows.replaceChildren();
        for (const item of list) addRow(item);
        renumber();
      },
    };
  }

  const verdictLabel = (verdict) => verdict.replace(/_/g, " ");

  function evidenceSummary(items) {
    if (!items || !items.length) return "no evidence";
    return items.map((item) => [item.title || item.url, item.publisher, item.accessed].filter(Boolean).join(", ")).join("; ");
  }

  /**
   * The panel to write a claim's fact-check, or change one this editor may change (their draft, one
   * sent back to them): verdict, summary and evidence. A change someone else made first is refused;
   * the fields keep everything this editor chose, and theirs is shown beside.
   */
  function openFactCheckPanel(claim, anchor) {
    const returnTo = rememberFocus();
    closePanel({ restore: false });
    closePopover();
    let base = claim.fact_check;
    const idBase = `factcheck-${claim.id}`;
    const verdict = h("select", { class: "verdict-select", id: `${idBase}-verdict` },
      ...data.choices.verdict.map((value) => h("option", { value, selected: base ? value === base.working.verdict : false }, verdictLabel(value))));
    const rationale = h("textarea", { class: "rationale-input", id: `${idBase}-rationale`, rows: 4, placeholder: "What the evidence shows, in a few sentences" });
    rationale.value = base ? base.working.rationale : "";
    const evidence = evidenceEditor(base ? base.working.evidence : [], idBase);
    const error = h("div", { class: "panel-error", role: "alert" });
    const version = h("span", { class: "panel-version" }, base ? `version ${base.version}` : "new");
    const save = h("button", { type: "submit", class: "button default save-button factcheck-save" }, base ? "Save fact-check" : "Write fact-check");
    const form = h("form", { class: "annotate-panel factcheck-panel", id: "annotate-panel", role: "dialog", "aria-label": "Fact-check", tabindex: "-1", novalidate: true },
      h("p", { class: "panel-heading" }, base ? `Fact-check by ${base.author} · ${base.status.replace("_", " ")} · ` : "New fact-check · ", version),
      h("blockquote", { class: "panel-excerpt" }, excerpt(claim.text, 200)),
      base && base.review_comment && base.status === "draft" ? h("p", { class: "panel-sent-back" }, `Sent back: ${base.review_comment}`) : null,
      h("p", { class: "panel-keys" }, "Ctrl+Enter saves · Esc cancels"),
      h("div", { class: "panel-field" }, h("label", { class: "panel-label", for: verdict.id }, "Verdict"), verdict),
      h("div", { class: "panel-field" }, h("label", { class: "panel-label", for: rationale.id }, "Summary"), rationale),
      evidence.element,
      error,
      h("div", { class: "panel-actions" },
        save,
        h("button", { type: "button", class: "button cancel-button", onclick: closePanel }, "Cancel")),
    );
    const initial = JSON.stringify([verdict.value, rationale.value, evidence.value]);
    form.isDirty = () => JSON.stringify([verdict.value, rationale.value, evidence.value]) !== initial;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.replaceChildren();
      const attempt = { verdict: verdict.value, rationale: rationale.value, evidence: evidence.value };
      const missing = attempt.evidence.findIndex((item) => !item.url);
      if (missing >= 0) {
        error.textContent = `Source ${missing + 1} needs its URL (or remove the row).`;
        return;
      }
      save.disabled = true;
      const result = base
        ? await api("PATCH", urls.factCheck(base.id), { body: attempt, ifMatch: etag(base) })
        : await api("POST", data.api.fact_checks, { body: { claim: claim.id, ...attempt } });
      save.disabled = false;
      if (result.ok) {
        await reloadClaims();
        claimNotice(claim, null);
        closePanel();
        renderSidebar();
        notify(`Fact-check ${result.data.id} saved (${verdictLabel(result.data.verdict)}, version ${result.data.version}).`, "success");
        return;
      }
      if (result.status === 412 && base) {
        await reloadClaims();
        const fresh = (state.claims.get(claim.id) || {}).fact_check;
        renderSidebar();
        if (!fresh) {
          error.textContent = "Not saved: this fact-check is gone (someone deleted it or its claim). Your text is still in the fields.";
          return;
        }
        base = fresh;
        version.textContent = `version ${fresh.version}`;
        // The fields keep this editor's verdict, summary and evidence; saving again applies them over theirs.
        error.append(
          h("strong", {}, `Not saved: someone else changed this fact-check (now version ${fresh.version}). `),
          "Your verdict, summary and evidence are kept in the fields; save again to apply them over theirs, or cancel.",
          h("span", { class: "their-version" }, "Their version: ", verdictLabel(fresh.working.verdict), " · summary: ", h("q", {}, fresh.working.rationale || "(none)"), ` · evidence: ${evidenceSummary(fresh.working.evidence)}`),
        );
        notify(`Fact-check ${fresh.id} was changed by someone else; nothing was overwritten.`, "warning");
        return;
      }
      error.textContent = result.problem;
    });
    panelKeys(form, null);
    panel = form;
    panelReturn = returnTo;
    place(form, anchor);
    verdict.focus();
  }

  /** Submit, approve or send back: each step names the version the editor read. */
  async function factCheckStep(claim, method, url, body, button) {
    button.disabled = true;
    const fact = claim.fact_check;
    const result = await api(method, url, { body, ifMatch: fact ? etag(fact) : undefined });
    button.disabled = false;
    if (result.ok) {
      await reloadClaims();
      renderSidebar();
      notify(`Fact-check ${result.data.id}: ${result.data.status.replace("_", " ")}.`, "success");
      return;
    }
    if (result.status === 412 && fact) {
      await reloadClaims();
      renderSidebar();
      notify(`Not saved: someone else changed fact-check ${fact.id} first; its fresh state is shown.`, "warning");
      return;
    }
    notify(result.problem, "error");
  }

  function factCheckControls(claim) {
    const fact = claim.fact_check;
    const controls = h("div", { class: "side-controls factcheck-controls" });
    const open = (label, className) =>
      h("button", { type: "button", class: `button ${className}`, onclick: (event) => openFactCheckPanel(claim, event.currentTarget) }, label);
    if (!fact) {
      if (can.add_factcheck) controls.append(open("Write fact-check", "factcheck-create"));
      return controls.childElementCount ? controls : null;
    }
    if (fact.may.change) controls.append(open("Edit fact-check", "factcheck-edit"));
    if (fact.may.submit) {
      const submit = h("button", { type: "button", class: "button factcheck-submit" }, "Submit for review");
      submit.addEventListener("click", () => factCheckStep(claim, "POST", `${urls.factCheck(fact.id)}submit/`, undefined, submit));
      controls.append(submit);
    }
    if (fact.may.review) {
      const publish = h("button", { type: "button", class: "button default factcheck-publish" }, "Approve and publish");
      publish.addEventListener("click", () => factCheckStep(claim, "POST", `${urls.factCheck(fact.id)}publish/`, undefined, publish));
      const comment = h("input", { type: "text", class: "sendback-input", placeholder: "What needs to change", "aria-label": "Review comment" });
      const sendBack = h("button", { type: "button", class: "button factcheck-sendback" }, "Send back");
      sendBack.addEventListener("click", () => factCheckStep(claim, "POST", `${urls.factCheck(fact.id)}send-back/`, { comment: comment.value }, sendBack));
      controls.append(publish, comment, sendBack);
    }
    return controls.childElementCount ? controls : null;
  }

  function claimItem(claim) {
    const fact = claim.fact_check;
    const key = claim.annotation ? `a${claim.annotation}` : null;
    const notice = state.claimNotices.get(claim.id);
    const noticeId = notice ? `claim-${claim.id}-notice` : null;
    return h("li", { class: "side-item side-claim", dataset: { claimId: claim.id } },
      h("button", { type: "button", class: "side-jump", disabled: !key, onclick: () => key && flash(key) },
        h("span", { class: "side-excerpt" }, excerpt(claim.text, 120)),
        h("span", { class: "side-meta claimant-name" }, claim.claimant ? `claimed by ${claim.claimant}` : "claimant not set")),
      claim.may_change
        ? speakerPicker({
            base: `claim-${claim.id}-claimant`,
            label: "Claimant",
            hint: ` of claim ${claim.id}, now ${claim.claimant || "not set"}`,
            listLabel: `Claimants for claim ${claim.id}`,
            currentId: claim.claimant_id ?? null,
            noticeId,
            disabled: false,
            describeNew: can.describe_claimant,
            noneLabel: "no claimant",
            onChoose: (choice, input) => saveClaimant(claim, choice, input),
          })
        : null,
      notice
        ? h("p", { class: `quote-notice quote-notice-${notice.level}`, id: noticeId }, notice.text,
            h("button", { type: "button", class: "message-close", "aria-label": "Dismiss", onclick: () => {
              claimNotice(claim, null);
              renderSidebar();
            } }, "×"))
        : null,
      h("p", { class: "factcheck-state" },
        fact
          ? [
              h("span", { class: `verdict verdict-${fact.working.verdict}` }, verdictLabel(fact.working.verdict)),
              ` · ${fact.status.replace("_", " ")}${fact.revision ? ` (revision ${fact.revision.status.replace("_", " ")})` : ""} · by ${fact.author} · v${fact.version}`,
              fact.reviewer ? ` · reviewed by ${fact.reviewer}` : "",
              fact.working.rationale ? h("span", { class: "side-note factcheck-summary" }, excerpt(fact.working.rationale, 160)) : null,
              fact.working.evidence.length
                ? h("ul", { class: "evidence-list" }, ...fact.working.evidence.map((item) =>
                    h("li", {}, h("a", { href: safeUrl(item.url), target: "_blank", rel: "noopener noreferrer" }, item.title || item.url),
                      [item.publisher, item.accessed ? `accessed ${item.accessed}` : null].filter(Boolean).length
                        ? ` — ${[item.publisher, item.accessed ? `accessed ${item.accessed}` : null].filter(Boolean).join(", ")}`
                        : "")))
                : null,
              fact.review_comment && fact.status === "draft" ? h("span", { class: "side-note" }, `Sent back: ${fact.review_comment}`) : null,
            ]
          : "no fact-check yet"),
      factCheckControls(claim),
    );
  }

  /** Only web links become links: a stored "javascript:" URL stays text. */
  function safeUrl(url) {
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  // --- Where else a quote appears (its cluster) -----------------------------------------------------

  function appearanceDate(iso) {
    return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  /** "first on 2 March 2024 (Xinhua)"; an article without a publication date is first only when no article
   * of the cluster has one, by when it was ingested: "first ingested on 5 May 2026, undated (Xinhua)". */
  function firstAppearance(first) {
    const source = first.source ? ` (${first.source})` : "";
    if (first.published_at) return `first on ${appearanceDate(first.published_at)}${source}`;
    return `first ingested on ${appearanceDate(first.ingested_at)}, undated${source}`;
  }

  /** "Also in 3 other articles, first on 2 March 2024 (Xinhua)", the first appearance a link to it. */
  function clusterLine(quote) {
    // A quote names its cluster by id, as the API's do; what the page knows of it is in data.clusters.
    const cluster = quote.cluster === null || quote.cluster === undefined ? null : data.clusters[quote.cluster];
    if (!cluster) return null;
    const others = cluster.articles - 1;
    const first = cluster.first;
    const here = first && first.article === data.article.id;
    const where = others > 0 ? `Also in ${others} other article${others === 1 ? "" : "s"}` : `Quoted ${cluster.size} times in this article`;
    const when = first ? firstAppearance(first) : null;
    return h("p", { class: "cluster-line", dataset: { clusterId: cluster.id } },
      where,
      when ? ", " : "",
      when && !here ? h("a", { href: first.annotate, class: "cluster-first", title: first.title || first.url }, when) : when,
      here && others > 0 ? " — here" : "",
      cluster.speakers_disagree ? h("span", { class: "cluster-disagree" }, " · the articles name different speakers") : null);
  }

  // --- Check-worthy sentences, suggested by the machine ----------------------------------------------

  /** Selects a suggested sentence in the article and brings it into view (the focus stays in the list). */
  function showSuggestion(suggestion) {
    const [startNode, startOffset] = domPoint(suggestion.us, false);
    const [endNode, endOffset] = domPoint(suggestion.ue, true);
    window.getSelection().setBaseAndExtent(startNode, startOffset, endNode, endOffset);
    placeable = { us: suggestion.us, ue: suggestion.ue };
    if (startNode.parentElement) startNode.parentElement.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function focusSuggestionAt(index) {
    const items = sidebar.querySelectorAll(".side-suggestion .suggestion-jump");
    const next = items[Math.min(index, items.length - 1)];
    if (next) next.focus();
  }

  /** One key: the sentence becomes a span annotation tagged "claim" (a note, without that tag) and a claim. */
  /** After a suggestion is acted on: the list's next one keeps the focus, or the text keeps it. */
  function focusAfterSuggestion(index, from) {
    if (from === "text") article.focus({ preventScroll: true });
    else focusSuggestionAt(index);
  }

  async function claimSuggestion(suggestion, { from = "list" } = {}) {
    if (!can.add_annotation || !can.add_claim) {
      notify("You may not mark claims: that needs the Editor role.", "warning");
      return;
    }
    const index = state.suggestions.indexOf(suggestion);
    const tag = tagsBySlug.has("claim") ? ["claim"] : [];
    const sink = { textContent: "" };
    const ok = await saveNew(
      { target: "span", us: suggestion.us, ue: suggestion.ue },
      { tags: tag, note: tag.length ? "" : `Check-worthy: ${suggestion.reasons.join(", ")}`, status: "draft", claim: true },
      sink,
    );
    if (!ok) {
      notify(`Not made a claim: ${sink.textContent}`, "error");
      return;
    }
    state.suggestions = state.suggestions.filter((other) => other !== suggestion);
    renderArticle();
    renderSidebar();
    focusAfterSuggestion(index, from);
  }

  /** The other key: not worth checking; the server keeps that, so it is not suggested again. */
  async function dismissSuggestion(suggestion, { from = "list" } = {}) {
    if (!can.dismiss_suggestion) {
      notify("You may not dismiss suggestions: that needs the Editor role.", "warning");
      return;
    }
    const index = state.suggestions.indexOf(suggestion);
    const result = await api("POST", data.api.dismiss, { body: { start: suggestion.start, end: suggestion.end } });
    if (!result.ok) {
      notify(`Not dismissed: ${result.problem}`, "error");
      return;
    }
    state.suggestions = state.suggestions.filter((other) => other !== suggestion);
    if (kb.active === suggestionKey(suggestion)) kb.active = null;
    renderArticle();
    renderSidebar();
    notify(`Dismissed “${excerpt(suggestion.text, 60)}”: it is not suggested again.`, "success");
    focusAfterSuggestion(index, from);
  }

  function suggestionItem(suggestion) {
    const item = h("li", { class: "side-item side-suggestion", dataset: { start: suggestion.start, end: suggestion.end } },
      h("button", { type: "button", class: "side-jump suggestion-jump", "aria-keyshortcuts": "c x", onclick: () => showSuggestion(suggestion) },
        h("span", { class: "side-excerpt" }, excerpt(suggestion.text, 160)),
        h("span", { class: "side-meta" }, `score ${suggestion.score.toFixed(1)} · ${suggestion.reasons.join(", ")}`)),
      h("div", { class: "side-controls" },
        h("button", { type: "button", class: "button suggestion-claim", "aria-keyshortcuts": "c", onclick: () => claimSuggestion(suggestion) }, h("kbd", {}, "c"), " Make it a claim"),
        h("button", { type: "button", class: "button suggestion-dismiss", "aria-keyshortcuts": "x", onclick: () => dismissSuggestion(suggestion) }, h("kbd", {}, "x"), " Dismiss")));
    item.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || !(event.target instanceof HTMLButtonElement)) return;
      const key = event.key.toLowerCase();
      if (key === "c") {
        event.preventDefault();
        claimSuggestion(suggestion);
      } else if (key === "x") {
        event.preventDefault();
        dismissSuggestion(suggestion);
      }
    });
    return item;
  }

  function suggestionSection() {
    if (!state.suggestions.length) return null;
    return section("Worth checking", state.suggestions.length,
      h("p", { class: "side-explain" }, "Sentences the machine ranks as checkable. On one: C makes it a claim, X dismisses it."),
      h("ul", { class: "side-list suggestion-list" }, ...state.suggestions.map(suggestionItem)));
  }

  function renderSidebar() {
    const quotes = [...state.quotes.values()].sort((a, b) => (a.us ?? Infinity) - (b.us ?? Infinity) || a.id - b.id);
    const annotations = [...state.annotations.values()].filter((a) => !isOrphan(a)).sort(
      (a, b) => ((annotationRange(a) || [-1])[0] - (annotationRange(b) || [-1])[0]) || a.id - b.id,
    );
    const orphans = [...state.annotations.values()].filter(isOrphan).sort((a, b) => a.id - b.id);
    const claims = [...state.claims.values()].sort((a, b) => a.id - b.id);
    sidebar.replaceChildren(
      ...[
        // Orphans first when there are any: they wait for an editor.
        orphans.length ? orphanSection(orphans) : null,
        section("Annotations", annotations.length, h("ul", { class: "side-list" }, ...annotations.map(annotationItem))),
        section("Claims", claims.length, h("ul", { class: "side-list" }, ...claims.map(claimItem))),
        suggestionSection(),
        quoteSection(quotes),
      ].filter(Boolean),
    );
  }

  /** Every tag of the vocabulary with its colour and key, grouped under its parent; a click applies it
   * (to the open panel, or to the passage selected). */
  function renderLabelBar() {
    const bar = document.getElementById("annotate-labels");
    if (!bar || bar.childElementCount) return;
    const roots = data.tags.filter((tag) => !tag.parent || !tagsBySlug.has(tag.parent));
    const label = (tag) =>
      h("button", {
        type: "button",
        class: `label-chip${tag.slug === data.spam_tag ? " label-spam" : ""}`,
        dataset: { slug: tag.slug },
        style: `--tag: ${tag.colour}`,
        title: `${tag.path}${tag.description ? ` — ${tag.description}` : ""}${tag.shortcut ? ` (key ${tag.shortcut} in the panel)` : ""}`,
        "aria-keyshortcuts": tag.shortcut || undefined,
        onclick: () => applyLabel(tag),
      }, h("span", { class: "swatch", "aria-hidden": "true" }), tag.name, tag.shortcut ? h("kbd", {}, tag.shortcut) : null);
    bar.append(
      ...roots.map((root) =>
        h("div", { class: "label-group", role: "group", "aria-label": root.name },
          label(root),
          ...data.tags.filter((tag) => tag.parent === root.slug).map(label))),
    );
  }

  function applyLabel(tag) {
    if (panel && panel.applyTag) {
      panel.applyTag(tag.slug);
      return;
    }
    const span = selectionSpan();
    if (!span) {
      notify(`Select a passage first (mouse, or Shift+arrow keys in the article), then choose “${tag.name}”.`, "info");
      return;
    }
    openCreatePanel({ target: "span", us: span.us, ue: span.ue }, span.rect, { tags: [tag.slug] });
  }

  function renderToolbar() {
    renderLabelBar();
    const old = toolbar.querySelector(".toolbar-actions");
    if (old) old.remove();
    const actions = h("span", { class: "toolbar-actions" });
    const whole = [...state.annotations.values()].filter((a) => a.target === "article");
    if (whole.length) {
      actions.append(h("span", { class: "toolbar-label" }, "Article: "),
        ...whole.map((annotation) => h("button", { type: "button", class: "article-annotation", onclick: (event) => {
          closePopover();
          popover = h("div", { class: "annotate-popover", role: "dialog" },
            h("button", { type: "button", class: "popover-close", "aria-label": "Close", onclick: closePopover }, "×"),
            annotationCard(annotation, event.currentTarget));
          place(popover, event.currentTarget);
        } }, tagChips(annotation.tags.length ? annotation.tags : []), annotation.tags.length ? null : excerpt(annotation.note, 30))));
    }
    if (can.add_annotation) {
      actions.append(h("button", { type: "button", class: "button annotate-article-button",
        onclick: (event) => openCreatePanel({ target: "article" }, event.currentTarget) }, "Annotate the whole article"));
    } else {
      actions.append(h("span", { class: "toolbar-label" }, "Read only: you cannot annotate."));
    }
    toolbar.append(actions);
  }

  function renderAll() {
    renderArticle();
    renderSidebar();
    renderToolbar();
  }

  // --- Keyboard: a caret in the article, selections by arrow keys, j/k between highlights ------------

  const kb = { caret: null, anchor: null, active: null }; // unit offsets; active: key of a highlight
  const caretMark = h("span", { class: "kb-caret", "aria-hidden": "true" });
  const announcer = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  document.getElementById("annotate-root").append(announcer);

  function isWordAt(unit) {
    const point = text.codePointAt(unit);
    return point !== undefined && /[\p{L}\p{N}\p{M}_]/u.test(String.fromCodePoint(point));
  }

  function nextPoint(unit) {
    if (unit >= text.length) return text.length;
    return unit + 1 < text.length && isLowSurrogate(unit + 1) ? unit + 2 : unit + 1;
  }

  function previousPoint(unit) {
    if (unit <= 0) return 0;
    return unit - 1 > 0 && isLowSurrogate(unit - 1) ? unit - 2 : unit - 1;
  }

  function paragraphOf(unit) {
    let found = state.paragraphs[0] || null;
    for (const paragraph of state.paragraphs) if (paragraph.us <= unit) found = paragraph;
    return found;
  }

  /** Where a key takes the caret; null for keys that do not move it. */
  function caretStep(event, unit) {
    const word = event.ctrlKey || event.altKey;
    const here = paragraphOf(unit);
    const index = state.paragraphs.indexOf(here);
    switch (event.key) {
      case "ArrowRight":
        if (!word) return nextPoint(unit);
        while (unit < text.length && !isWordAt(unit)) unit = nextPoint(unit);
        while (unit < text.length && isWordAt(unit)) unit = nextPoint(unit);
        return unit;
      case "ArrowLeft":
        if (!word) return previousPoint(unit);
        while (unit > 0 && !isWordAt(previousPoint(unit))) unit = previousPoint(unit);
        while (unit > 0 && isWordAt(previousPoint(unit))) unit = previousPoint(unit);
        return unit;
      case "ArrowDown": // to the end of this paragraph, then of the next ones
        if (!here) return unit;
        if (unit < here.ue) return here.ue;
        return index + 1 < state.paragraphs.length ? state.paragraphs[index + 1].ue : unit;
      case "ArrowUp": // to the start of this paragraph, then of the ones before
        if (!here) return unit;
        if (unit > here.us) return here.us;
        return index > 0 ? state.paragraphs[index - 1].us : unit;
      case "Home":
        return here ? here.us : 0;
      case "End":
        return here ? here.ue : text.length;
      default:
        return null;
    }
  }

  /** The text node and offset showing a unit offset (the nearest one between paragraphs). */
  function domPoint(unit, isEnd) {
    let before = null;
    for (const segment of segments) {
      const from = Number(segment.dataset.u);
      const to = from + segment.textContent.length;
      if (from <= unit && (unit < to || (isEnd && unit === to))) return [segment.firstChild, unit - from];
      if (to <= unit) before = segment;
      else if (!isEnd || !before) return [segment.firstChild, 0];
      else break;
    }
    return before ? [before.firstChild, before.textContent.length] : [article, 0];
  }

  /** Draws the keyboard's selection as the browser's own, and the caret where it is collapsed. */
  function showCaret() {
    if (kb.caret === null || document.activeElement !== article) {
      caretMark.remove();
      return;
    }
    const selection = window.getSelection();
    const anchor = kb.anchor === null ? kb.caret : kb.anchor;
    const forward = kb.caret >= anchor;
    const [anchorNode, anchorOffset] = domPoint(anchor, !forward);
    const [focusNode, focusOffset] = domPoint(kb.caret, forward);
    selection.setBaseAndExtent(anchorNode, anchorOffset, focusNode, focusOffset);
    const point = document.createRange();
    point.setStart(focusNode, focusOffset);
    const rect = point.getClientRects()[0] || point.getBoundingClientRect();
    const box = article.getBoundingClientRect();
    caretMark.style.left = `${rect.left - box.left}px`;
    caretMark.style.top = `${rect.top - box.top}px`;
    caretMark.style.height = `${Math.max(rect.height, 16)}px`;
    if (!caretMark.isConnected) article.append(caretMark);
    if (focusNode.parentElement) focusNode.parentElement.scrollIntoView({ block: "nearest" });
  }

  function moveToHighlight(direction) {
    const items = highlightItems().sort((a, b) => a.us - b.us || a.key.localeCompare(b.key));
    const from = kb.caret === null ? -1 : kb.caret;
    const current = items.findIndex((item) => item.key === kb.active);
    let target;
    if (current >= 0) target = items[current + direction];
    else target = direction > 0 ? items.find((item) => item.us > from) : [...items].reverse().find((item) => item.us < from);
    if (!target) {
      announcer.textContent = direction > 0 ? "No highlight after this one." : "No highlight before this one.";
      return;
    }
    kb.caret = target.us;
    kb.anchor = null;
    kb.active = target.key;
    showCaret();
    flash(target.key, { scroll: true });
    for (const segment of article.querySelectorAll(".seg.kb-active")) segment.classList.remove("kb-active");
    for (const segment of elementsByKey.get(target.key) || []) segment.classList.add("kb-active");
    const then = target.kind === "suggestion" ? "C makes it a claim, X dismisses it, Enter opens it." : "Enter opens it.";
    announcer.textContent = `${describe(target)}: “${excerpt(text.slice(target.us, target.ue), 80)}”. ${then}`;
  }

  /** The check-worthy sentence the keyboard is on: the highlight J and K stepped to, else the caret's. */
  function suggestionAtCaret() {
    if (kb.active && kb.active.startsWith("s")) {
      const active = state.suggestions.find((suggestion) => suggestionKey(suggestion) === kb.active);
      if (active) return active;
    }
    if (kb.caret === null) return null;
    return state.suggestions.find((suggestion) => suggestion.us <= kb.caret && kb.caret < suggestion.ue) || null;
  }

  function openActiveHighlight() {
    const elements = elementsByKey.get(kb.active) || [];
    if (!elements.length) return false;
    openPopover(elements[0]);
    if (popover) {
      const first = popover.querySelector("button:not(.popover-close)") || popover.querySelector("button");
      if (first) first.focus();
    }
    return true;
  }

  article.tabIndex = 0;
  article.setAttribute("aria-label", "Article text. Arrow keys move, Shift with them selects (Ctrl for words, Up and Down for paragraphs); Enter or A annotates the selection; J and K go to the next and previous highlight; on a sentence marked worth checking, C makes it a claim and X dismisses it.");
  article.addEventListener("focus", () => {
    if (kb.caret === null) kb.caret = state.paragraphs.length ? state.paragraphs[0].us : 0;
    showCaret();
  });
  article.addEventListener("blur", () => caretMark.remove());
  article.addEventListener("keydown", (event) => {
    if (event.target !== article) return; // keys meant for the buttons inside
    const moved = caretStep(event, kb.caret === null ? 0 : kb.caret);
    if (moved !== null) {
      event.preventDefault();
      if (event.shiftKey) {
        if (kb.anchor === null) kb.anchor = kb.caret;
      } else {
        kb.anchor = null;
      }
      kb.caret = moved;
      kb.active = null;
      showCaret();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (event.key === "Enter" || key === "a") {
      event.preventDefault();
      const span = selectionSpan();
      if (span && can.add_annotation) openCreatePanel({ target: "span", us: span.us, ue: span.ue }, span.rect);
      else if (span) notify("You can read this article but not annotate it.", "warning");
      else if (!(kb.active && openActiveHighlight())) {
        notify("Nothing selected: hold Shift and use the arrow keys to select a passage, then press Enter.", "info");
      }
    } else if (key === "j" || key === "k") {
      event.preventDefault();
      moveToHighlight(key === "j" ? 1 : -1);
    } else if ((key === "c" || key === "x") && suggestionAtCaret()) {
      // On a marked sentence (reached with J and K, or with the caret in it), as in the list.
      event.preventDefault();
      const suggestion = suggestionAtCaret();
      if (key === "c") claimSuggestion(suggestion, { from: "text" });
      else dismissSuggestion(suggestion, { from: "text" });
    } else if (event.key === "Escape" && kb.anchor !== null) {
      kb.anchor = null;
      showCaret();
    }
  });

  // --- Events --------------------------------------------------------------------------------------

  let placing = null; // the orphan waiting for a passage: the next selection places it

  /*
   * A drag that starts on a paragraph's label (the gutter, which the browser does not select from)
   * selects from the start of that paragraph to where the mouse is let go; let go past the end of a
   * line, it counts at the edge of the text column.
   */
  let gutterDrag = null;

  article.addEventListener("mousedown", (event) => {
    gutterDrag = null;
    if (event.button !== 0 || !(event.target instanceof Element) || event.target.closest("button")) return;
    const gutter = event.target.closest(".para-gutter");
    const body = gutter && gutter.parentElement.querySelector(".para-text");
    if (body) gutterDrag = { body, x: event.clientX, y: event.clientY };
  });

  /** The text position under a point of the window, the point first moved into the nearest text column. */
  function textPointAt(x, y) {
    const bodies = [...article.querySelectorAll(".para-text")];
    if (!bodies.length) return null;
    const distance = (body) => {
      const box = body.getBoundingClientRect();
      return y < box.top ? box.top - y : y > box.bottom ? y - box.bottom : 0;
    };
    const body = bodies.reduce((best, other) => (distance(other) < distance(best) ? other : best));
    const box = body.getBoundingClientRect();
    const px = Math.min(Math.max(x, box.left + 1), box.right - 1);
    const py = Math.min(Math.max(y, box.top + 1), box.bottom - 1);
    const range = document.caretRangeFromPoint ? document.caretRangeFromPoint(px, py) : null;
    if (!range || !body.contains(range.startContainer)) return null;
    return [range.startContainer, range.startOffset];
  }

  function selectFromGutter(drag, x, y) {
    const focus = textPointAt(x, y);
    if (!focus) return;
    const first = drag.body.querySelector(".seg");
    const last = [...drag.body.querySelectorAll(".seg")].pop();
    if (!first || !last) return;
    const start = document.createRange();
    start.setStart(first.firstChild, 0);
    const upwards = start.comparePoint(focus[0], focus[1]) < 0;
    const selection = window.getSelection();
    if (upwards) selection.setBaseAndExtent(last.firstChild, last.textContent.length, focus[0], focus[1]);
    else selection.setBaseAndExtent(first.firstChild, 0, focus[0], focus[1]);
  }

  function onSelectionEnd(event) {
    const drag = gutterDrag;
    gutterDrag = null;
    if (drag && Math.hypot(event.clientX - drag.x, event.clientY - drag.y) > 4 && window.getSelection().isCollapsed) {
      selectFromGutter(drag, event.clientX, event.clientY);
    }
    const controls = ".annotate-panel, .annotate-popover, .para-gutter, #annotate-sidebar, #annotate-toolbar, .annotate-labels, #annotate-messages, button, input, select, textarea, a";
    if (event.target instanceof Element && event.target.closest(controls)) return;
    // Let the browser settle the selection first.
    setTimeout(() => {
      const selection = window.getSelection();
      const touches = selection && selection.rangeCount && !selection.isCollapsed && selection.getRangeAt(0).intersectsNode(article);
      const span = selectionSpan();
      if (!span && touches) {
        notify("That selection is not a passage of the article: start and end the drag on the article's words.", "info");
        return;
      }
      placeable = span ? { us: span.us, ue: span.ue } : null;
      renderPlaceHint();
      if (!span) return;
      if (placing) {
        const [annotation, button] = placing;
        placeOrphan(annotation, button);
        return;
      }
      // Readers select to copy; the toolbar says they cannot annotate.
      if (!can.add_annotation) return;
      // With orphans waiting, a selection is most likely meant for one: the hint offers both.
      if (orphansToPlace()) return;
      openCreatePanel({ target: "span", us: span.us, ue: span.ue }, span.rect);
    }, 0);
  }

  // Anywhere: a drag that starts on a label or ends past the text column still counts.
  document.addEventListener("mouseup", onSelectionEnd);
  article.addEventListener("click", (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const segment = event.target instanceof Element ? event.target.closest(".seg.hl") : null;
    if (segment) openPopover(segment);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      if (placing) stopPlacing();
      if (panel) closePanel();
      if (popover) {
        const back = popover.contains(document.activeElement);
        closePopover();
        if (back) {
          article.focus({ preventScroll: true });
        }
      }
    }
  });
  document.addEventListener("mousedown", (event) => {
    if (!(event.target instanceof Element)) return;
    if (popover && !popover.contains(event.target) && !event.target.closest(".seg.hl, .article-annotation")) closePopover();
  });
  // A half-written note is not lost to a reload or a click on the breadcrumbs without a question.
  window.addEventListener("beforeunload", (event) => {
    if (!panelDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  renderAll();
  document.getElementById("annotate-root").dataset.ready = "true";
})();

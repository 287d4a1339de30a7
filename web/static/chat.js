/* KaderBot JKN web chat: pick a persona, chat with the bot, see reminders arrive (polls every 2 s).
 *
 * No build step and no network beyond this server. Each persona gets a random slot label kept in
 * localStorage, so a reload (or a second tab) continues the same chat. The slot is not a secret: the server
 * finds the chat from the slot and this browser's session cookie (HttpOnly, so this script never sees it),
 * so two people trying the same demo persona do not share a conversation and a logged URL opens nothing.
 * The transcript is kept in localStorage too, because the server only returns what the bot sent.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var LONG_WORD = 11; // characters: a word longer than this does not fit half a 360 px screen's button
  var KEEP = 300; // messages kept per chat in localStorage: enough to scroll back, small enough to stay fast
  var STORE = "kaderbot.chat.";
  var ROLE = { member: "Peserta", cadre: "Kader", other: "Nomor lain" };
  var KIND = { reminder: "Pengingat", broadcast: "Pengumuman", notice: "Pemberitahuan" };
  var STARTERS = {
    member: ["MENU", "CEK", "REHAB", "BANTUAN"],
    cadre: ["SIAPA", "JAWAB", "TUTUP", "BANTUAN"],
    other: ["MENU", "DAFTAR", "BANTUAN"],
  };

  var $ = function (id) { return document.getElementById(id); };
  var personas = [];
  var mode = "on"; // the server's WEBCHAT: "demo" accepts only the demo personas' numbers
  var current = null; // {persona, record}; record = what is stored for this chat
  var pollTimer = null;
  var pollGeneration = 0;
  var openedFromPicker = false;

  // ---- storage ---------------------------------------------------------------------------------------------

  function load(key) {
    try { return JSON.parse(localStorage.getItem(STORE + key) || "null"); } catch (e) { return null; }
  }

  function save(record) {
    record.transcript = record.transcript.slice(-KEEP);
    try { localStorage.setItem(STORE + record.persona.phone, JSON.stringify(record)); } catch (e) { /* full or private mode: the chat still works, it just forgets on reload */ }
  }

  function randomId(prefix) {
    // getRandomValues, unlike randomUUID, also works on plain http from a phone on the LAN
    var bytes = new Uint8Array(10);
    crypto.getRandomValues(bytes);
    return prefix + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function recordFor(persona) {
    var record = load(persona.phone);
    if (!record || !record.slot) { // (a record from before slots named its chat in the URL: start afresh)
      record = { slot: randomId("s"), after: 0, transcript: [], infoClosed: false };
    }
    record.persona = persona; // refresh the note and identity if the demo changed
    record.transcript.forEach(function (entry) {
      if (entry.status === "sending") entry.status = "failed"; // the page was closed mid-send: offer a retry
    });
    return record;
  }

  // ---- phone numbers ---------------------------------------------------------------------------------------

  /** 0812..., 62812..., +62 812-... -> +62812...; null when it cannot be a phone number. */
  function e164(typed) {
    var digits = typed.replace(/[^\d+]/g, "");
    if (digits.indexOf("+") > 0) return null;
    if (digits.charAt(0) === "+") digits = digits.slice(1);
    else if (digits.slice(0, 2) === "62") { /* already with country code */ }
    else if (digits.charAt(0) === "0") digits = "62" + digits.slice(1);
    else if (digits.charAt(0) === "8") digits = "62" + digits;
    return /^\d{9,15}$/.test(digits) ? "+" + digits : null;
  }

  function showPhone(phone) {
    // +6281234567890 -> +62 812-3456-7890, the way Indonesians write it
    var m = /^\+62(\d{3})(\d{3,4})(\d{3,5})$/.exec(phone);
    return m ? "+62 " + m[1] + "-" + m[2] + "-" + m[3] : phone;
  }

  function showDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "-" + m[2] + "-" + m[1] : iso; // DD-MM-YYYY, as written on Indonesian forms
  }

  function initials(name) {
    // words only: "Sri Wahyuni (KDR-SKA-01)" -> "SW", not "S("
    var parts = (name || "").trim().split(/\s+/).filter(function (w) { return /^\p{L}/u.test(w); });
    if (!parts.length) return "#";
    return (parts[0].charAt(0) + (parts.length > 1 ? parts[parts.length - 1].charAt(0) : "")).toUpperCase();
  }

  // ---- small DOM helpers -----------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child != null) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function en(text) { return el("span", { className: "en", lang: "en", text: text }); }

  /** WhatsApp's *bold* and _italic_, built as nodes so no message text is ever parsed as HTML. */
  function formatted(text) {
    var out = document.createDocumentFragment();
    var pattern = /\*([^*\n]+)\*|_([^_\n]+)_/g;
    var last = 0;
    var m;
    while ((m = pattern.exec(text)) !== null) {
      out.appendChild(document.createTextNode(text.slice(last, m.index)));
      out.appendChild(el(m[1] ? "strong" : "em", { text: m[1] || m[2] }));
      last = pattern.lastIndex;
    }
    out.appendChild(document.createTextNode(text.slice(last)));
    return out;
  }

  function clock(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    if (isNaN(date)) return "";
    return date.toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
  }

  // ---- the persona picker ----------------------------------------------------------------------------------

  function personaCard(persona) {
    var details = [el("span", { className: "persona-phone", text: showPhone(persona.phone) })];
    if (persona.card_number) {
      // each "label value" pair stays on one line; a narrow screen wraps between the pairs
      details.push(el("span", { className: "persona-id" }, [
        el("span", {}, ["Kartu ", el("b", { text: persona.card_number })]),
        persona.birth_date ? el("span", {}, ["Lahir ", el("b", { text: showDate(persona.birth_date) })]) : null,
      ]));
    }
    return el("li", {}, [
      el("button", { type: "button", className: "persona persona-" + persona.role, "data-phone": persona.phone,
                     onclick: function () { openChat(persona, true); } }, [
        el("span", { className: "avatar", "aria-hidden": "true", text: initials(persona.name) }),
        el("span", { className: "persona-text" }, [
          el("span", { className: "persona-name" }, [persona.name, " ", el("span", { className: "badge", text: ROLE[persona.role] || persona.role })]),
        ].concat(details, persona.note ? [el("span", { className: "persona-note" }, noteParts(persona))] : [])),
      ]),
    ]);
  }

  /** A persona's note: Indonesian first, then the English (older demo data may have only one). */
  function noteParts(persona) {
    var parts = [persona.note];
    if (persona.note_en) parts.push(" ", en(persona.note_en));
    return parts;
  }

  function showPersonas(list) {
    personas = list;
    var members = list.filter(function (p) { return p.role === "member"; });
    var cadres = list.filter(function (p) { return p.role === "cadre"; });
    $("members").replaceChildren.apply($("members"), members.map(personaCard));
    $("cadres").replaceChildren.apply($("cadres"), cadres.map(personaCard));
    $("members-group").hidden = members.length === 0;
    $("cadres-group").hidden = cadres.length === 0;
    var status = $("personas-status");
    if (list.length) {
      status.hidden = true;
    } else {
      status.replaceChildren("Belum ada data demo. Jalankan ", el("code", { text: "flask --app app seed-demo" }),
                             ", atau ketik nomor HP di bawah. ", en("No demo data loaded: type a phone number below."));
    }
  }

  function fetchPersonas() {
    return fetch("chat/personas", { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (body) {
        mode = body.mode || "on";
        if (mode === "demo") {
          $("phone-hint").replaceChildren("Simulator demo: hanya nomor peserta atau kader demo di atas. ",
                                          en("Demo: only the demo members' and cadres' numbers."));
        }
        showPersonas(body.personas || []);
      })
      .catch(function () {
        $("personas-status").replaceChildren("Data demo tidak bisa dimuat. ", en("Could not load the demo personas."));
        showPersonas([]);
      });
  }

  // ---- the chat --------------------------------------------------------------------------------------------

  function openChat(persona, fromPicker) {
    stopPolling();
    current = { record: recordFor(persona) };
    save(current.record);
    openedFromPicker = openedFromPicker || !!fromPicker;
    var hash = "#/chat/" + encodeURIComponent(persona.phone);
    if (location.hash !== hash) history.pushState(null, "", hash);

    $("chat-title").textContent = persona.name || showPhone(persona.phone);
    // The number first and whole; on a narrow phone the role gives way (it shows in the avatar's colour too).
    $("chat-sub").replaceChildren(el("span", { className: "sub-phone", text: showPhone(persona.phone) }),
                                  el("span", { className: "sub-role", text: "· " + (ROLE[persona.role] || "") }));
    $("chat-avatar").textContent = initials(persona.name || "#");
    $("chat-avatar").className = "avatar avatar-" + persona.role;
    fillInfo(persona);
    setInfoOpen(!current.record.infoClosed);

    $("picker").hidden = true;
    $("chat").hidden = false;
    document.title = (persona.name || persona.phone) + " · KaderBot JKN";
    renderTranscript();
    $("text").focus();
    poll();
  }

  function closeChat() {
    stopPolling();
    current = null;
    $("chat").hidden = true;
    $("picker").hidden = false;
    document.title = "KaderBot JKN · Simulator chat";
  }

  function fillInfo(persona) {
    if (persona.note) $("info-note").replaceChildren.apply($("info-note"), noteParts(persona));
    else $("info-note").replaceChildren("Ketik MENU untuk melihat pilihan. ", en("Type MENU to see the choices."));
    var chips = [];
    if (persona.card_number) chips.push(identityChip("Kartu", persona.card_number));
    if (persona.birth_date) chips.push(identityChip("Lahir", showDate(persona.birth_date)));
    $("identity-chips").replaceChildren.apply($("identity-chips"), chips);
    $("info-identity").hidden = chips.length === 0;
  }

  function identityChip(label, value) {
    return el("button", { type: "button", className: "chip identity-chip",
                          "aria-label": label + " " + value + " (tempel ke pesan)",
                          onclick: function () { putInComposer(value); } },
              [el("span", { className: "chip-label", text: label }), " ", el("b", { text: value })]);
  }

  function putInComposer(value) {
    var box = $("text");
    box.value = value;
    autosize();
    box.focus();
  }

  function setInfoOpen(open) {
    $("info-body").hidden = !open;
    $("info").classList.toggle("info-closed", !open);
    $("info-toggle").setAttribute("aria-expanded", String(open));
    if (current) { current.record.infoClosed = !open; save(current.record); }
  }

  function renderTranscript() {
    var log = $("log");
    log.replaceChildren();
    var transcript = current.record.transcript;
    if (!transcript.length) {
      log.appendChild(emptyState());
    }
    transcript.forEach(function (entry) { log.appendChild(bubble(entry)); });
    scrollDown(true);
  }

  function emptyState() {
    var role = current.record.persona.role;
    var chips = (STARTERS[role] || STARTERS.other).map(function (word) {
      return el("button", { type: "button", className: "chip", onclick: function () { sendText(word); } }, [word]);
    });
    return el("div", { className: "empty", id: "empty" }, [
      el("p", {}, ["Belum ada pesan. Coba ketik ", el("b", { text: "MENU" }), " atau ketuk:"]),
      el("p", {}, [en("No messages yet. Type MENU or tap one:")]),
      el("div", { className: "chips" }, chips),
    ]);
  }

  function bubble(entry) {
    var mine = entry.from === "me";
    var label = !mine && KIND[entry.kind];
    var meta = [el("span", { className: "time", text: clock(entry.at) })];
    if (mine) meta.push(statusMark(entry));
    var refusal = mine && entry.status === "failed" && entry.error;
    var node = el("div", { className: "row " + (mine ? "row-me" : "row-bot"), "data-id": entry.id || entry.mid }, [
      el("div", { className: "bubble " + (mine ? "me" : "bot") + (label ? " kind-" + entry.kind : "") }, [
        label ? el("span", { className: "kind" }, [label]) : null,
        el("span", { className: "visually-hidden", text: mine ? "Anda: " : "Bot: " }),
        el("span", { className: "body" }, [formatted(entry.text || "")]),
        el("span", { className: "meta" }, meta),
      ]),
      refusal ? el("p", { className: "bubble-error", role: "alert", text: entry.error }) : null,
    ]);
    if (!mine && entry.choices && entry.choices.length) {
      // Numbered like WhatsApp's list, so "ketik angkanya" holds here too; labels with a long word
      // ("2 kali, Rp630.000/bulan") get a row each, as two to a row would not fit a small phone.
      var long = entry.choices.some(function (pair) {
        return String(pair[1]).split(/\s+/).some(function (word) { return word.length > LONG_WORD; });
      });
      node.appendChild(el("div", { className: "choices" + (long ? " choices-list" : ""), role: "group",
                                   "aria-label": "Pilihan (choices)" },
        entry.choices.map(function (pair, index) {
          return el("button", { type: "button", className: "choice", "data-key": pair[0],
                                onclick: function () { sendChoice(pair[0], pair[1]); } }, [
            el("span", { className: "choice-number", "aria-hidden": "true", text: String(index + 1) }),
            el("span", { className: "choice-label", text: pair[1] }),
          ]);
        })));
    }
    return node;
  }

  function statusMark(entry) {
    if (entry.status === "failed") {
      return el("button", { type: "button", className: "retry", onclick: function () { retry(entry); } },
                ["Gagal, kirim ulang ↻"]);
    }
    var sent = entry.status === "sent";
    return el("span", { className: "tick" + (sent ? " sent" : ""), "aria-label": sent ? "terkirim" : "mengirim",
                        text: sent ? "✓✓" : "…" });
  }

  function replaceBubble(entry) {
    var old = $("log").querySelector('[data-id="' + (entry.id || entry.mid) + '"]');
    if (old) old.replaceWith(bubble(entry));
  }

  function append(entry) {
    var empty = $("empty");
    if (empty) empty.remove();
    current.record.transcript.push(entry);
    var near = isNearBottom();
    $("log").appendChild(bubble(entry));
    scrollDown(near || entry.from === "me");
  }

  function isNearBottom() {
    var log = $("log");
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollDown(force) {
    if (force) { var log = $("log"); log.scrollTop = log.scrollHeight; }
  }

  // ---- talking to the server -------------------------------------------------------------------------------

  var CHAT_URL = "chat/messages";

  /** New messages from the bot, from a send or a poll; the same message twice is shown once. */
  function receive(record, body) {
    if (!current || current.record !== record) return; // the person moved on to another chat
    var seen = {};
    record.transcript.forEach(function (e) { if (e.id) seen[e.id] = true; });
    (body.messages || []).forEach(function (m) {
      if (seen[m.id]) return;
      append({ from: "bot", id: m.id, text: m.text, kind: m.kind, choices: m.choices, at: m.at });
    });
    if (typeof body.after === "number" && body.after > record.after) record.after = body.after;
    save(record);
  }

  function sendText(text) {
    text = text.trim();
    if (!text) return;
    deliver({ from: "me", mid: randomId("m"), text: text, body: { text: text } });
  }

  function sendChoice(key, label) {
    deliver({ from: "me", mid: randomId("m"), text: label, body: { choice: key } });
  }

  function retry(entry) {
    entry.status = "sending";
    replaceBubble(entry);
    post(current.record, entry);
  }

  function deliver(entry) {
    entry.status = "sending";
    append(entry);
    save(current.record);
    post(current.record, entry);
  }

  function post(record, entry) {
    var persona = record.persona;
    // the same id on a retry: if the first attempt did reach the server, the bot does not answer twice
    var body = Object.assign({ id: entry.mid, slot: record.slot, phone: persona.phone, name: persona.name || null,
                               after: record.after }, entry.body);
    setTyping(true);
    fetch(CHAT_URL, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
                      body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (reply) {
          if (!r.ok) { var error = new Error("HTTP " + r.status); error.reply = reply; throw error; }
          return reply;
        });
      })
      .then(function (reply) {
        entry.status = "sent";
        delete entry.error;
        if (reply.messages && reply.messages.length) entry.at = reply.messages[0].at; // the server's clock, like the bot's
        if (current && current.record === record) replaceBubble(entry);
        receive(record, reply);
      })
      .catch(function (error) {
        entry.status = "failed";
        var reply = (error && error.reply) || {};
        // the server says why (e.g. a number the demo does not accept); a network failure says nothing
        if (reply.error) entry.error = reply.error + (reply.error_en ? " (" + reply.error_en + ")" : "");
        save(record);
        if (current && current.record === record) replaceBubble(entry);
      })
      .then(function () { setTyping(false); });
  }

  function setTyping(on) { $("typing").hidden = !on; if (on) scrollDown(isNearBottom()); }

  function poll() {
    if (!current) return;
    var record = current.record;
    var generation = pollGeneration;
    var query = "?slot=" + encodeURIComponent(record.slot) + "&after=" + record.after;
    fetch(CHAT_URL + query, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (body) { receive(record, body); })
      .catch(function () { /* the server restarting: try again on the next tick */ })
      .then(function () {
        // a poll started before the chat changed (or the tab was hidden) must not start a second loop
        if (generation === pollGeneration && !document.hidden) pollTimer = setTimeout(poll, POLL_MS);
      });
  }

  function stopPolling() { clearTimeout(pollTimer); pollTimer = null; pollGeneration += 1; }

  // ---- wiring ----------------------------------------------------------------------------------------------

  function autosize() {
    var box = $("text");
    box.style.height = "auto";
    box.style.height = Math.min(box.scrollHeight, 140) + "px";
  }

  function route() {
    var m = /^#\/chat\/(.+)$/.exec(location.hash);
    if (!m) { closeChat(); return; }
    var phone = decodeURIComponent(m[1]);
    var persona = personas.filter(function (p) { return p.phone === phone; })[0];
    var stored = load(phone);
    persona = persona || (stored && stored.persona);
    if (persona) openChat(persona, false); else { history.replaceState(null, "", location.pathname); closeChat(); }
  }

  function init() {
    $("composer").addEventListener("submit", function (event) {
      event.preventDefault();
      var box = $("text");
      sendText(box.value);
      box.value = "";
      autosize();
      box.focus();
    });
    $("text").addEventListener("keydown", function (event) {
      // Enter sends, like WhatsApp Web; Shift+Enter is a new line; never while an IME is composing
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    $("text").addEventListener("input", autosize);
    $("back").addEventListener("click", function () {
      if (openedFromPicker) history.back(); else { history.pushState(null, "", location.pathname); closeChat(); }
    });
    $("info-toggle").addEventListener("click", function () { setInfoOpen($("info-body").hidden); });
    $("reset").addEventListener("click", function () {
      if (!current || !confirm("Mulai chat baru dengan persona ini? Riwayat di layar ini dihapus.\n(Start a new chat?)")) return;
      var persona = current.record.persona;
      try { localStorage.removeItem(STORE + persona.phone); } catch (e) { /* nothing stored */ }
      openChat(persona, false);
    });
    $("phone-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var phone = e164($("phone-input").value);
      var error = $("phone-error");
      if (!phone) {
        error.textContent = "Nomor HP belum benar, contoh 0812 3456 7890. (Not a phone number.)";
        error.hidden = false;
        $("phone-input").setAttribute("aria-invalid", "true");
        $("phone-input").focus();
        return;
      }
      error.hidden = true;
      $("phone-input").removeAttribute("aria-invalid");
      var known = personas.filter(function (p) { return p.phone === phone; })[0];
      if (!known && mode === "demo") {
        error.textContent = "Di simulator demo hanya nomor peserta atau kader demo yang bisa dipakai. " +
                            "(Demo: only the demo personas' numbers.)";
        error.hidden = false;
        $("phone-input").setAttribute("aria-invalid", "true");
        $("phone-input").focus();
        return;
      }
      var name = $("name-input").value.trim();
      openChat(known || { role: "other", name: name || "", phone: phone, card_number: null, birth_date: null,
                          note: "Nomor bebas: kalau nomor ini milik kader, bot mengenalinya sebagai kader.",
                          note_en: "Any number: a cadre's number is recognised as a cadre." }, true);
    });
    window.addEventListener("popstate", route);
    document.addEventListener("visibilitychange", function () {
      // no polling from a tab nobody looks at; catch up at once when it is back
      if (document.hidden) stopPolling(); else if (current) { stopPolling(); poll(); }
    });
    fetchPersonas().then(route);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

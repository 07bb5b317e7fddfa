/* The check-in web app (events/views/checkin_app.py serves the page, its service worker and JSON).

   - Badges are verified on the device: the QR text is B1.<payload>.<signature>, the payload is
     version (1 byte), registration UUID (16), meeting id (4, big-endian), expiry (4, Unix seconds),
     signed with Ed25519; the public key comes with the synced state. WebCrypto does the check.
   - A typed badge code (ten characters, Crockford base 32 with a Luhn mod 32 check symbol) is
     checked for typing mistakes here and looked up in the synced roster.
   - Each accepted scan is an entry in IndexedDB, bound by an HMAC made with this device's key (a
     non-extractable WebCrypto key), and sent to the server when online. The server's answer
     (ok, already checked in, refused) replaces the local one.
   - What the device knows of cancellations and earlier check-ins is the state of its last sync. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("checkin-config").textContent);
  const $ = (id) => document.getElementById(id);
  const DB_NAME = "ascnhub-checkin-" + config.meeting;
  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const enc = new TextEncoder();
  let db = null;
  let state = null;
  let publicKey = null;
  let noEd25519 = false;
  let deviceId = null;
  let macKey = null;
  let syncing = false;
  let lastQueued = null; // the entry the result box shows, until the server answers for it

  // --- IndexedDB ----------------------------------------------------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("queue", { keyPath: "id" });
        req.result.createObjectStore("kv");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function tx(store, mode, fn) {
    return new Promise((resolve, reject) => {
      const t = db.transaction(store, mode);
      const result = fn(t.objectStore(store));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    });
  }
  const kvGet = (key) => tx("kv", "readonly", (s) => s.get(key));
  const kvPut = (key, value) => tx("kv", "readwrite", (s) => s.put(value, key));
  const queueAll = () => tx("queue", "readonly", (s) => s.getAll());
  const queuePut = (item) => tx("queue", "readwrite", (s) => s.put(item));

  // --- small helpers ------------------------------------------------------------------------
  function b64urlToBytes(text) {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function bytesToUuid(bytes) {
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function clock(iso) {
    // The meeting's local time, as the server words it.
    return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: (state && state.timezone) || undefined }).format(new Date(iso));
  }
  function localDay(date) {
    const parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: (state && state.timezone) || undefined }).format(date);
    return parts;
  }
  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
    const type = response.headers.get("Content-Type") || "";
    if (response.redirected || !type.includes("json")) throw new Error("signed out: sign in again");
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }
  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.includes("json")) throw new Error("HTTP " + response.status);
    return response.json();
  }

  // --- badge codes (mirror of events/badge_codes.py) ----------------------------------------
  function checkSymbol(body) {
    let total = 0;
    let factor = 2;
    for (let i = body.length - 1; i >= 0; i--) {
      const addend = factor * ALPHABET.indexOf(body[i]);
      total += Math.floor(addend / 32) + (addend % 32);
      factor = factor === 2 ? 1 : 2;
    }
    return ALPHABET[(32 - (total % 32)) % 32];
  }
  function normaliseCode(text) {
    const code = text.replace(/[\s-]/g, "").toUpperCase().replace(/[IL]/g, "1").replace(/O/g, "0");
    if (code.length !== 10 || [...code].some((c) => !ALPHABET.includes(c))) return null;
    return checkSymbol(code.slice(0, 9)) === code[9] ? code : null;
  }

  // --- on-device verification ---------------------------------------------------------------
  async function verifyToken(token) {
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== "B1") return { refused: "This is not a badge code of this system (it could not be read)." };
    let payload;
    let signature;
    try {
      payload = b64urlToBytes(parts[1]);
      signature = b64urlToBytes(parts[2]);
    } catch (e) {
      return { refused: "This is not a badge code of this system (it could not be read)." };
    }
    if (payload.length !== 25 || signature.length !== 64 || payload[0] !== 1) return { refused: "This is not a badge code of this system (it could not be read)." };
    if (noEd25519) return { refused: "This browser cannot check badge signatures (no Ed25519): update it, or use the check-in desk page." };
    if (!publicKey) return { refused: "The meeting's key is not on this device yet: connect once to load it." };
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, payload);
    if (!valid) return { refused: "The badge signature is not valid: the badge may be forged or altered." };
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const meetingId = view.getUint32(17);
    const expires = view.getUint32(21);
    if (meetingId !== config.meeting) return { refused: "This badge belongs to another meeting." };
    if (expires * 1000 < Date.now()) return { refused: "This badge has expired." };
    return { registration: bytesToUuid(payload.slice(1, 17)) };
  }

  // --- what the device knows ----------------------------------------------------------------
  function place() {
    return { entrance: $("entrance").value.trim().replace(/\s+/g, " "), session: $("door").value };
  }
  function sessionInfo(id) {
    return ((state && state.sessions) || []).find((s) => s.id === id) || null;
  }
  async function knownCheckIn(registration, session, day) {
    // From the last sync, then from this device's own queue (not refused by the server).
    if (state) {
      if (session) {
        const s = sessionInfo(session);
        if (s && s.checked_in[registration]) return { at: s.checked_in[registration][0], entrance: s.checked_in[registration][1] };
      } else if (state.today === day && state.checked_in[registration]) {
        return { at: state.checked_in[registration][0], entrance: state.checked_in[registration][1] };
      }
    }
    const mine = (await queueAll())
      .filter((q) => q.registration === registration && (q.session || "") === (session || "") && q.outcome !== "refused" && q.day === day)
      .sort((a, b) => (a.at < b.at ? -1 : 1));
    return mine.length ? { at: mine[0].at, entrance: mine[0].entrance } : null;
  }
  async function localSeatsTaken(session) {
    const s = sessionInfo(session);
    const synced = s ? Object.keys(s.checked_in) : [];
    const queued = (await queueAll()).filter((q) => q.session === session && q.outcome === "queued" && !synced.includes(q.registration));
    return synced.length + queued.length;
  }
  function againText(known) {
    return "Already checked in at " + clock(known.at) + (known.entrance ? " at " + known.entrance : "") + ".";
  }

  // --- scanning -----------------------------------------------------------------------------
  function show(outcome, message, name, extra) {
    const box = $("result");
    box.className = "result result-" + outcome;
    box.replaceChildren();
    const big = document.createElement("p");
    big.className = "big";
    big.textContent = (outcome === "ok" ? "✓ " : outcome === "again" ? "! " : "✗ ") + message;
    box.append(big);
    if (name) {
      const who = document.createElement("p");
      who.textContent = name;
      box.append(who);
    }
    if (extra) {
      const note = document.createElement("p");
      note.textContent = extra;
      box.append(note);
    }
    box.hidden = false;
    box.dataset.shown = String(Number(box.dataset.shown || 0) + 1);
  }

  async function handle(raw) {
    const text = raw.replace(/\s+/g, "");
    if (!text) return;
    const where = place();
    const entry = { id: crypto.randomUUID(), device: deviceId, token: "", code: "", at: new Date().toISOString(), entrance: where.entrance, session: where.session };
    let registration = null;
    if (text.startsWith("B1.")) {
      const checked = await verifyToken(text);
      if (checked.refused) return show("refused", checked.refused);
      registration = checked.registration;
      entry.token = text;
    } else {
      const code = normaliseCode(text);
      if (!code) return show("refused", "This is not a badge code: check the ten characters.");
      entry.code = code;
      const found = state && Object.entries(state.people).find(([, p]) => p[3] === code);
      registration = found ? found[0] : null;
    }
    const person = registration && state ? state.people[registration] : null;
    const name = person ? person[0] + " · " + person[1] : "";
    if (person && state.refused_statuses.includes(person[2])) {
      return show("refused", "This registration is " + person[2] + ": do not admit.", name, "As of the last sync at " + clock(state.synced_at) + ".");
    }
    const day = localDay(new Date(entry.at));
    if (registration) {
      const known = await knownCheckIn(registration, where.session, day);
      if (known) return show("again", againText(known), name);
    }
    if (where.session) {
      const s = sessionInfo(where.session);
      if (s && registration && s.signup_required && !s.signups.includes(registration)) {
        return show("refused", "Not signed up for " + s.title + ": seats are for those who signed up.", name);
      }
      if (s && s.seat_limit !== null && (await localSeatsTaken(where.session)) >= s.seat_limit) {
        return show("refused", s.title + " is full: " + s.seat_limit + " of " + s.seat_limit + " seats taken.", name);
      }
    }
    if (!macKey) return show("refused", "This device has no check-in key yet: connect once to load it.");
    const message = [entry.id, entry.device, entry.token, entry.code, entry.at, entry.entrance, entry.session].join("\n");
    entry.mac = hex(await crypto.subtle.sign("HMAC", macKey, enc.encode(message)));
    await queuePut(Object.assign({}, entry, { registration: registration, name: name, day: day, outcome: "queued", message: "" }));
    lastQueued = entry.id;
    const unknown = !person ? "Not in this device's list yet: to be confirmed at the next sync." : "";
    show("ok", navigator.onLine ? "Checked in." : "Checked in (offline: will sync).", name, unknown);
    await renderQueue();
    sync();
  }

  // --- camera -------------------------------------------------------------------------------
  let stream = null;
  let lastText = "";
  let lastAt = 0;
  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      return show("refused", "The camera is not available (" + e.name + "): type the badge code instead.");
    }
    const video = $("camera");
    video.srcObject = stream;
    video.hidden = false;
    $("camera-start").hidden = true;
    $("camera-stop").hidden = false;
    await video.play();
    requestAnimationFrame(tick);
  }
  function stopCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("camera").hidden = true;
    $("camera-start").hidden = false;
    $("camera-stop").hidden = true;
  }
  function tick() {
    if (!stream) return;
    const video = $("camera");
    if (video.readyState >= 2 && window.jsQR) {
      const canvas = $("frame");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      // The same badge held in front of the camera is read once, not thirty times a second.
      if (found && found.data && (found.data !== lastText || Date.now() - lastAt > 4000)) {
        lastText = found.data;
        lastAt = Date.now();
        handle(found.data);
      }
    }
    setTimeout(() => requestAnimationFrame(tick), 150);
  }

  // --- sync and state -----------------------------------------------------------------------
  async function loadKeys() {
    deviceId = await kvGet("device");
    if (!deviceId) {
      deviceId = crypto.randomUUID();
      await kvPut("device", deviceId);
    }
    macKey = (await kvGet("macKey")) || null;
    if (!macKey && navigator.onLine) {
      try {
        const answer = await getJson(config.urls.device_key + "?device=" + encodeURIComponent(deviceId));
        const raw = Uint8Array.from(atob(answer.key), (c) => c.charCodeAt(0));
        macKey = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
        await kvPut("macKey", macKey);
      } catch (e) {
        macKey = null;
      }
    }
  }
  async function useState(next) {
    state = next;
    try {
      publicKey = await crypto.subtle.importKey("raw", b64urlToBytes(state.public_key), { name: "Ed25519" }, false, ["verify"]);
      noEd25519 = false;
    } catch (e) {
      // Ed25519 in WebCrypto: Chromium 137+, Safari 17+, Firefox 129+. Older browsers cannot check.
      publicKey = null;
      noEd25519 = true;
    }
    const door = $("door");
    const chosen = door.value;
    door.querySelectorAll("option[data-session]").forEach((o) => o.remove());
    for (const s of state.sessions) {
      const option = document.createElement("option");
      option.value = s.id;
      option.dataset.session = "1";
      option.textContent = s.time + " · " + s.title + (s.room ? " (" + s.room + ")" : "");
      door.append(option);
    }
    door.value = chosen;
  }
  async function refreshState() {
    try {
      const next = await getJson(config.urls.state);
      await kvPut("state", next);
      await useState(next);
      return true;
    } catch (e) {
      return false;
    }
  }
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const pending = (await queueAll()).filter((q) => q.outcome === "queued").sort((a, b) => (a.at < b.at ? -1 : 1));
      // In chunks of 100 (the server takes at most 500 a request; a chunk answers in a few seconds).
      for (let start = 0; start < pending.length; start += 100) {
        const chunk = pending.slice(start, start + 100);
        const entries = chunk.map((q) => ({ id: q.id, device: q.device, token: q.token, code: q.code, at: q.at, entrance: q.entrance, session: q.session, mac: q.mac }));
        const answer = await postJson(config.urls.sync, { entries: entries });
        for (const r of answer.results) {
          const item = pending.find((q) => q.id === r.id);
          if (!item) continue;
          item.outcome = r.outcome;
          item.message = r.message;
          if (r.name) item.name = item.name || r.name;
          if (r.registration) item.registration = r.registration;
          await queuePut(item);
          // The server knows better (an earlier scan elsewhere, a cancellation): say so at once.
          if (r.id === lastQueued && r.outcome !== "ok") show(r.outcome, r.message, item.name, "Answer of the server at the sync.");
        }
      }
      await refreshState();
      await renderQueue();
      setNet(true);
      if (pending.length) refreshCounts();
    } catch (e) {
      // Offline, or online with the sync refused (signed out, no longer staff): say which.
      setNet(navigator.onLine, navigator.onLine ? "sync failed: " + e.message : "");
    } finally {
      syncing = false;
    }
  }
  async function renderQueue() {
    const items = (await queueAll()).sort((a, b) => (a.at < b.at ? 1 : -1));
    const list = $("queue");
    list.replaceChildren();
    for (const item of items.slice(0, 50)) {
      const li = document.createElement("li");
      li.className = item.outcome;
      li.dataset.outcome = item.outcome;
      const label = { queued: "waiting to sync", ok: "checked in", again: "already checked in", refused: "refused" }[item.outcome];
      const st = document.createElement("span");
      st.className = "state";
      st.textContent = label;
      li.append(st, " " + clock(item.at) + " · " + (item.name || item.code || "badge") + (item.message ? " — " + item.message : ""));
      list.append(li);
    }
    const waiting = items.filter((q) => q.outcome === "queued").length;
    $("queue-summary").textContent = waiting + " waiting to sync · " + items.length + " scanned on this device";
    $("queue-summary").dataset.waiting = String(waiting);
  }
  function setNet(online, problem) {
    const net = $("net");
    const last = state ? (online ? " · synced " : " · last sync ") + clock(state.synced_at) : "";
    net.textContent = (online ? "Online" : "Offline") + (problem ? " · " + problem : last);
    net.classList.toggle("offline", !online || Boolean(problem));
  }

  // --- live counts --------------------------------------------------------------------------
  function fillRows(table, rows) {
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const cells of rows) {
      const tr = document.createElement("tr");
      cells.forEach((value, i) => {
        const cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = value === null || value === undefined ? "—" : String(value);
        tr.append(cell);
      });
      body.append(tr);
    }
  }
  async function refreshCounts() {
    if (!navigator.onLine) {
      $("counts-note").textContent = "Offline: counts as of the last update.";
      return;
    }
    try {
      const c = await getJson(config.urls.counts);
      fillRows($("day-counts"), c.days.map((d) => [d.day, d.checked_in, d.expected]));
      fillRows($("session-counts"), c.sessions.map((s) => [s.time + " · " + s.title, s.checked_in, s.signups, s.seat_limit]));
      $("counts-note").textContent = "Updated " + new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date());
    } catch (e) {
      $("counts-note").textContent = "Counts could not be updated.";
    }
  }

  // --- start --------------------------------------------------------------------------------
  async function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.urls.sw, { scope: config.urls.app }).catch(() => {});
    }
    db = await openDb();
    const saved = await kvGet("state");
    if (saved) await useState(saved);
    $("entrance").value = (await kvGet("entrance")) || "";
    await loadKeys();
    setNet(navigator.onLine);
    await renderQueue();
    await sync();
    if (!state) await refreshState();
    refreshCounts();
    document.body.dataset.ready = "1";
  }

  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("code").value;
    $("code").value = "";
    handle(value).then(() => $("code").focus());
  });
  $("entrance").addEventListener("change", () => kvPut("entrance", $("entrance").value.trim()));
  $("place-form").addEventListener("submit", (event) => event.preventDefault());
  $("camera-start").addEventListener("click", startCamera);
  $("camera-stop").addEventListener("click", stopCamera);
  window.addEventListener("online", () => { setNet(true); sync(); refreshCounts(); });
  window.addEventListener("offline", () => setNet(false));
  setInterval(sync, 15000);
  setInterval(refreshCounts, 10000);
  start();
})();

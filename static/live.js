// Switchyard dashboard: the translator page's two streams. The chat tester posts its form with fetch and shows the
// streamed answer (OpenAI SSE) as it arrives; the live monitor listens to /dashboard/live (EventSource) while its
// table is on the page. Both work after htmx swaps (delegated listeners, re-checked after each swap).
(function () {
  "use strict";
  var MAX_ROWS = 100;
  var source = null;

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrf-token"] || "";
    } catch (_) {
      return "";
    }
  }

  function el(id) {
    return document.getElementById(id);
  }

  function showError(message) {
    var box = el("chat-error");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function handleEvent(data, state) {
    if (data === "[DONE]") return;
    var json;
    try {
      json = JSON.parse(data);
    } catch (_) {
      return;
    }
    if (json.error) {
      showError("Error: " + (json.error.message || "the stream failed"));
      return;
    }
    var choice = json.choices && json.choices[0];
    if (choice && choice.delta && typeof choice.delta.content === "string") {
      el("chat-out").textContent += choice.delta.content;
      if (state.first === 0) state.first = Date.now();
    }
    if (json.usage) state.usage = json.usage;
  }

  async function runChat(form) {
    var out = el("chat-out");
    var meta = el("chat-meta");
    var button = form.querySelector("button[type=submit]");
    out.textContent = "";
    meta.textContent = "Sending…";
    showError("");
    button.disabled = true;
    var state = { started: Date.now(), first: 0, usage: null };
    try {
      var res = await fetch(form.getAttribute("action"), {
        method: "POST",
        headers: { "x-csrf-token": csrf(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)),
      });
      if (!res.ok || !res.body) {
        var text = await res.text();
        var message = text;
        try {
          message = JSON.parse(text).error.message;
        } catch (_) { /* not JSON */ }
        showError("HTTP " + res.status + ": " + message);
        meta.textContent = "";
        return;
      }
      var route = res.headers.get("x-switchyard-route") || "";
      var reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      var buffer = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffer += chunk.value.replace(/\r\n/g, "\n");
        var parts = buffer.split("\n\n");
        buffer = parts.pop();
        parts.forEach(function (block) {
          var data = block.split("\n").filter(function (l) {
            return l.indexOf("data:") === 0;
          }).map(function (l) {
            return l.slice(5).trim();
          }).join("\n");
          if (data) handleEvent(data, state);
        });
      }
      var total = Date.now() - state.started;
      var parts2 = ["Done in " + total + " ms"];
      if (state.first) parts2.push("first token after " + (state.first - state.started) + " ms");
      if (state.usage) parts2.push(state.usage.prompt_tokens + " / " + state.usage.completion_tokens + " tokens");
      if (route) parts2.push("route " + route);
      parts2.push("request " + (res.headers.get("x-request-id") || ""));
      meta.textContent = parts2.join(" · ");
    } catch (err) {
      showError(String(err));
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target instanceof Element ? event.target.closest("form[data-chat]") : null;
    if (!form) return;
    event.preventDefault();
    runChat(form);
  });

  function cell(text, cls, label) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    td.setAttribute("data-label", label);
    return td;
  }

  function addRow(body, row) {
    var tr = document.createElement("tr");
    tr.appendChild(cell(row.time, "", "Time"));
    tr.appendChild(cell(row.model, "mono", "Model"));
    tr.appendChild(cell(row.route, "route", "Route"));
    tr.appendChild(
      cell(String(row.status) + (row.flags ? " (" + row.flags + ")" : ""), row.ok ? "ok" : "bad", "Status"),
    );
    tr.appendChild(cell(row.latency, "num", "Latency"));
    tr.appendChild(cell(row.tokens, "num", "Tokens"));
    tr.appendChild(cell(row.cost, "num", "Cost"));
    tr.appendChild(cell(row.key, "", "Key"));
    body.insertBefore(tr, body.firstChild);
    while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
  }

  function syncLive() {
    var body = document.querySelector("[data-live]");
    if (!body) {
      if (source) source.close();
      source = null;
      return;
    }
    if (source) return;
    var status = el("live-status");
    source = new EventSource(body.getAttribute("data-live"));
    source.onopen = function () {
      if (status) status.textContent = "Connected: new requests appear at the top as they finish.";
    };
    source.onerror = function () {
      if (status) status.textContent = "Disconnected; retrying…";
    };
    source.addEventListener("usage", function (event) {
      var target = document.querySelector("[data-live]");
      if (target) addRow(target, JSON.parse(event.data));
    });
  }

  document.addEventListener("DOMContentLoaded", syncLive);
  document.addEventListener("htmx:afterSettle", syncLive);
  window.addEventListener("pagehide", function () {
    if (source) source.close();
  });
})();

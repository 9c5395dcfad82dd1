/* troly citizen widget: <script src="<troly origin>/widget.js" defer></script>
 * Optional attributes: data-title="…" (panel title), data-api="<troly origin>" (API origin),
 * data-color="var(--c)" (theme colour), data-position="right|left", data-greeting="…" (first
 * message shown when the panel opens). Answers stream as they are produced (server-sent events).
 * No external resources; styles live in a shadow root so the portal's CSS cannot break it. */
(function () {
  "use strict";
  if (window.__trolyWidget) return;
  window.__trolyWidget = true;

  var script = document.currentScript;
  var api = (script && script.getAttribute("data-api")) ||
    (script && script.src ? new URL(script.src, location.href).origin : location.origin);
  function attr(name, fallback) { return (script && script.getAttribute(name)) || fallback; }
  var title = attr("data-title", "Trợ lý ảo Sở Y tế");
  var color = /^#[0-9a-fA-F]{3,8}$|^[a-zA-Z]{3,20}$/.test(attr("data-color", "")) ? attr("data-color", "") : "var(--c)";
  var side = attr("data-position", "right") === "left" ? "left" : "right";
  var greeting = attr("data-greeting", "");
  var EXAMPLES = [
    "Hồ sơ cấp giấy phép hành nghề khám bệnh, chữa bệnh gồm những gì?",
    "Lệ phí cấp chứng chỉ hành nghề dược là bao nhiêu?",
    "Thẻ bảo hiểm y tế được hưởng mức bao nhiêu khi khám đúng tuyến?"
  ];
  var conversationId = null;
  try { conversationId = sessionStorage.getItem("troly.conversation"); } catch (e) { /* private mode */ }

  var CSS = [
    ":host{all:initial;--c:" + color + "}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}",
    ".bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;display:flex;align-items:center;justify-content:center;",
    "background:var(--c);color:#fff;font-size:28px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);z-index:2147483000}",
    ".bubble:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,summary:focus-visible",
    "{outline:3px solid #f5b700;outline-offset:2px}",
    ".panel{position:fixed;right:20px;bottom:92px;width:380px;max-width:calc(100vw - 24px);height:560px;",
    "max-height:calc(100vh - 110px);background:#fff;color:#1b1b1b;border-radius:12px;display:flex;",
    "flex-direction:column;box-shadow:0 8px 30px rgba(0,0,0,.3);z-index:2147483001;overflow:hidden;font-size:15px}",
    ".panel[hidden]{display:none}",
    "header{display:flex;align-items:center;justify-content:space-between;background:var(--c);color:#fff;padding:10px 12px}",
    "h2{font-size:16px;margin:0}",
    ".close{background:transparent;border:0;color:#fff;font-size:24px;cursor:pointer;min-width:44px;min-height:44px}",
    ".tabs{display:flex;border-bottom:1px solid #ddd}",
    ".tabs button{flex:1;padding:10px;border:0;background:#f4f6f5;cursor:pointer;font-size:14px;min-height:44px}",
    ".tabs button[aria-selected=true]{background:#fff;font-weight:600;border-bottom:3px solid var(--c)}",
    ".pane{flex:1;display:flex;flex-direction:column;min-height:0}",
    ".pane[hidden]{display:none}",
    ".log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:8px}",
    ".msg{padding:8px 10px;border-radius:10px;max-width:92%;white-space:pre-line;line-height:1.4;word-wrap:break-word}",
    ".user{align-self:flex-end;background:#dff3ea}",
    ".bot{align-self:flex-start;background:#f1f1f1}",
    ".cites{margin:6px 0 0;padding-left:0;list-style:none;font-size:13px}",
    "summary{cursor:pointer;color:#0b4f8a}",
    "blockquote{margin:4px 0 6px;padding:4px 8px;border-left:3px solid var(--c);background:#fff;white-space:pre-line}",
    ".src{margin:2px 0 6px;color:#555;font-style:italic}",
    ".fb{display:flex;gap:6px;margin-top:6px}",
    ".fb button{border:1px solid #bbb;background:#fff;border-radius:6px;cursor:pointer;min-width:44px;min-height:36px;font-size:13px;padding:0 10px}",
    ".examples[hidden]{display:none}",
    ".examples{display:flex;flex-wrap:wrap;gap:6px;padding:0 10px 8px}",
    ".examples button{font-size:13px;border:1px solid var(--c);color:var(--c);background:#fff;border-radius:14px;padding:6px 10px;cursor:pointer;text-align:left}",
    "form{display:flex;gap:6px;padding:8px;border-top:1px solid #ddd}",
    "textarea,input{flex:1;font-size:16px;padding:8px;border:1px solid #999;border-radius:8px;resize:none}",
    "form button,.dossier button{background:var(--c);color:#fff;border:0;border-radius:8px;padding:0 14px;min-height:44px;cursor:pointer;font-size:15px}",
    ".dossier{flex-direction:column;border-top:0}",
    ".dossier label{display:flex;flex-direction:column;gap:4px;font-size:14px}",
    ".result{padding:0 10px 10px;white-space:pre-line;overflow-y:auto}",
    ".note{font-size:12px;color:#555;margin:0;padding:6px 10px;border-top:1px solid #eee}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}"
  ].join("");

  var ICON = '<svg width="30" height="30" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6' +
    'a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';
  var HTML =
    '<button class="bubble" type="button" aria-label="Mở trợ lý ảo hỏi đáp" aria-expanded="false" aria-controls="p">' + ICON + '</button>' +
    '<section class="panel" id="p" role="dialog" aria-labelledby="t" hidden>' +
    '<header><h2 id="t"></h2><button class="close" type="button" aria-label="Đóng trợ lý ảo">×</button></header>' +
    '<div class="tabs" role="tablist">' +
    '<button role="tab" id="tc" aria-controls="pc" aria-selected="true" type="button">Hỏi đáp</button>' +
    '<button role="tab" id="td" aria-controls="pd" aria-selected="false" tabindex="-1" type="button">Tra cứu hồ sơ</button></div>' +
    '<div class="pane" id="pc" role="tabpanel" aria-labelledby="tc">' +
    '<div class="log" role="log" aria-live="polite" aria-label="Nội dung hội thoại"></div>' +
    '<div class="examples" aria-label="Câu hỏi gợi ý"></div>' +
    '<form class="ask"><label class="sr" for="q">Câu hỏi của bạn</label>' +
    '<textarea id="q" rows="2" maxlength="2000" placeholder="Nhập câu hỏi về thủ tục, quy định…"></textarea>' +
    '<button type="submit">Gửi</button></form></div>' +
    '<div class="pane" id="pd" role="tabpanel" aria-labelledby="td" hidden>' +
    '<form class="dossier"><label>Mã hồ sơ<input name="code" autocomplete="off" maxlength="64" required ' +
    'placeholder="Ví dụ 000.00.21.H21-251120-0001"></label>' +
    '<label>4 số cuối số điện thoại đăng ký<input name="verification" inputmode="numeric" autocomplete="off" maxlength="32" required></label>' +
    '<button type="submit">Tra cứu</button></form>' +
    '<div class="result" role="status" aria-live="polite"></div></div>' +
    '<p class="note">Thông tin chỉ để tham khảo; kết quả chính thức do cơ quan có thẩm quyền trả lời.</p>' +
    '</section>';

  if (side === "left") CSS = CSS.replace(/right:20px/g, "left:20px");
  var host = document.createElement("div");
  host.id = "troly-widget";
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML = "<style>" + CSS + "</style>" + HTML;
  var $ = function (sel) { return root.querySelector(sel); };
  var bubble = $(".bubble"), panel = $(".panel"), log = $(".log"), input = $("#q");
  $("#t").textContent = title;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  var greeted = false;
  function setOpen(open) {
    panel.hidden = !open;
    if (open && greeting && !greeted) { greeted = true; addMessage("bot", greeting); }
    bubble.setAttribute("aria-expanded", String(open));
    bubble.setAttribute("aria-label", open ? "Thu nhỏ trợ lý ảo" : "Mở trợ lý ảo hỏi đáp");
    if (open) input.focus(); else bubble.focus();
  }

  function plain(text) { return String(text || "").replace(/\*\*(.+?)\*\*/g, "$1"); }

  // A real answer (not a refusal, a greeting or a failed lookup) gets the feedback buttons.
  function isRealAnswer(data) {
    return !data.refused && data.route !== "greeting" && data.route !== "out_of_scope";
  }

  // POST /v1/chat as server-sent events; onDelta(text) per piece; resolves with the final
  // answer (or rejects with {message}). Falls back to one JSON answer without stream support.
  function streamChat(body, onDelta) {
    return fetch(api + "/v1/chat", {
      method: "POST", headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify(Object.assign({ stream: true }, body))
    }).then(function (res) {
      if (!res.ok || !res.body || !res.body.getReader) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) throw data;
          return data;
        });
      }
      var reader = res.body.getReader(), decoder = new TextDecoder(), buffer = "", final = null;
      function handle(block) {
        var event = "message", data = "";
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) event = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
        });
        if (!data) return;
        var payload = JSON.parse(data);
        if (event === "delta") onDelta(payload.text || "");
        else if (event === "answer") final = payload;
        else if (event === "error") throw payload;
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            if (buffer.trim()) handle(buffer);
            if (!final) throw {};
            return final;
          }
          buffer += decoder.decode(chunk.value, { stream: true });
          var parts = buffer.split("\n\n");
          buffer = parts.pop();
          parts.forEach(handle);
          return pump();
        });
      }
      return pump();
    });
  }

  function post(path, body) {
    return fetch(api + path, {
      method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        return { ok: res.ok, status: res.status, data: data };
      });
    });
  }

  function citationList(citations) {
    var list = el("ol", "cites");
    list.setAttribute("aria-label", "Nguồn trích dẫn");
    citations.forEach(function (c) {
      var item = el("li"), details = el("details");
      var shortTitle = c.title.length > 70 ? c.title.slice(0, 69) + "…" : c.title;
      var number = shortTitle.indexOf(c.document_number) >= 0 ? "" : c.document_number;  // once
      var doc = [number, shortTitle].filter(Boolean).join(" ");
      var label = "[" + c.n + "] " + [doc, c.article_path]
        .filter(Boolean).join(" — ") + (c.page ? " (trang " + c.page + ")" : "");
      details.appendChild(el("summary", "", label));
      // the quoted lines the answer does not already say; the answer is not repeated
      var excerpt = c.excerpt != null ? c.excerpt : c.quote;
      if (excerpt) details.appendChild(el("blockquote", "", excerpt));
      var file = c.source ? "Tệp nguồn: " + c.source + (c.page ? ", trang " + c.page : "") : "";
      details.appendChild(el("p", "src", [c.title, file].filter(Boolean).join(" · ")));
      item.appendChild(details);
      list.appendChild(item);
    });
    return list;
  }

  function feedbackBar(answerId) {
    var bar = el("div", "fb");
    [["up", "Hữu ích", "Câu trả lời hữu ích"], ["down", "Chưa đúng", "Câu trả lời chưa đúng hoặc chưa đủ"]].forEach(function (f) {
      var b = el("button", "", f[1]);
      b.type = "button";
      b.setAttribute("aria-label", f[2]);
      b.addEventListener("click", function () {
        post("/v1/feedback", { answer_id: answerId, rating: f[0] });
        bar.textContent = "Cảm ơn bạn đã góp ý.";
      });
      bar.appendChild(b);
    });
    return bar;
  }

  function addMessage(cls, text) {
    var node = el("div", "msg " + cls, text);
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  function ask(question) {
    question = question.trim();
    if (!question) return;
    addMessage("user", question);
    $(".examples").hidden = true;
    var pending = addMessage("bot", "Đang trả lời…");
    log.setAttribute("aria-busy", "true");
    var streamed = "";
    streamChat({ message: question, conversation_id: conversationId, audience: "citizen", client: "widget" },
      function (piece) { streamed += piece; pending.textContent = plain(streamed); log.scrollTop = log.scrollHeight; })
      .then(function (data) {
        conversationId = data.conversation_id;
        try { sessionStorage.setItem("troly.conversation", conversationId); } catch (e) { /* ignore */ }
        pending.textContent = plain(data.answer);
        if (data.curated) pending.setAttribute("data-curated", "true");
        if (data.citations && data.citations.length) pending.appendChild(citationList(data.citations));
        if (isRealAnswer(data)) pending.appendChild(feedbackBar(data.answer_id));
        pending.setAttribute("data-done", "true");
      })
      .catch(function (err) {
        pending.textContent = (err && err.message) || "Không kết nối được máy chủ hoặc hệ thống đang bận. Vui lòng thử lại sau.";
        pending.setAttribute("data-done", "true");
      })
      .then(function () { log.removeAttribute("aria-busy"); log.scrollTop = log.scrollHeight; });
  }

  function lookup(form) {
    var out = $(".result");
    out.textContent = "Đang tra cứu…";
    post("/v1/dossiers/lookup", { code: form.code.value, verification: form.verification.value })
      .then(function (r) {
        out.textContent = r.data.message || "Không tra cứu được hồ sơ. Vui lòng thử lại sau.";
        out.setAttribute("data-outcome", r.data.outcome || "error");
      })
      .catch(function () { out.textContent = "Không kết nối được máy chủ. Vui lòng thử lại sau."; });
  }

  function selectTab(tab) {
    root.querySelectorAll("[role=tab]").forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      root.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    tab.focus();
  }

  EXAMPLES.forEach(function (q) {
    var b = el("button", "", q);
    b.type = "button";
    b.addEventListener("click", function () { ask(q); });
    $(".examples").appendChild(b);
  });
  bubble.addEventListener("click", function () { setOpen(panel.hidden); });
  $(".close").addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") setOpen(false);
    if ((e.key === "ArrowRight" || e.key === "ArrowLeft") && e.target.getAttribute("role") === "tab") {
      selectTab(e.target.id === "tc" ? $("#td") : $("#tc"));
    }
  });
  root.querySelectorAll("[role=tab]").forEach(function (t) {
    t.addEventListener("click", function () { selectTab(t); });
  });
  $(".ask").addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); input.value = ""; });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(input.value); input.value = ""; }
  });
  $(".dossier").addEventListener("submit", function (e) { e.preventDefault(); lookup(e.target); });

  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();

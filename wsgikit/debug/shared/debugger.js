// wsgikit debugger page: folds frames, opens consoles, asks for the PIN.
//
// The server renders everything (escaped); this script only adds buttons,
// sends console lines to the server and inserts the HTML it answers.
// Every request goes to this page's own origin, carrying the per-process
// secret from <body data-secret>; the PIN cookie rides along (HttpOnly,
// so this script cannot read it).
"use strict";

(function () {
  const body = document.body;
  const cfg = {
    evalex: body.dataset.evalex === "true",
    trusted: body.dataset.evalexTrusted === "true",
    consoleMode: body.dataset.consoleMode === "true",
    secret: body.dataset.secret || "",
  };
  let pendingAfterPin = null;

  function debuggerUrl(params) {
    const query = new URLSearchParams({ __debugger__: "yes", s: cfg.secret });
    for (const [key, value] of Object.entries(params)) query.set(key, value);
    return "?" + query.toString();
  }

  // -- PIN prompt --------------------------------------------------------

  const prompt = document.querySelector(".pin-prompt");
  const pinForm = prompt && prompt.querySelector(".pin-form");
  const pinInput = prompt && prompt.querySelector(".pin-input");
  const pinMessage = prompt && prompt.querySelector(".pin-message");

  function askPin(then) {
    pendingAfterPin = then;
    pinMessage.textContent = "";
    prompt.hidden = false;
    pinInput.value = "";
    pinInput.focus();
  }

  function closePin() {
    prompt.hidden = true;
    pendingAfterPin = null;
  }

  async function submitPin(event) {
    event.preventDefault();
    pinMessage.textContent = "Checking\u2026";
    let result;
    try {
      const response = await fetch(debuggerUrl({ cmd: "pinauth", pin: pinInput.value }), {
        credentials: "same-origin",
      });
      result = await response.json();
    } catch (err) {
      pinMessage.textContent = "The server did not answer: " + err;
      return;
    }
    if (result.auth) {
      cfg.trusted = true;
      const then = pendingAfterPin;
      closePin();
      if (then) then();
    } else if (result.exhausted) {
      pinMessage.textContent = "Too many wrong PINs: the console is locked until the server restarts.";
    } else {
      pinMessage.textContent = "Wrong PIN.";
      pinInput.select();
    }
  }

  if (pinForm) {
    pinForm.addEventListener("submit", submitPin);
    prompt.querySelector(".pin-cancel").addEventListener("click", closePin);
  }

  // -- consoles ----------------------------------------------------------

  function makeConsole(frameId, container) {
    const box = document.createElement("div");
    box.className = "console";
    const output = document.createElement("pre");
    output.className = "console-output";
    const form = document.createElement("form");
    form.className = "console-form";
    const label = document.createElement("span");
    label.className = "console-prompt";
    label.textContent = ">>>";
    const input = document.createElement("input");
    input.type = "text";
    input.className = "console-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-label", "Python code to run in this frame");
    form.append(label, input);
    box.append(output, form);
    container.append(box);

    const history = [];
    let historyPos = 0;

    async function send(code) {
      let response;
      try {
        response = await fetch(debuggerUrl({ cmd: code, frm: frameId }), { credentials: "same-origin" });
      } catch (err) {
        output.append(document.createTextNode("The server did not answer: " + err + "\n"));
        return;
      }
      if (response.status === 403) {
        cfg.trusted = false;
        askPin(() => send(code));
        return;
      }
      const html = await response.text();
      if (!response.ok) {
        output.append(document.createTextNode(html));
        return;
      }
      // The server escaped everything that came from the program.
      output.insertAdjacentHTML("beforeend", html);
      if (!html.endsWith("\n")) output.append(document.createTextNode("\n"));
      // The server says when it waits for the rest of a block.
      label.textContent = response.headers.get("X-Wsgikit-Console") === "more" ? "..." : ">>>";
      output.scrollTop = output.scrollHeight;
      input.scrollIntoView({ block: "nearest" });
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const code = input.value;
      input.value = "";
      if (code.trim()) history.push(code);
      historyPos = history.length;
      send(code);
    });

    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowUp" && historyPos > 0) {
        historyPos -= 1;
        input.value = history[historyPos];
        event.preventDefault();
      } else if (event.key === "ArrowDown" && historyPos < history.length) {
        historyPos += 1;
        input.value = history[historyPos] || "";
        event.preventDefault();
      }
    });

    output.addEventListener("click", (event) => {
      const target = event.target.closest("span, div.box");
      if (!target) return;
      const folded = target.querySelector(":scope > .extended");
      if (folded) target.classList.toggle("expanded");
    });

    input.focus();
    return box;
  }

  function openConsole(frame) {
    let box = frame.querySelector(":scope > .console");
    if (box) {
      box.hidden = !box.hidden;
      if (!box.hidden) box.querySelector(".console-input").focus();
      return;
    }
    makeConsole(frame.dataset.frame, frame);
  }

  function withPin(action) {
    if (cfg.trusted) action();
    else askPin(action);
  }

  // -- frames ------------------------------------------------------------

  // A click on a frame's heading shows the rest of its source lines.
  for (const frame of document.querySelectorAll(".traceback .frame[data-frame]")) {
    const heading = frame.querySelector("h4");
    if (heading) {
      heading.addEventListener("click", () => frame.classList.toggle("expanded"));
    }
    if (cfg.evalex && !cfg.consoleMode) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "console-button";
      button.textContent = ">_";
      button.title = "Open an interactive Python console in this frame";
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        withPin(() => openConsole(frame));
      });
      frame.insertBefore(button, frame.firstChild);
    }
  }

  // One button opens (or closes) every folded run of library frames.
  const runs = document.querySelectorAll(".traceback li.library-run > details");
  const title = document.querySelector(".traceback-title");
  if (runs.length && title) {
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "library-toggle";
    toggle.textContent = "show library frames";
    toggle.addEventListener("click", () => {
      const open = toggle.textContent.startsWith("show");
      for (const run of runs) run.open = open;
      toggle.textContent = (open ? "hide" : "show") + " library frames";
    });
    title.append(toggle);
  }

  // The page opens on the user's innermost frame of the last exception:
  // scrolled to only when a long chain pushed it off the first screen.
  const levels = document.querySelectorAll(".traceback > ul.frames");
  if (levels.length) {
    const last = levels[levels.length - 1];
    const own = last.querySelectorAll(":scope > li > .frame:not(.library)");
    const all = last.querySelectorAll(":scope > li > .frame");
    const target = own.length ? own[own.length - 1] : all[all.length - 1];
    if (target && target.getBoundingClientRect().bottom > window.innerHeight) {
      target.scrollIntoView({ block: "center" });
    }
  }

  if (cfg.consoleMode) {
    const frame = document.querySelector(".console-frame");
    if (frame) withPin(() => openConsole(frame));
  }
})();

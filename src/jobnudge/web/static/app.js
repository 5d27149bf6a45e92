/* jobnudge: a little progressive enhancement. Every form works without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  /* Today: j/k to move, d to draft, s to mark sent. */
  function today() {
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-nudge]"));
    if (!cards.length) return;
    var current = -1;
    function select(index) {
      if (index < 0 || index >= cards.length) return;
      if (current >= 0) cards[current].classList.remove("selected");
      current = index;
      var card = cards[current];
      card.classList.add("selected");
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    cards.forEach(function (card, index) {
      card.addEventListener("focusin", function () {
        if (current >= 0 && current !== index) cards[current].classList.remove("selected");
        current = index;
        card.classList.add("selected");
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      var key = event.key;
      if (key === "j") { select(current + 1); event.preventDefault(); }
      else if (key === "k") { select(current < 0 ? 0 : current - 1); event.preventDefault(); }
      else if (key === "d" || key === "s") {
        if (current < 0) return;
        var card = cards[current];
        if (key === "d") {
          var link = card.querySelector("[data-action=draft]");
          if (link) { link.click(); event.preventDefault(); }
        } else {
          var form = card.querySelector("form[data-action=sent]");
          if (form) { event.preventDefault(); form.submit(); }
        }
      }
    });
  }

  /* The draft editor: re-check as the user types, highlight findings in place. */
  function editor() {
    var form = document.getElementById("draft-form");
    var text = document.getElementById("draft-text");
    var marks = document.getElementById("draft-marks");
    var list = document.getElementById("findings");
    var status = document.getElementById("check-status");
    if (!form || !text || !marks || !list) return;
    var url = form.getAttribute("data-check-url");
    var timer = null;
    var sequence = 0;

    function sync() {
      marks.scrollTop = text.scrollTop;
      marks.style.height = text.offsetHeight + "px";
    }

    function render(data) {
      marks.innerHTML = data.html; /* the server escaped the text and built the marks */
      list.innerHTML = "";
      if (!data.findings.length) {
        var ok = document.createElement("li");
        ok.className = "all-clear";
        ok.textContent = "No findings: it reads well.";
        list.appendChild(ok);
      }
      data.findings.forEach(function (f) {
        var item = document.createElement("li");
        item.className = "finding " + f.severity;
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = f.severity + " · " + f.code;
        item.appendChild(code);
        if (f.excerpt) {
          var q = document.createElement("q");
          q.textContent = f.excerpt;
          item.appendChild(q);
          item.appendChild(document.createTextNode(" "));
        }
        item.appendChild(document.createTextNode(f.message));
        if (f.link) {
          var fix = document.createElement("a");
          fix.href = f.link.href; /* a path on this site, built by the server */
          fix.textContent = f.link.text;
          item.appendChild(document.createTextNode(" "));
          item.appendChild(fix);
        }
        list.appendChild(item);
      });
      var counter = document.getElementById("finding-count");
      if (counter) counter.textContent = String(data.count);
      sync();
    }

    function check() {
      var mine = ++sequence;
      var body = new FormData();
      body.append("text", text.value);
      var channel = form.querySelector("[name=channel]");
      if (channel) body.append("channel", channel.value);
      body.append("csrf_token", csrf());
      if (status) status.textContent = "Checking…";
      fetch(url, { method: "POST", body: body, headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (result) {
          if (mine !== sequence) return;
          if (!result[0]) { if (status) status.textContent = result[1].error || "Could not check."; return; }
          render(result[1]);
          if (status) status.textContent = "Checked as you type.";
        })
        .catch(function () { if (status) status.textContent = "Could not reach jobnudge to check."; });
    }

    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
      sync();
    });
    text.addEventListener("scroll", sync);
    window.addEventListener("resize", sync);
    if (window.ResizeObserver) new ResizeObserver(sync).observe(text);
    sync();
    var button = document.getElementById("check-button");
    if (button) button.classList.add("visually-hidden");
  }

  /* The board: drag a card to another column to move it. The server logs the step (with an
     Undo), asks about the interview before Interviewing, and refuses a step back. */
  function board() {
    var boardEl = document.querySelector("[data-board][data-movable]");
    if (!boardEl) return;
    var dragged = null;
    var dialog = document.getElementById("close-dialog");
    function submit(card, to) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = "/opportunities/" + card.getAttribute("data-card") + "/move";
      [["csrf_token", csrf()], ["to", to], ["next", boardEl.getAttribute("data-next") || "/pipeline"]]
        .forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          form.appendChild(input);
        });
      document.body.appendChild(form);
      form.submit();
    }
    boardEl.querySelectorAll("[data-card]").forEach(function (card) {
      card.setAttribute("draggable", "true");
      card.addEventListener("dragstart", function (event) {
        dragged = card;
        card.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.getAttribute("data-card"));
      });
      card.addEventListener("dragend", function () {
        card.classList.remove("dragging");
        dragged = null;
      });
    });
    boardEl.querySelectorAll("[data-column]").forEach(function (column) {
      column.addEventListener("dragover", function (event) {
        if (!dragged || !column.getAttribute("data-move") || column.contains(dragged)) return;
        event.preventDefault();
        column.classList.add("drop");
      });
      column.addEventListener("dragleave", function () { column.classList.remove("drop"); });
      column.addEventListener("drop", function (event) {
        column.classList.remove("drop");
        if (!dragged) return;
        event.preventDefault();
        var move = column.getAttribute("data-move");
        if (!move || column.contains(dragged)) return;
        var card = dragged;
        if (column.getAttribute("data-column") === "closed" && dialog && dialog.showModal) {
          dialog.returnValue = "";
          dialog.showModal();
          dialog.onclose = function () {
            if (dialog.returnValue && dialog.returnValue !== "cancel") submit(card, dialog.returnValue);
          };
          return;
        }
        submit(card, move);
      });
    });
  }

  function autoSubmitFilters() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  /* Uploads: a file over the page's limit is refused at once, before it is sent. */
  function uploadLimits() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        var tooLarge = file && file.size > Number(input.getAttribute("data-max-bytes"));
        input.setCustomValidity(tooLarge ? input.getAttribute("data-too-large") : "");
        if (tooLarge) input.reportValidity();
      });
    });
  }

  /* Sign-up: the account takes this browser's time zone; the list stays one click away. */
  function browserZone() {
    var note = document.querySelector("[data-zone-note]");
    var select = document.getElementById("tz");
    if (!note || !select || document.getElementById("errors")) return;
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    var field = select.closest(".field");
    if (!zone || !known || !field || select.getAttribute("aria-invalid") === "true") return;
    select.value = zone;
    note.querySelector("[data-zone-name]").textContent = zone.replace(/_/g, " ");
    field.hidden = true;
    note.hidden = false;
    note.querySelector("[data-zone-change]").addEventListener("click", function () {
      field.hidden = false;
      note.hidden = true;
      select.focus();
    });
  }

  /* Quick forms: show only the fields that fit the choice (an interview that took place has a
     time it took place, a scheduled one the time it is for). The others are disabled, so they
     are not sent; without this script every field shows, each labelled for its case. */
  function switches() {
    document.querySelectorAll("form[data-switch]").forEach(function (form) {
      var select = form.querySelector('[name="' + form.getAttribute("data-switch") + '"]');
      if (!select) return;
      function apply() {
        form.querySelectorAll("[data-show-when]").forEach(function (block) {
          var on = block.getAttribute("data-show-when") === select.value ||
            !!block.querySelector('[aria-invalid="true"]');
          block.hidden = !on;
          block.querySelectorAll("input, select, textarea").forEach(function (field) {
            field.disabled = !on;
          });
        });
      }
      select.addEventListener("change", apply);
      apply();
    });
  }

  /* Today's "About you" on a first visit: start from this browser's time zone and country. */
  function browserDefaults() {
    document.querySelectorAll("form[data-browser-defaults]").forEach(function (form) {
      var select = form.querySelector("select[name=tz]");
      var zone = "";
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
      if (select && zone && Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
        select.value = zone;
        var source = form.querySelector("[data-zone-source]");
        if (source) source.textContent = "From this browser; when follow-ups are due";
      }
      var country = form.querySelector("input[name=country]");
      var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
      for (var i = 0; country && i < languages.length; i++) {
        var region = /^[a-z]{2,3}-([A-Z]{2})$/i.exec(languages[i] || "");
        if (region) { country.value = region[1].toUpperCase(); break; }
      }
    });
  }

  /* A page restored from the back-forward cache shows the state from before the last
     action, a one-off message included: ask for it again. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  document.addEventListener("DOMContentLoaded", function () {
    today();
    editor();
    board();
    autoSubmitFilters();
    uploadLimits();
    browserZone();
    switches();
    browserDefaults();
  });
})();

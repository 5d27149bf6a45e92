// The clip page: takes the page the bookmarklet sends (once), fills the form and asks for the
// read step. Reading saves nothing: the next page shows what was read for the user to confirm.
(function () {
  "use strict";
  var form = document.getElementById("clip-form");
  if (!form) { return; }
  var taken = false;
  window.addEventListener("message", function (event) {
    var data = event.data;
    // The page itself must come with it: the server reads what was sent, and never fetches
    // an address some other page names (that would let any site aim the server at one).
    if (taken || !data || data.kind !== "jobnudge-clip" || typeof data.html !== "string" ||
        !data.html.trim()) {
      return;
    }
    taken = true;
    if (event.source) { event.source.postMessage("jobnudge-clip-received", event.origin); }
    var url = typeof data.url === "string" && /^https?:/i.test(data.url) ? data.url : "";
    form.elements.posting.value = url;
    form.elements.posting_text.value = data.html;
    document.getElementById("clip-status").textContent = "Reading the posting…";
    form.submit();
  });
})();

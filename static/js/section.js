/* Progressive enhancement for section and citation pages; everything works without it.
   1. A #pN fragment that is not on this page (the paragraph moved to another section after a
      re-upload) is sent to the report's p/N/ permalink, which knows where it went.
   2. "Cite" copies the citation to the clipboard instead of opening the citation page. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var article = document.querySelector("[data-permalink-base]");

  function followMovedAnchor() {
    if (!article) return;
    var match = /^#p(\d+)$/.exec(window.location.hash);
    if (match && !document.getElementById("p" + match[1])) {
      window.location.replace(article.getAttribute("data-permalink-base") + match[1] + "/");
    }
  }

  function announce(box, message) {
    if (!box) return;
    box.textContent = "";
    window.setTimeout(function () { box.textContent = message; }, 50);
    window.setTimeout(function () { if (box.textContent === message) box.textContent = ""; }, 4000);
  }

  function citationFor(link) {
    var part = link.closest("[data-citation-format]");
    var number = link.getAttribute("data-cite");
    var url = article.getAttribute("data-permalink-base") + number + "/";
    return part.getAttribute("data-citation-format")
      .split("{number}").join(number)
      .split("{url}").join(url);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-cite]");
    if (link && article && navigator.clipboard) {
      event.preventDefault();
      // The article's own status line; the section citation box has another.
      var status = article.querySelector(":scope > .copy-status");
      navigator.clipboard.writeText(citationFor(link)).then(
        function () { announce(status, article.getAttribute("data-copied")); },
        function () { window.location.href = link.href; }
      );
      return;
    }
    var button = event.target.closest && event.target.closest("button[data-copy-target]");
    if (button) {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      var box = button.parentNode.parentNode.querySelector(".copy-status");
      var done = function () { announce(box, button.getAttribute("data-copied")); };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select();
        });
      } else {
        field.select();
        if (document.execCommand("copy")) done();
      }
    }
  });

  window.addEventListener("hashchange", followMovedAnchor);
  followMovedAnchor();
})();

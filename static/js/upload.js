/* The admin's report upload: a file over the size limit is refused in the browser, with the
   server's own message, before anything is sent (the server refuses it too). */
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = Number(input.getAttribute("data-max-bytes"));
    function check() {
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > limit ? input.getAttribute("data-too-large") : "");
    }
    input.addEventListener("change", function () {
      check();
      input.reportValidity();
    });
    check();
  });
})();

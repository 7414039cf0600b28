// Starts Swagger UI on /api/v1/docs from a file, so that the page needs no inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    // The public validator is another site: the CSP would refuse it, and it is not needed.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();

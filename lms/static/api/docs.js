// Start Swagger UI on the API's own OpenAPI document (kept out of the page: no inline scripts).
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    // Deep links put a link inside each operation's toggle button (nested controls: axe-core).
    deepLinking: false,
    persistAuthorization: false,
    onComplete: function () {
      var servers = document.getElementById("servers");
      if (servers) servers.setAttribute("aria-label", "Server");
    },
  });
})();

// Renders /api/openapi.yaml with the vendored Swagger UI. Kept in a file, not
// inline, so the content security policy can forbid inline scripts.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/openapi.yaml", dom_id: "#swagger-ui", deepLinking: true });
});

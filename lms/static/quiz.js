// Save each answer as soon as it is given, so a closed tab or dropped connection loses nothing.
// The form works without this script: "Save answers" and "Submit attempt" post it whole.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  function save(fieldset) {
    var data = new FormData();
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    fieldset.querySelectorAll("input, select, textarea").forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      if (el.name) { data.append(el.name, el.value); }
    });
    fetch(form.action, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (res) { if (status) { status.textContent = res[0] ? status.dataset.saved || "✓" : res[1].errors.join(" "); } })
      .catch(function () { if (status) { status.textContent = status.dataset.offline || "⚠"; } });
  }
  var timers = {};
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-question]");
    if (fieldset) { save(fieldset); }
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset[data-question]");
    if (!fieldset || event.target.tagName === "SELECT") { return; }
    clearTimeout(timers[fieldset.id]);
    timers[fieldset.id] = setTimeout(function () { save(fieldset); }, 800);
  });
}());

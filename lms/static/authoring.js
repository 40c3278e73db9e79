// Live preview for the activity editor: the server renders, this only asks and shows.
(function () {
  "use strict";
  var form = document.getElementById("activity-editor");
  var target = document.getElementById("activity-preview");
  if (!form || !target || !window.fetch) { return; }
  var timer = null;
  var sent = 0;
  function refresh() {
    var number = ++sent;
    fetch(form.dataset.previewUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && number === sent) { target.innerHTML = html; }
    }).catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
}());
